"""The policy and terms pages, sign-up with consent, consent to a new policy, my data."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import escape

from privacy.inventory import inventory
from privacy.models import Consent
from tests.factories import ProposalFactory, UserFactory

User = get_user_model()

SIGNUP = {
    "email": "new@example.org",
    "display_name": "새 시민",
    "password1": "a-long-new-password-42",
    "password2": "a-long-new-password-42",
    "is_14_or_older": "on",
    "agree_terms": "on",
    "agree_privacy": "on",
}


# Policy and terms ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_policy_lists_every_inventory_item_and_its_version(client, db, prefix):
    response = client.get(f"{prefix}/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    language = "en" if prefix else "ko"
    for item in inventory().items:
        assert escape(getattr(item.name, language)) in html
        assert f'id="item-{item.key}"' in html
    assert inventory().version in html
    for heading in (
        ("처리 목적", "제3자 제공", "위탁", "파기", "정보주체의 권리", "개인정보 보호책임자")
        if language == "ko"
        else ("third parties", "Outsourcing", "destroyed", "Your rights", "Privacy officer")
    ):
        assert heading in html


def test_every_page_links_the_policy_from_its_footer(client, db):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert reverse("privacy:policy") in footer and reverse("privacy:terms") in footer


def test_the_terms_page_answers_in_both_languages(client, db):
    assert "이용약관" in client.get("/privacy/terms/").content.decode()
    assert "Terms of use" in client.get("/en/privacy/terms/").content.decode()


# Sign-up -------------------------------------------------------------------------------------


def test_sign_up_shows_the_summary_pipa_requires(client, db):
    html = client.get("/accounts/signup/").content.decode()
    for words in ("수집 항목", "수집·이용 목적", "보유·이용 기간", "동의를 거부할 권리"):
        assert words in html
    assert html.count('type="checkbox"') == 3
    assert "주민등록번호" not in html


def test_sign_up_records_both_consents_with_the_account(client, db):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert sorted(Consent.objects.filter(user=user).values_list("kind", "version")) == [
        ("privacy", inventory().version),
        ("terms", inventory().version),
    ]
    assert user.privacy_version == inventory().version


@pytest.mark.parametrize("box", ["is_14_or_older", "agree_terms", "agree_privacy"])
def test_sign_up_without_a_box_creates_nothing_and_says_why(client, db, box):
    data = {k: v for k, v in SIGNUP.items() if k != box}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert not User.objects.exists() and not Consent.objects.exists()
    assert "text-danger" in response.content.decode()


def test_sign_up_fails_whole_when_consent_cannot_be_written(client, db, monkeypatch):
    from privacy import forms

    def broken(**kwargs):
        raise RuntimeError("the database refused")

    monkeypatch.setattr(forms, "consents_record", broken)
    with pytest.raises(RuntimeError):
        client.post("/accounts/signup/", SIGNUP)
    assert not User.objects.exists() and not EmailAddress.objects.exists()


# Consent to a new version --------------------------------------------------------------------


def test_a_person_who_agreed_to_an_old_version_is_asked_again(client, db):
    user = UserFactory(privacy_version="2020-01-01")
    client.force_login(user)
    response = client.get("/participate/calls/")
    assert response.status_code == 302
    assert response.url == "/privacy/consent/?next=%2Fparticipate%2Fcalls%2F"
    # The policy, their data and signing out stay open.
    for url in ("/privacy/", "/privacy/my-data/", "/privacy/my-data/export.json"):
        assert client.get(url).status_code == 200
    response = client.post(
        "/privacy/consent/", {"agree_privacy": "on", "next": "/participate/calls/"}
    )
    assert response.url == "/participate/calls/"
    assert Consent.objects.filter(user=user, version=inventory().version).count() == 1
    assert client.get("/participate/calls/").status_code == 200


def test_consent_page_refuses_an_unticked_box_and_an_outside_next(client, db):
    user = UserFactory(privacy_version="")
    client.force_login(user)
    assert client.post("/privacy/consent/", {}).status_code == 200
    assert not Consent.objects.exists()
    response = client.post(
        "/privacy/consent/", {"agree_privacy": "on", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_the_consent_check_costs_no_query(client, db, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/privacy/")
    with django_assert_num_queries(2):  # the session and the account, as before
        assert client.get("/privacy/").status_code == 200


# My data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/privacy/my-data/", "/privacy/my-data/export.json"])
def test_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_export_is_a_json_download_of_ones_own_data(client, db):
    user = UserFactory(email="me@example.org")
    ProposalFactory(author=user, title="내 제안")
    ProposalFactory(title="남의 제안")
    client.force_login(user)
    response = client.get("/privacy/my-data/export.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "me@example.org"
    assert [p["title"] for p in data["proposals"]] == ["내 제안"]


def test_deletion_asks_to_sign_in_again_then_to_confirm(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/privacy/my-data/delete/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    client.post(response.url, {"password": "a-long-test-password"})
    assert client.get("/privacy/my-data/delete/").status_code == 200
    response = client.post("/privacy/my-data/delete/", {})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_deleted
    response = client.post("/privacy/my-data/delete/", {"confirm": "on"})
    assert response.url == "/"
    user.refresh_from_db()
    assert user.is_deleted
    assert "_auth_user_id" not in client.session


def test_a_deleted_person_cannot_sign_in(client, db):
    from privacy.services import account_delete

    user = UserFactory(email="gone@example.org")
    account_delete(user=user)
    client.post(
        "/accounts/login/", {"login": "gone@example.org", "password": "a-long-test-password"}
    )
    assert "_auth_user_id" not in client.session


def test_a_former_members_proposal_shows_former_member(client, db):
    from privacy.services import account_delete

    user = UserFactory(first_name="길동", last_name="홍")
    proposal = ProposalFactory(author=user)
    assert "길동 홍" in client.get(proposal.get_absolute_url()).content.decode()
    account_delete(user=user)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "탈퇴한 회원" in html and "길동" not in html


# Kakao and Naver -----------------------------------------------------------------------------


@pytest.fixture
def kakao_login(db, rf):
    """A Kakao sign-in in progress, as allauth holds it before its sign-up form."""
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    from ogp_portal.adapters import SocialAccountAdapter
    from ogp_portal.sessions import SessionStore

    request = rf.post("/accounts/social/signup/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    account = SocialAccount(
        provider="kakao",
        uid="4242",
        extra_data={"id": 4242, "kakao_account": {"profile": {"nickname": "홍길동"}}},
    )
    sociallogin = SocialLogin(account=account, user=User(), email_addresses=[])
    SocialAccountAdapter().pre_social_login(request, sociallogin)
    return request, sociallogin


def test_kakao_sign_up_records_consent_and_keeps_no_profile(kakao_login):
    from privacy.forms import SocialSignupForm

    request, sociallogin = kakao_login
    form = SocialSignupForm(
        data={
            "email": "kakao@example.org",
            "display_name": "홍길동",
            **{k: "on" for k in SocialSignupForm.consent_fields},
        },
        sociallogin=sociallogin,
    )
    assert form.is_valid(), form.errors
    user = form.save(request)
    assert user.display_name == "홍길동"
    assert Consent.objects.filter(user=user).count() == 2
    assert user.privacy_version == inventory().version
    assert user.socialaccount_set.get().extra_data == {"id": "4242"}


def test_kakao_sign_up_without_consent_is_refused(kakao_login):
    from privacy.forms import SocialSignupForm

    _request, sociallogin = kakao_login
    form = SocialSignupForm(
        data={"email": "kakao@example.org", "display_name": "홍길동"}, sociallogin=sociallogin
    )
    assert not form.is_valid()
    assert set(form.errors) == set(SocialSignupForm.consent_fields)


@pytest.mark.parametrize("bad", ["a b", "\x00", "//evil.example/", "javascript:alert(1)"])
def test_consent_with_a_malformed_next_goes_home(client, db, bad):
    client.force_login(UserFactory(privacy_version=""))
    response = client.post("/privacy/consent/", {"agree_privacy": "on", "next": bad})
    assert response.status_code == 302 and response.url == "/"
