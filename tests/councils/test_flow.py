"""The whole councils story in a real browser, with a real Celery worker on Redis."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from councils.models import GroupMembership, Meeting, Minutes, Notice
from ogp_portal.cache import pages_outdate
from outbox.models import Message
from tests.factories import UserFactory, WorkingGroupFactory


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def new_page(browser, live_server, sign_in, email: str):
    """A browser of its own for each person, signed in."""
    page = browser.new_context(base_url=live_server.url, locale="ko-KR").new_page()
    sign_in(page, email, "a-long-test-password")
    return page


@pytest.mark.browser
@pytest.mark.celery_worker
def test_join_schedule_notify_and_publish_minutes(
    browser, live_server, celery_worker, mailoutbox, screenshot, sign_in
):
    group = WorkingGroupFactory(slug="energy", name="에너지 워킹그룹")
    lead = group.lead.user
    citizen = UserFactory(username="citizen", first_name="김시민")

    # A citizen joins the group in one click.
    page = new_page(browser, live_server, sign_in, citizen.email)
    page.goto(group.get_absolute_url())
    page.get_by_role("button", name="그룹 참여").click()
    page.get_by_text("에너지 워킹그룹에 오신 것을 환영합니다.").wait_for()
    assert GroupMembership.objects.active().filter(group=group, user=citizen).exists()
    screenshot(page, "group-joined")

    # The lead schedules a meeting and publishes it.
    lead_page = new_page(browser, live_server, sign_in, lead.email)
    lead_page.goto(group.get_absolute_url())
    lead_page.get_by_role("link", name="회의 잡기").click()
    start = timezone.localtime() + dt.timedelta(days=3)
    lead_page.fill("input[name=title]", "햇빛발전소 점검 회의")
    lead_page.select_option("select[name=format]", "in_person")
    lead_page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT19:00"))
    lead_page.fill("input[name=ends_at]", start.strftime("%Y-%m-%dT21:00"))
    lead_page.fill("input[name=venue]", "광주시민센터 2층")
    lead_page.fill("textarea[name=agenda]", "현장 점검 결과 공유\n시민 교육 계획")
    lead_page.get_by_role("button", name="공개하고 위원에게 알리기").click()
    lead_page.get_by_text("회의를 공개하고 위원에게 안내했습니다.").wait_for()
    meeting = Meeting.objects.get(title="햇빛발전소 점검 회의")
    screenshot(lead_page, "meeting-published")

    # The worker delivers one e-mail to each member, each with a valid calendar entry.
    published = Notice.objects.get(meeting=meeting, kind="published").messages
    assert wait_for(lambda: published.filter(status=Message.Status.SENT).count() == 2)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, citizen.email])
    for message in mailoutbox:
        ((name, content, mimetype),) = message.attachments
        assert (name, mimetype) == ("meeting.ics", "text/calendar; method=REQUEST; charset=utf-8")
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event["LOCATION"] == "광주시민센터 2층"
        assert "현장 점검 결과 공유" in message.body

    # The meeting takes place; the lead writes, circulates, approves and publishes the minutes.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    pages_outdate()  # as a save would: update() sends no signal, and the page is shared
    lead_page.goto(meeting.get_absolute_url())
    lead_page.get_by_role("link", name="회의록 작성").click()
    lead_page.fill("textarea[name=body]", "## 논의\n\n- 햇빛발전소 **현장 점검** 결과를 공유함")
    lead_page.fill("textarea[name=decisions]", "- 다음 달 시민 교육을 연다")
    lead_page.get_by_label("김시민").check()
    lead_page.get_by_role("button", name="저장").click()
    for button in ("참석자에게 회람", "승인", "회의록 공개"):
        lead_page.get_by_role("button", name=button).click()
        lead_page.wait_for_load_state("load")
    assert Minutes.objects.get(meeting=meeting).is_published

    # Anyone reads them.
    visitor = browser.new_context(base_url=live_server.url, locale="ko-KR").new_page()
    visitor.goto(meeting.get_absolute_url())
    minutes = visitor.locator("#minutes")
    assert "현장 점검" in minutes.inner_text()
    assert "김시민" in minutes.inner_text()
    assert minutes.locator("strong").inner_text() == "현장 점검"
    screenshot(visitor, "minutes-published")

    # Circulating the minutes asked the one attendee for comments; nothing else went out.
    circulated = Notice.objects.get(meeting=meeting, kind="minutes_circulated").messages
    assert wait_for(lambda: circulated.filter(status=Message.Status.SENT).count() == 1)
    assert len(mail.outbox) == 3
    assert mail.outbox[2].to == [citizen.email] and not mail.outbox[2].attachments
