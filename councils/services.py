"""Council workflows with side effects: memberships, meetings and their notices, minutes."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.services import deliver_once

from .calendars import calendar
from .models import (
    GroupMembership,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
    Notice,
    NoticeKind,
    NoticeStatus,
    WorkingGroup,
)
from .validators import checked_upload

# Notices about the meeting itself carry its calendar entry; notices about minutes do not.
MEETING_NOTICE_KINDS = {
    NoticeKind.PUBLISHED,
    NoticeKind.CHANGED,
    NoticeKind.POSTPONED,
    NoticeKind.CANCELLED,
    NoticeKind.REMINDER,
}


# Memberships ---------------------------------------------------------------------------------


def group_join(*, group: WorkingGroup, user) -> GroupMembership:
    membership, _created = GroupMembership.objects.active().get_or_create(group=group, user=user)
    return membership


def group_leave(*, group: WorkingGroup, user) -> int:
    return (
        GroupMembership.objects.active()
        .filter(group=group, user=user)
        .update(left_at=timezone.now())
    )


# Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, agenda: list[str], publish: bool) -> Meeting:
    """Saves a new meeting with its agenda; publishing it notifies the body at once."""
    meeting.save()
    meeting.set_agenda(agenda)
    if publish:
        meeting_publish(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting) -> Meeting:
    """Makes a meeting public and tells every member of its body."""
    if meeting.is_published:
        raise ValidationError(_("This meeting is already published."))
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["published_at"])
    _notices_create(meeting, NoticeKind.PUBLISHED)
    _reminders_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, changed: list[str], agenda: list[str]) -> Meeting:
    """Saves a changed meeting; once published, every member hears of the change."""
    if meeting.status == MeetingStatus.POSTPONED and {"starts_at", "ends_at"} & set(changed):
        meeting.status = MeetingStatus.PLANNED
    meeting.save()
    if "agenda" in changed:
        meeting.set_agenda(agenda)
    if meeting.is_published and changed:
        _revise(meeting)
        _notices_create(meeting, NoticeKind.CHANGED)
        _reminders_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_postpone(*, meeting: Meeting) -> Meeting:
    return _meeting_set_status(meeting, MeetingStatus.POSTPONED, NoticeKind.POSTPONED)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    return _meeting_set_status(meeting, MeetingStatus.CANCELLED, NoticeKind.CANCELLED)


def _meeting_set_status(meeting: Meeting, status: str, kind: str) -> Meeting:
    if meeting.status in {MeetingStatus.CANCELLED, MeetingStatus.HELD}:
        raise ValidationError(_("A held or cancelled meeting cannot change any more."))
    meeting.status = status
    meeting.save(update_fields=["status"])
    if meeting.is_published:
        _revise(meeting)
        _notices_create(meeting, kind)
    return meeting


def _revise(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(revision=F("revision") + 1)
    meeting.refresh_from_db(fields=["revision"])
    # Reminders written for the old date are void; new ones follow the new revision.
    Notice.objects.filter(
        meeting=meeting,
        status=NoticeStatus.PENDING,
        kind__in=[NoticeKind.REMINDER, NoticeKind.MINUTES_DUE],
    ).update(status=NoticeStatus.VOID)


# Notices -------------------------------------------------------------------------------------


def _notices_create(meeting: Meeting, kind: str, *, recipients=None, due_at=None, sequence=0):
    now = timezone.now()
    recipients = meeting.recipients() if recipients is None else recipients
    Notice.objects.bulk_create(
        [
            Notice(
                meeting=meeting,
                recipient=person,
                kind=kind,
                meeting_revision=meeting.revision,
                sequence=sequence,
                due_at=due_at or now,
            )
            for person in recipients
        ],
        ignore_conflicts=True,
    )
    if due_at is None or due_at <= now:
        notices_dispatch(
            notices=Notice.objects.due(now).filter(
                meeting=meeting,
                kind=kind,
                meeting_revision=meeting.revision,
                sequence=sequence,
                attempts=0,
            )
        )


def _reminders_schedule(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        return
    reminder_at = meeting.starts_at - dt.timedelta(hours=settings.MEETING_REMINDER_BEFORE_HOURS)
    if reminder_at > timezone.now():
        _notices_create(meeting, NoticeKind.REMINDER, due_at=reminder_at)
    organiser = meeting.organiser
    if organiser is not None:
        for days in settings.MINUTES_REMINDER_DAYS:
            _notices_create(
                meeting,
                NoticeKind.MINUTES_DUE,
                recipients=[organiser],
                due_at=meeting.ends_at + dt.timedelta(days=days),
                sequence=days,
            )


def notices_dispatch(*, notices) -> int:
    """Queues the delivery of each notice once the current transaction commits."""
    from .tasks import deliver_notice

    ids = list(notices.values_list("pk", flat=True))
    for notice_id in ids:
        deliver_notice.delay_on_commit(notice_id)
    return len(ids)


def notice_deliver(*, notice_id: int) -> str:
    """Sends one notice at most once; a notice that no longer applies is voided instead."""
    return deliver_once(
        queryset=Notice.objects.select_related(
            "meeting__group__lead", "meeting__council", "recipient"
        ),
        pk=notice_id,
        message_for=_notice_message,
        void_if=_is_void,
    )


def _is_void(notice: Notice) -> bool:
    meeting = notice.meeting
    if not meeting.is_published:
        return True
    if notice.kind == NoticeKind.REMINDER:
        return (
            notice.meeting_revision != meeting.revision or meeting.status != MeetingStatus.PLANNED
        )
    if notice.kind == NoticeKind.MINUTES_DUE:
        return (
            meeting.status == MeetingStatus.CANCELLED
            or Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).exists()
        )
    return False


def _notice_message(notice: Notice) -> EmailMultiAlternatives:
    meeting = notice.meeting
    recipient = notice.recipient
    with translation.override(recipient.language):
        context = {
            "notice": notice,
            "meeting": meeting,
            "recipient": recipient,
            "agenda": list(meeting.agenda_items.all()),
            "url": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
        }
        subject = f"[{meeting.body_name}] {notice.get_kind_display()}: {meeting.title}"
        body = render_to_string("councils/email/notice.txt", context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " "), body=body, to=[recipient.email]
    )
    if notice.kind in MEETING_NOTICE_KINDS:
        method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
        message.attach(
            "meeting.ics",
            calendar([meeting], name=meeting.body_name, method=method),
            f"text/calendar; method={method}; charset=utf-8",
        )
    return message


# Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_create(
    *, meeting: Meeting, author, attendees=(), attending_members=(), **fields
) -> Minutes:
    """Starts the minutes of a meeting that has taken place, as a draft."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes can be written once the meeting has started."))
    minutes = Minutes.objects.create(meeting=meeting, author=author, **fields)
    minutes.attendees.set(attendees)
    minutes.attending_members.set(attending_members)
    if meeting.status in {MeetingStatus.PLANNED, MeetingStatus.POSTPONED}:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return minutes


