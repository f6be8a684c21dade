"""Text messages and KakaoTalk 알림톡 through the outbox, against a local server speaking
SOLAPI's API: real requests, real answers, failures (4xx, 5xx, timeouts, a server that is
down, a worker that died), the quiet hours, and the bodies each channel allows."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consultations.services import polls_announce
from councils.models import Meeting
from councils.services import meeting_publish
from outbox import channels, services
from outbox.models import Channel, Frequency, Kind, Message, MobileContact, Preference
from tests.factories import (
    CommitteeMemberFactory,
    CouncilFactory,
    MeetingFactory,
    PollFactory,
    UserFactory,
)
from tests.faults.services import free_port
from tests.outbox.solapi import KEY, PF_ID, SECRET, SENDER, Solapi
from verification.sms import euc_kr_length

SEOUL = ZoneInfo("Asia/Seoul")
NUMBER = "01012345678"


def at(hour: int, minute: int = 0, day: int = 7):
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def gateway(settings):
    settings.SMS_BACKEND = "verification.sms.SolapiGateway"
    settings.ALIMTALK_TEMPLATES = {"meetings": "KA01TP-notice", "polls": "KA01TP-poll"}
    settings.SITE_URL = "https://ogp.example.kr"

    def to(url: str):
        settings.SMS_SOLAPI = {
            "url": url, "api_key": KEY, "api_secret": SECRET, "sender": SENDER,
            "pf_id": PF_ID, "timeout": 1,
        }  # fmt: skip

    return to


def citizen(channel=Channel.SMS, kind=Kind.POLLS):
    person = UserFactory()
    MobileContact.objects.create(
        user=person,
        number=NUMBER,
        sms_consent_at=timezone.now(),
        alimtalk_consent_at=timezone.now() if channel == Channel.ALIMTALK else None,
    )
    Preference.objects.create(
        user=person, kind=kind, frequency=Frequency.IMMEDIATELY, channel=channel
    )
    return person


def poll_opens(person, now):
    poll = PollFactory(opens_at=now - dt.timedelta(minutes=1))
    poll.followers.add(person)
    with mock.patch("django.utils.timezone.now", return_value=now):
        polls_announce(now=now)
    return poll


def drain(now):
    with mock.patch("django.utils.timezone.now", return_value=now):
        return services.outbox_drain(seconds=20)


def test_a_citizen_who_chose_sms_for_polls_gets_one_text(db, gateway):
    person = citizen()
    with Solapi() as server:
        gateway(server.url)
        poll_opens(person, at(10))
        assert drain(at(10)) == 1
        assert drain(at(11)) == 0
        polls_announce(now=at(12))  # announced again: nothing new
        assert drain(at(12)) == 0
    [text] = server.received
    assert text["to"] == NUMBER and text["from"] == SENDER and text["type"] in {"SMS", "LMS"}
    assert "https://ogp.example.kr/" in text["text"] and "/notifications/" in text["text"]
    message = Message.objects.get()
    assert (message.channel, message.address, message.status) == ("sms", NUMBER, "sent")


def test_nothing_at_night_but_in_the_morning(db, gateway):
    person = citizen()
    with Solapi() as server:
        gateway(server.url)
        poll_opens(person, at(23))
        assert drain(at(23)) == 0
        assert drain(at(7, 59, day=8)) == 0
        message = Message.objects.get()
        assert message.due_at == at(8, day=8) and message.attempts == 0
        assert drain(at(8, 1, day=8)) == 1
        assert drain(at(9, day=8)) == 0
    assert len(server.received) == 1


def test_an_email_goes_at_night_and_a_meeting_notice_by_text_too(db, gateway):
    by_mail = UserFactory()
    council = CouncilFactory()
    member = CommitteeMemberFactory(council=council, contact_mobile="010-9876-5432")
    meeting = MeetingFactory(council=council, group=None)
    poll = PollFactory(opens_at=at(22) - dt.timedelta(minutes=1))
    poll.followers.add(by_mail)
    with Solapi() as server:
        gateway(server.url)
        with mock.patch("django.utils.timezone.now", return_value=at(22)):
            polls_announce(now=at(22))
            meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
        drain(at(22))
    assert [t["to"] for t in server.received] == ["01098765432"]
    assert Message.objects.get(recipient=by_mail).status == "sent"
    assert member.contact_mobile


def test_a_committee_member_with_only_a_mobile_number_gets_the_notice_by_alimtalk(
    db, gateway, mailoutbox
):
    council = CouncilFactory()
    seat = CommitteeMemberFactory(council=council, contact_mobile="010-9876-5432", contact_email="")
    CommitteeMemberFactory(council=council, contact_email="member@example.org")
    meeting = MeetingFactory(council=council, group=None, title="제3차 운영위원회")
    assert not meeting.seats().unreachable().exists()
    assert seat.notice_address == "010-9876-5432"
    with Solapi() as server:
        gateway(server.url)
        meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
        services.outbox_drain(seconds=20)
        services.outbox_drain(seconds=20)
    [text] = server.received
    assert text["type"] == "ATA" and text["to"] == "01098765432"
    options = text["kakaoOptions"]
    assert options["pfId"] == PF_ID and options["templateId"] == "KA01TP-notice"
    assert "제3차 운영위원회" in options["variables"]["#{title}"]
    assert options["variables"]["#{url}"].endswith(meeting.get_absolute_url())
    assert options["disableSms"] is False and "제3차 운영위원회" in text["text"]
    assert [m.to for m in mailoutbox] == [["member@example.org"]]
    assert Message.objects.filter(channel="alimtalk", status="sent").count() == 1


def test_a_refused_alimtalk_goes_as_a_text_at_once(db, gateway):
    person = citizen(Channel.ALIMTALK)
    with Solapi(mode="refuse_alimtalk") as server:
        gateway(server.url)
        poll_opens(person, at(10))
        assert drain(at(10)) == 1
    [text] = server.received
    assert text["type"] in {"SMS", "LMS"} and "kakaoOptions" not in text
    assert server.requests == 2


@pytest.mark.parametrize("mode", ["error", "slow", "down"])
def test_a_gateway_that_fails_gets_the_text_later_exactly_once(db, gateway, mode):
    person = citizen()
    poll_opens(person, at(10))
    with Solapi(mode=mode) as server:
        gateway(server.url if mode != "down" else f"http://127.0.0.1:{free_port()}")
        assert drain(at(10)) == 0
    message = Message.objects.get()
    assert message.status == "pending" and message.last_error and message.due_at > at(10)
    with Solapi() as healthy:
        gateway(healthy.url)
        assert drain(at(10, 30)) == 1
        assert drain(at(11)) == 0
    assert len(healthy.received) == 1


def test_a_refusal_fails_the_text_for_staff_who_send_it_again(db, gateway):
    person = citizen()
    poll_opens(person, at(10))
    with Solapi(mode="refuse") as server:
        gateway(server.url)
        drain(at(10))
    message = Message.objects.get()
    assert message.status == "failed" and "ValidationError" in message.last_error
    # Staff send it again a minute later: by day, on the test's clock, not the real one (the
    # real one may be in the quiet hours).
    with mock.patch("django.utils.timezone.now", return_value=at(10, 1)):
        services.messages_retry(messages=Message.objects.all())
    with Solapi() as server:
        gateway(server.url)
        assert drain(at(10, 2)) == 1
    assert len(server.received) == 1


def test_a_worker_killed_after_claiming_leaves_the_text_to_the_next_drain(db, gateway):
    person = citizen()
    poll_opens(person, at(10))
    with mock.patch("django.utils.timezone.now", return_value=at(10)):
        [claimed] = services._claim(limit=10, memo={})  # the worker dies here
    with Solapi() as server:
        gateway(server.url)
        assert drain(at(10, 0)) == 0  # its lease still holds
        assert drain(at(10, 2)) == 1
        assert drain(at(10, 5)) == 0
    assert len(server.received) == 1 and claimed.channel == "sms"


def test_the_daily_limit_per_number_holds_texts_back(db, gateway, settings):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "number_per_day": 1}
    person = citizen()
    with Solapi() as server:
        gateway(server.url)
        poll_opens(person, at(10))
        poll_opens(person, at(10))
        drain(at(10))
    assert len(server.received) == 1
    held = Message.objects.get(status="pending")
    assert held.last_error.startswith("SmsError") and held.due_at > at(10)


def test_a_text_channel_without_consent_falls_back_to_email(db, gateway, mailoutbox):
    person = citizen()
    MobileContact.objects.filter(user=person).update(sms_consent_at=None)
    with Solapi() as server:
        gateway(server.url)
        poll_opens(person, at(10))
        drain(at(10))
    assert server.received == [] and len(mailoutbox) == 1


@pytest.mark.parametrize("subject", ["짧은 알림", "아주 긴 제목 " * 40])
def test_text_bodies_fit_their_channel(db, settings, subject):
    settings.SITE_URL = "https://ogp.example.kr"
    message = Message(address=NUMBER, kind=Kind.POLLS, channel=Channel.SMS, language="ko")
    body = "본문 " * 2000 + "\nhttps://ogp.example.kr/ask/poll-1/\n"
    text = channels.text_of(message, subject=subject, body=body)
    limit = 90 if text.kind == "SMS" else 2000
    assert euc_kr_length(text.text) <= limit
    assert "https://ogp.example.kr/ask/poll-1/" in text.text
    assert "https://ogp.example.kr/notifications/" in text.text
    assert len(text.subject) <= 40


@pytest.mark.parametrize(
    ("hour", "quiet"), [(20, False), (21, True), (23, True), (3, True), (8, False), (12, False)]
)
def test_quiet_hours(hour, quiet):
    end = channels.quiet_hours_end(at(hour))
    assert (end is not None) == quiet
    if quiet:
        assert timezone.localtime(end).hour == 8 and end > at(hour)


def test_verification_codes_and_notices_share_the_per_number_limit(db, gateway, settings):
    from django.core.exceptions import ValidationError

    from verification.services import phone_code_send

    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "number_per_day": 1}
    person = citizen()
    with Solapi() as server:
        gateway(server.url)
        poll_opens(person, at(10))
        drain(at(10))
        with pytest.raises(ValidationError):
            phone_code_send(user=UserFactory(), number="010-1234-5678", now=at(10, 5))
    assert len(server.received) == 1
