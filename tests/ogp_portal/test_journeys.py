"""Each role's journey in Chromium, in Korean and in English, with every page state checked:
axe (WCAG 2.2 AA), the Nu HTML checker, focus rings, badge contrast and reflow at 320 px
(`tests.accessibility.Journey`), bad inputs included."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Participation, Poll
from councils.models import Meeting, Minutes, WorkingGroup
from proposals.models import Call, Proposal
from tests.accessibility import Journey

pytestmark = pytest.mark.browser

LANGUAGES = pytest.mark.parametrize("prefix", ["", "/en"], ids=["ko", "en"])
PASSWORD = "a-long-journey-password-7"


def first_link(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


@LANGUAGES
def test_a_visitor_reads_the_public_record(page, demo_site, screenshot, prefix):
    journey = Journey(page, f"visitor{prefix.replace('/', '-')}", screenshot)
    for url in [
        "/",
        reverse("councils:committee"),
        reverse("councils:group_list"),
        reverse("proposals:call_list"),
        reverse("consultations:poll_list"),
        reverse("tracker"),
        reverse("repository"),
        reverse("opendata"),
    ]:
        page.goto(prefix + url)
        journey.check(url.strip("/").replace("/", "-") or "home")
    page.goto(prefix + reverse("councils:group_list"))
    page.goto(first_link(page, "main a[href*='/groups/']"))
    journey.check("group")
    page.goto(prefix + reverse("councils:committee"))
    page.goto(first_link(page, "main a[href*='/meetings/']:not([href$='.ics'])"))
    journey.check("meeting")
    page.goto(prefix + reverse("search") + "?q=투표")
    assert page.locator(".search-polls li").count() >= 1
    journey.check("search-polls")
    poll = Poll.objects.get(slug="baro-2021-ogp-action-plan")
    page.goto(prefix + poll.get_absolute_url())
    journey.check("poll-result")
    page.locator("#receipt-code-input").fill("1234")  # a bad receipt code: said, not a 500
    page.locator("#receipt-code-input").press("Enter")
    assert page.locator("#receipt-code-error").is_visible()
    journey.check("receipt-refused")
    assert page.goto(prefix + "/no-such-page/").status == 404
    journey.check("not-found")
    journey.finish()


def keyboard_to(page, selector: str, limit: int = 80) -> None:
    """Tabs until the element matching the selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable by keyboard")