@transaction.atomic
def minutes_advance(*, minutes: Minutes, expected: str | None = None) -> Minutes:
    """Moves the minutes one step on; circulating them asks the attendees for comments.

    `expected` is the step the person saw: a second click on the same button does nothing.
    """
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if expected is not None and locked.status != expected:
        raise ValidationError(_("These minutes have already moved on; nothing was changed."))
    minutes.status = locked.status
    minutes.advance()
    if minutes.status == Minutes.Status.CIRCULATED:
        _notices_create(
            minutes.meeting, NoticeKind.MINUTES_CIRCULATED, recipients=minutes.attendees.all()
        )
    return minutes


def minutes_comment(*, minutes: Minutes, author, body: str) -> MinutesComment:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    return MinutesComment.objects.create(minutes=minutes, author=author, body=body)


@transaction.atomic
def minutes_correct(*, minutes: Minutes, author, reason: str, **fields) -> MinutesRevision:
    """Corrects published minutes: the old text and the reason stay visible, dated."""
    if not minutes.is_published:
        raise ValidationError(_("Only published minutes are corrected; edit the draft instead."))
    if not reason.strip():
        raise ValidationError(_("Say why the published minutes are corrected."))
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    revision = MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revisions.count() + 1,
        previous_body=minutes.body,
        previous_decisions=minutes.decisions,
        previous_action_items=minutes.action_items,
        reason=reason,
        author=author,
    )
    for name, value in fields.items():
        setattr(minutes, name, value)
    minutes.save(update_fields=list(fields))
    return revision


def minutes_attach(*, minutes: Minutes, title: str, upload) -> MinutesAttachment:
    return MinutesAttachment.objects.create(minutes=minutes, title=title, **checked_upload(upload))


@transaction.atomic
def notices_retry(*, meetings) -> int:
    """Sends the latest notice again to everyone whose delivery failed."""
    failed = Notice.objects.filter(meeting__in=meetings, status=NoticeStatus.FAILED)
    failed.update(status=NoticeStatus.PENDING, due_at=timezone.now(), last_error="", attempts=0)
    return notices_dispatch(notices=Notice.objects.due().filter(meeting__in=meetings))
