"""Minutes: drafting, moving them on, comments, corrections of published minutes, files."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.models import row_lock
from ogp_portal.uploads import checked_upload

from ..models import (
    Meeting,
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
    NoticeKind,
)
from .notices import notices_create


@transaction.atomic
def minutes_create(
    *, meeting: Meeting, author, attendees=(), attending_members=(), **fields
) -> Minutes:
    """Starts the minutes of a meeting that has taken place, as a draft."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes can be written once the meeting has started."))
    minutes = Minutes.objects.create(meeting=meeting, author=author, **fields)
    minutes.attendees.set(attendees)
    minutes.attending_members.set(attending_members)
    meeting.mark_held()
    return minutes


@transaction.atomic
def minutes_advance(*, minutes: Minutes, expected: str | None = None) -> Minutes:
    """Moves the minutes one step on; circulating them asks the attendees for comments.

    `expected` is the step the person saw: a second click on the same button does nothing.
    """
    row_lock(minutes, "status")
    if expected is not None and minutes.status != expected:
        raise ValidationError(_("These minutes have already moved on; nothing was changed."))
    minutes.advance()
    if minutes.is_circulated:
        notices_create(
            minutes.meeting, NoticeKind.MINUTES_CIRCULATED, recipients=minutes.attendees.all()
        )
    return minutes


def minutes_comment(*, minutes: Minutes, author, body: str) -> MinutesComment:
    if not minutes.is_circulated:
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    return MinutesComment.objects.create(minutes=minutes, author=author, body=body)


@transaction.atomic
def minutes_correct(*, minutes: Minutes, author, reason: str, **fields) -> MinutesRevision:
    """Corrects published minutes: the old text and the reason stay visible, dated."""
    if not minutes.is_published:
        raise ValidationError(_("Only published minutes are corrected; edit the draft instead."))
    if not reason.strip():
        raise ValidationError(_("Say why the published minutes are corrected."))
    row_lock(minutes)
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
