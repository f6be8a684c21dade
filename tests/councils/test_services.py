import datetime as dt
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from councils import services
from councils.models import Meeting, Minutes, MinutesRevision, Notice, NoticeKind
from outbox import tasks
from outbox.models import Message
from tests.factories import GroupMembershipFactory, MeetingFactory, MinutesFactory, UserFactory


def ics_of(message) -> Calendar:
    ((name, content, mimetype),) = message.attachments
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


@pytest.fixture
def meeting(group):
    return MeetingFactory(group=group, title="태양광 점검 회의")


def publish(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)


def test_publishing_mails_every_member_once_with_a_valid_ics(
    meeting, member, lead, django_capture_on_commit_callbacks
):
    meeting.set_agenda(["태양광 현장 점검", "교육 계획"])
    publish(meeting, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, lead.email])
    message = mail.outbox[0]
    assert "태양광 점검 회의" in message.subject
    assert "태양광 현장 점검" in message.body and "광주광역시청" in message.body
    event = ics_of(message).walk("VEVENT")[0]
    assert event["SUMMARY"].endswith("태양광 점검 회의")
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event["LOCATION"] == "광주광역시청"
    assert "태양광 현장 점검" in event["DESCRIPTION"]
    announced = Notice.objects.get(kind=NoticeKind.PUBLISHED).messages
    assert list(announced.values_list("status", flat=True)) == [Message.Status.SENT] * 2


def test_notices_go_out_in_each_persons_language(
    meeting, member, lead, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    publish(meeting, django_capture_on_commit_callbacks)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "Meeting announced" in by_person[member.email].subject
    assert "회의" in by_person[lead.email].body


def test_a_retried_task_never_mails_a_person_twice(
    meeting, member, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    tasks.drain_outbox.apply()
    assert len(mail.outbox) == sent


def test_nothing_is_sent_for_an_unpublished_meeting(meeting, member):
    services.meeting_update(meeting=meeting, changed=["title"], agenda=[])
    services.meeting_postpone(meeting=meeting)
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_a_change_is_a_new_revision_with_its_own_notice(
    meeting, member, lead, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    meeting.venue = "5·18기념문화센터"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, changed=["venue"], agenda=[])
    assert len(mail.outbox) == 2
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and event["LOCATION"] == "5·18기념문화센터"


def test_cancelling_sends_a_cancel_calendar_entry(
    meeting, member, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    with pytest.raises(ValidationError):
        services.meeting_postpone(meeting=meeting)


def test_beat_reminds_the_body_once_when_the_meeting_comes_near(
    meeting, member, lead, django_capture_on_commit_callbacks, settings
):
    publish(meeting, django_capture_on_commit_callbacks)
    minutes_due = Notice.objects.filter(kind=NoticeKind.MINUTES_DUE).order_by("sequence")
    assert [
        (list(n.messages.values_list("recipient", flat=True)), n.sequence) for n in minutes_due
    ] == [([lead.pk], 3), ([lead.pk], 7)]
    mail.outbox.clear()
    assert services.reminders_send() == 0  # the meeting is days away
    window = dt.timedelta(hours=settings.MEETING_REMINDER_BEFORE_HOURS)
    near = meeting.starts_at - window + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=near) == 1
    assert services.reminders_send(now=near) == 0  # once per revision
    assert len(mail.outbox) == 2
    assert all(message.subject.startswith("[에너지 워킹그룹] 회의 알림") for message in mail.outbox)


def test_a_changed_date_voids_the_reminder_and_the_new_date_gets_its_own(
    meeting, member, django_capture_on_commit_callbacks, settings
):
    publish(meeting, django_capture_on_commit_callbacks)
    window = dt.timedelta(hours=settings.MEETING_REMINDER_BEFORE_HOURS)
    near = meeting.starts_at - window + dt.timedelta(minutes=1)
    services.reminders_send(now=near)  # written, not sent yet
    meeting.starts_at += dt.timedelta(days=1)
    meeting.ends_at += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, changed=["starts_at", "ends_at"], agenda=[])
    assert services.reminders_send(now=meeting.starts_at - window + dt.timedelta(minutes=1)) == 1
    old, new = Notice.objects.filter(kind=NoticeKind.REMINDER).order_by("meeting_revision")
    assert (old.meeting_revision, new.meeting_revision) == (0, 1)
    assert set(old.messages.values_list("status", flat=True)) == {Message.Status.VOID}
    assert old.messages.count() == new.messages.count() == 2


def test_a_notice_the_mail_server_refuses_waits_for_its_next_attempt(
    meeting, member, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    publish(meeting, django_capture_on_commit_callbacks)
    message = Notice.objects.get(kind=NoticeKind.PUBLISHED).messages.first()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)
    assert "mail server down" in message.last_error and message.due_at > timezone.now()


def test_minutes_reminders_stop_once_minutes_are_published(
    meeting, lead, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=9),
        ends_at=timezone.now() - dt.timedelta(days=8),
    )
    minutes = MinutesFactory(
        meeting=meeting, status=Minutes.Status.PUBLISHED, published_at=timezone.now()
    )
    Notice.objects.filter(kind=NoticeKind.MINUTES_DUE).messages().update(due_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.drain_outbox.apply()
    assert mail.outbox == []
    assert minutes.is_published


def test_membership_join_and_leave_keep_the_record(group, citizen):
    services.group_join(group=group, user=citizen)
    services.group_join(group=group, user=citizen)
    assert group.memberships.active().filter(user=citizen).count() == 1
    services.group_leave(group=group, user=citizen)
    services.group_join(group=group, user=citizen)
    assert group.memberships.filter(user=citizen).count() == 2


def test_minutes_cannot_be_written_before_the_meeting_or_for_a_cancelled_one(meeting, lead):
    with pytest.raises(ValidationError):
        services.minutes_create(meeting=meeting, author=lead, body="x")
    meeting.starts_at = timezone.now() - dt.timedelta(hours=3)
    meeting.ends_at = timezone.now() - dt.timedelta(hours=1)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError):
        services.minutes_create(meeting=meeting, author=lead, body="x")