@LANGUAGES
def test_a_citizen_signs_up_verifies_votes_by_keyboard_and_keeps_the_receipt(
    page, demo_site, screenshot, prefix
):
    email = f"journey{prefix.replace('/', '-')}@example.org"
    journey = Journey(page, f"citizen{prefix.replace('/', '-')}", screenshot)
    page.goto(prefix + "/accounts/signup/")
    journey.check("signup")

    # Bad input: an address that is not one, passwords that differ, a paste far too long.
    page.fill("input[name=email]", "not-an-address@")
    page.fill("input[name=password1]", "x" * 5000)
    page.fill("input[name=password2]", "y")
    page.evaluate("document.querySelector('main form.signup').noValidate = true")
    page.locator("main form.signup button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    journey.check("signup-refused")

    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", "Minji" if prefix else "민지")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    for box in ["is_14_or_older", "agree_terms", "agree_privacy"]:
        page.check(f"input[name={box}]")
    page.locator("main form.signup button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    journey.check("verify-sent")

    user = get_user_model().objects.get(email=email)
    # Sent at once, its text erased from the outbox: the link is read as delivered.
    body = next(m.body for m in mail.outbox if email in m.to)
    link = re.search(r"/accounts/confirm-email/[A-Za-z0-9:_-]+/", body).group(0)
    page.goto(prefix + link)
    journey.check("verify-confirm")
    page.locator("main form button[type=submit]").click()
    page.goto(prefix + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    poll = Poll.objects.get(slug="demo-open-poll")
    page.goto(prefix + poll.get_absolute_url())
    journey.check("ballot")

    # Keyboard only: Tab to the first option, Space to choose, Tab to the button, Enter.
    keyboard_to(page, "input[name=option]")
    page.keyboard.press("Space")
    keyboard_to(page, "form[action$='/vote/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#receipt-code")
    code = page.locator("#receipt-code").inner_text()
    assert Participation.objects.filter(poll=poll, user=user).count() == 1
    journey.check("receipt")

    # Reload and Back: the poll with the receipt kept on this device, never the ballot again.
    page.reload()
    assert page.locator("input[name=option]").count() == 0
    assert page.locator("[data-receipt-slot] [data-receipt-code]").inner_text() == code
    journey.check("reload-after-vote")
    page.go_back()
    assert page.locator("input[name=option]").count() == 0
    journey.check("back-after-vote")

    page.goto(prefix + reverse("my_participation"))
    assert page.locator("[data-receipt-slot] [data-receipt-code]").inner_text() == code
    journey.check("my-participation")

    # The session expires: the next page asks to sign in again, in the same language.
    page.context.clear_cookies()
    page.goto(prefix + reverse("my_participation"))
    assert "/accounts/login/" in page.url
    journey.check("session-expired")
    journey.finish()


@LANGUAGES
def test_a_working_group_lead_sets_the_agenda_and_writes_the_minutes(
    page, demo_site, screenshot, sign_in, prefix
):
    group = WorkingGroup.objects.get(lead__user__email="lead@ogp-demo.example")
    journey = Journey(page, f"lead{prefix.replace('/', '-')}", screenshot)
    sign_in(page, "lead@ogp-demo.example", "ogp-lead-2021")
    page.goto(prefix + group.get_absolute_url())
    journey.check("group")

    page.goto(prefix + reverse("councils:meeting_schedule", args=[group.slug]))
    journey.check("meeting-form")
    # Bad input: nothing filled in, the browser's own checks off.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[name=publish]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    journey.check("meeting-refused")

    title = f"햇빛발전소 점검 회의{prefix}"
    start = timezone.localtime() + dt.timedelta(days=10)
    page.fill("input[name=title]", title)
    page.select_option("select[name=format]", "in_person")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT19:00"))
    page.fill("input[name=ends_at]", start.strftime("%Y-%m-%dT21:00"))
    page.fill("input[name=venue]", "광주시민센터 2층")
    page.fill("textarea[name=agenda]", "현장 점검 결과 공유\n시민 교육 계획")
    page.locator("main form button[name=publish]").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title=title)
    assert meeting.published_at is not None
    journey.check("meeting-published")

    # The meeting took place: the lead attaches the minutes' files and writes them.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    page.goto(prefix + reverse("councils:minutes_create", args=[meeting.pk]))
    journey.check("minutes-form")
    page.fill("textarea[name=body]", "## 논의\n\n- 햇빛발전소 **현장 점검** 결과를 공유함")
    page.fill("textarea[name=decisions]", "- 다음 달 시민 교육을 연다")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Minutes.objects.filter(meeting=meeting).exists()
    journey.check("minutes-saved")

    page.goto(prefix + reverse("councils:attachment_create", args=[meeting.pk]))
    journey.check("attachment-form")
    page.set_input_files(
        "main input[type=file]",
        files=[{"name": "run-me.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90"}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    journey.check("attachment-refused")
    journey.finish()


@LANGUAGES
def test_the_secretariat_runs_a_call_to_its_commitments_in_the_admin(
    page, demo_site, screenshot, sign_in, settings, prefix
):
    settings.STAFF_MFA_REQUIRED = False  # the second factor has its own tests
    journey = Journey(page, f"secretariat{prefix.replace('/', '-')}", screenshot)
    suffix = prefix.replace("/", "-")
    sign_in(page, "secretariat@ogp-demo.example", "ogp-secretariat-2021")
    language = "en" if prefix else "ko"
    page.goto(prefix + reverse("admin:index"))
    assert page.locator("html").get_attribute("lang") == language
    journey.check("dashboard")

    page.goto(prefix + reverse("admin:proposals_call_add"))
    journey.check("call-form")
    page.evaluate("document.querySelector('#content form').noValidate = true")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").is_visible()
    journey.check("call-refused")
    opens = timezone.localtime() - dt.timedelta(days=1)
    closes = opens + dt.timedelta(days=30)
    page.fill("#id_title", f"골목 정원 제안 공모{suffix}")
    if page.locator("#id_slug").count():
        page.fill("#id_slug", f"alley-gardens{suffix}")
    page.fill("#id_description", "골목마다 작은 정원을 만들 제안을 받습니다.")
    page.fill("#id_opens_at_0", opens.strftime("%Y-%m-%d"))
    page.fill("#id_opens_at_1", opens.strftime("%H:%M:%S"))
    page.fill("#id_closes_at_0", closes.strftime("%Y-%m-%d"))
    page.fill("#id_closes_at_1", closes.strftime("%H:%M:%S"))
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert Call.objects.filter(title=f"골목 정원 제안 공모{suffix}").exists()
    journey.check("call-saved")

    adopted = Proposal.objects.filter(status=Proposal.Status.ADOPTED).first()
    page.goto(prefix + reverse("admin:proposals_proposal_changelist"))
    journey.check("proposals")
    page.check(f"input[name=_selected_action][value='{adopted.pk}']")
    page.select_option("select[name=action]", "make_commitment")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist li").count() >= 1
    journey.check("commitment-action")
    page.goto(prefix + reverse("admin:plans_commitment_changelist"))
    journey.check("commitments")
    journey.finish()
