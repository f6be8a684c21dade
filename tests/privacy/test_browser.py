"""In Chromium: sign up with consent, download one's data, delete the account."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from privacy.inventory import inventory
from privacy.models import Consent
from tests.factories import CallFactory, ProposalFactory

pytestmark = pytest.mark.browser

EMAIL = "pipa@example.org"
PASSWORD = "a-long-browser-password-7"


def test_sign_up_with_consent_export_and_delete(page, transactional_db, screenshot):
    page.goto("/privacy/")
    assert page.locator("h1").inner_text() == "개인정보처리방침"
    assert page.locator("table.inventory tbody tr").count() == len(inventory().items)
    screenshot(page, "privacy-policy")

    # Sign up: the summary PIPA asks for, three separate boxes, nothing else but the address.
    page.goto("/")
    page.locator("footer").get_by_role("link", name="개인정보처리방침").click()
    page.wait_for_url("**/privacy/")
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=display_name]", "골목 지킴이")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    assert page.locator(".consent-summary").get_by_text("동의를 거부할 권리").is_visible()
    page.check("input[name=is_14_or_older]")
    page.check("input[name=agree_terms]")
    screenshot(page, "privacy-signup")
    page.locator("main form.signup button[type=submit]").click()
    # The browser refuses the form while the consent box is empty: no account yet.
    assert page.url.endswith("/accounts/signup/")
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    page.check("input[name=agree_privacy]")
    page.locator("main form.signup button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    user = get_user_model().objects.get(email=EMAIL)
    assert set(Consent.objects.filter(user=user).values_list("kind", "version")) == {
        ("privacy", inventory().version),
        ("terms", inventory().version),
    }

    # Confirm the address from the e-mail, then sign in.
    # Sent at once, its text erased from the outbox: the link is read as delivered.
    body = next(m.body for m in mail.outbox if EMAIL in m.to)
    page.goto(re.search(r"/accounts/confirm-email/[A-Za-z0-9:_-]+/", body).group(0))
    page.locator("main form button[type=submit]").click()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/")

    proposal = ProposalFactory(author=user, call=CallFactory(), title="골목길 가로등 지도")
    page.goto(proposal.get_absolute_url())
    assert "골목 지킴이" in page.locator(".proposer").inner_text()

    # My data: the download holds the account and the proposal.
    page.goto("/privacy/my-data/")
    screenshot(page, "privacy-my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="내 정보 내려받기 (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert [p["title"] for p in data["proposals"]] == ["골목길 가로등 지도"]
    assert {c["kind"] for c in data["consents"]} == {"privacy", "terms"}

    # Delete: sign in again if the last sign-in is not recent, then confirm.
    page.get_by_role("link", name="탈퇴하기…").click()
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/privacy/my-data/delete/")
    screenshot(page, "privacy-delete")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="탈퇴하기").click()
    page.wait_for_url("**/")
    assert "탈퇴가 완료되었습니다" in page.locator("[role=status]").inner_text()

    page.goto(proposal.get_absolute_url())
    assert "탈퇴한 회원" in page.locator(".proposer").inner_text()
    user.refresh_from_db()
    assert user.is_deleted and user.email == ""

    # The former member cannot sign in again.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    page.goto("/privacy/my-data/")
    assert "/accounts/login/" in page.url


def test_a_member_chooses_to_have_their_name_listed(page, demo_site, sign_in, screenshot):
    from councils.models import WorkingGroup

    group = WorkingGroup.objects.order_by("pk").first()
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto(group.get_absolute_url())
    members = page.locator("#members-title + ul")
    if page.get_by_role("button", name="그룹 참여").count():
        page.get_by_role("button", name="그룹 참여").click()
    assert "시민(데모)" not in members.inner_text()
    page.get_by_role("button", name="이 페이지에 내 이름 공개").click()
    assert "시민(데모)" in members.inner_text()
    screenshot(page, "privacy-group-listing")
    page.get_by_role("button", name="내 이름 공개 중단").click()
    assert "시민(데모)" not in members.inner_text()
