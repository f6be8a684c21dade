"""Meetings: scheduling, publishing, changing, postponing and cancelling, each told to the body."""

from django.db import transaction

from ogp_portal.models import row_lock
from outbox.services import messages_void

from ..models import Meeting, NoticeKind
from .notices import notices_create, reminders_schedule


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
    row_lock(meeting, "status", "published_at", "revision").publish()
    notices_create(meeting, NoticeKind.PUBLISHED)
    reminders_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, changed: list[str], agenda: list[str]) -> Meeting:
    """Saves a changed meeting; once published, every member hears of the change."""
    if meeting.is_postponed and {"starts_at", "ends_at"} & set(changed):
        meeting.status = Meeting.Status.PLANNED
    meeting.save()
    if "agenda" in changed:
        meeting.set_agenda(agenda)
    if meeting.is_published and changed:
        _revise(meeting)
        notices_create(meeting, NoticeKind.CHANGED)
        reminders_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_postpone(*, meeting: Meeting) -> Meeting:
    row_lock(meeting, "status", "published_at", "revision").postpone()
    return _meeting_changed(meeting, NoticeKind.POSTPONED)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    row_lock(meeting, "status", "published_at", "revision").cancel()
    return _meeting_changed(meeting, NoticeKind.CANCELLED)


def _meeting_changed(meeting: Meeting, kind: str) -> Meeting:
    if meeting.is_published:
        _revise(meeting)
        notices_create(meeting, kind)
    return meeting


def _revise(meeting: Meeting) -> None:
    meeting.revise()
    # Reminders written for the old date are void; new ones follow the new revision.
    messages_void(
        messages=meeting.notices.filter(
            kind__in=[NoticeKind.REMINDER, NoticeKind.MINUTES_DUE]
        ).messages()
    )