def test_a_correction_keeps_the_old_text_and_the_reason(lead):
    minutes = MinutesFactory(status=Minutes.Status.PUBLISHED, published_at=timezone.now())
    revision = services.minutes_correct(
        minutes=minutes, author=lead, reason="참석자 이름 오기 수정", body="고친 본문"
    )
    minutes.refresh_from_db()
    assert minutes.body == "고친 본문"
    assert revision.previous_body == "회의에서 **태양광** 확대를 논의했습니다."
    assert revision.number == 1 and MinutesRevision.objects.count() == 1
    with pytest.raises(ValidationError):
        services.minutes_correct(minutes=minutes, author=lead, reason=" ", body="또")


def test_a_draft_is_not_corrected_but_edited(lead):
    minutes = MinutesFactory(status=Minutes.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.minutes_correct(minutes=minutes, author=lead, reason="r", body="b")


def test_a_member_who_just_joined_is_notified_too(meeting, django_capture_on_commit_callbacks):
    person = UserFactory(username="nolang")
    from tests.factories import GroupMembershipFactory

    GroupMembershipFactory(group=meeting.group, user=person)
    publish(meeting, django_capture_on_commit_callbacks)
    assert any(person.email in m.to for m in mail.outbox)
    assert message_from_bytes(mail.outbox[0].message().as_bytes()).is_multipart()


def test_circulating_minutes_asks_the_attendees_for_comments(
    group, lead, member, citizen, django_capture_on_commit_callbacks
):
    minutes = MinutesFactory(meeting__group=group, author=lead)
    minutes.attendees.add(member)
    with pytest.raises(ValidationError):
        services.minutes_comment(minutes=minutes, author=member, body="너무 일러요")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_advance(minutes=minutes)
    (message,) = mail.outbox
    assert message.to == [member.email] and not message.attachments
    assert "의견" in message.body
    services.minutes_comment(minutes=minutes, author=member, body="2번 안건 표현을 고쳐 주세요")
    assert minutes.comments.get().author == member


@pytest.mark.parametrize("size", [5, 50])
def test_publishing_costs_the_same_queries_whatever_the_size_of_the_body(
    group, size, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(size):
        GroupMembershipFactory(group=group)
    meeting = MeetingFactory(group=group)
    # 31: the meeting's row read before its change and its audit entry are two of them, a new
    # page version for each public record written four more (ogp_portal.cache.pages_outdate).
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(31):
        services.meeting_publish(meeting=meeting)
    announced = Notice.objects.get(kind=NoticeKind.PUBLISHED)
    assert announced.messages.count() == size + 1  # and the lead


def test_a_meeting_announced_inside_the_reminder_window_gets_no_reminder_after_it(
    group, member, django_capture_on_commit_callbacks, settings
):
    soon = timezone.now() + dt.timedelta(hours=settings.MEETING_REMINDER_BEFORE_HOURS - 2)
    meeting = MeetingFactory(group=group, starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
    publish(meeting, django_capture_on_commit_callbacks)
    assert services.reminders_send() == 0
    assert not Notice.objects.filter(kind=NoticeKind.REMINDER).exists()
