"""Council workflows with side effects: memberships, meetings and their notices, minutes."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.uploads import checked_upload
from outbox.models import Kind, Message
from outbox.services import messages_fan_out, messages_retry, messages_void

from .calendars import calendar
from .models import (
    GroupMembership,
    Meeting,
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
    Notice,
    NoticeKind,
    WorkingGroup,
)

# Memberships ---------------------------------------------------------------------------------


# A person's joins and leaves run one at a time (their account row is locked), so many clicks
# at once end in one membership or none, never in a clash.


@transaction.atomic
def group_join(*, group: WorkingGroup, user) -> GroupMembership:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    membership, _created = GroupMembership.objects.active().get_or_create(group=group, user=user)
    return membership


@transaction.atomic
def group_leave(*, group: WorkingGroup, user) -> int:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
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


def _locked(meeting: Meeting) -> Meeting:
    """The meeting as the database holds it, locked until the change commits."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status, meeting.published_at, meeting.revision = (
        locked.status,
        locked.published_at,
        locked.revision,
    )
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting) -> Meeting:
    """Makes a meeting public and tells every member of its body."""
    _locked(meeting).publish()
    _notices_create(meeting, NoticeKind.PUBLISHED)
    _reminders_schedule(meeting)
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
        _notices_create(meeting, NoticeKind.CHANGED)
        _reminders_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_postpone(*, meeting: Meeting) -> Meeting:
    _locked(meeting).postpone()
    return _meeting_changed(meeting, NoticeKind.POSTPONED)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    _locked(meeting).cancel()
    return _meeting_changed(meeting, NoticeKind.CANCELLED)


def _meeting_changed(meeting: Meeting, kind: str) -> Meeting:
    if meeting.is_published:
        _revise(meeting)
        _notices_create(meeting, kind)
    return meeting


def _revise(meeting: Meeting) -> None:
    meeting.revise()
    # Reminders written for the old date are void; new ones follow the new revision.
    messages_void(
        messages=meeting.notices.filter(
            kind__in=[NoticeKind.REMINDER, NoticeKind.MINUTES_DUE]
        ).messages()
    )


# Notices -------------------------------------------------------------------------------------


@transaction.atomic
def _notices_create(meeting: Meeting, kind: str, *, recipients=None, due_at=None, sequence=0):
    notice, _created = Notice.objects.get_or_create(
        meeting=meeting, kind=kind, meeting_revision=meeting.revision, sequence=sequence
    )
    messages_fan_out(
        key=f"notice:{notice.pk}",
        kind=Kind.MEETINGS,
        addresses=meeting.notice_addresses() if recipients is None else recipients.addresses(),
        composer=Notice.COMPOSER,
        ref=notice.pk,
        due_at=due_at,
    )


def _reminders_schedule(meeting: Meeting) -> None:
    """The organiser's reminders to post the minutes, 3 and 7 days after the meeting."""
    organiser = meeting.organiser
    if not meeting.is_planned or organiser is None:
        return
    for days in settings.MINUTES_REMINDER_DAYS:
        _notices_create(
            meeting,
            NoticeKind.MINUTES_DUE,
            recipients=get_user_model().objects.filter(pk=organiser.pk),
            due_at=meeting.ends_at + dt.timedelta(days=days),
            sequence=days,
        )


def reminders_send(*, now=None) -> int:
    """Beat: reminds the body of each published meeting that starts soon, once per revision.

    Written when due rather than at publication, so publishing pays for one notice only. A
    meeting announced when it was already this near needs no reminder after its announcement.
    """
    now = now or timezone.now()
    before = dt.timedelta(hours=settings.MEETING_REMINDER_BEFORE_HOURS)
    reminded = Notice.objects.filter(
        meeting=OuterRef("pk"), kind=NoticeKind.REMINDER, meeting_revision=OuterRef("revision")
    )
    due = (
        Meeting.objects.published()
        .filter(
            status=Meeting.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + before,
            published_at__lt=F("starts_at") - before,
        )
        .exclude(Exists(reminded))
    )
    count = 0
    for meeting in due:
        _notices_create(meeting, NoticeKind.REMINDER)
        count += 1
    return count


def _notice_of(message: Message, memo: dict) -> Notice:
    """The notice with its meeting and agenda, loaded once for a batch of the outbox."""
    notice = memo.get(message.composer_ref)
    if notice is None:
        notice = Notice.objects.select_related("meeting__group", "meeting__council").get(
            pk=message.composer_ref
        )
        notice.agenda = list(notice.meeting.agenda_items.all())
        memo[message.composer_ref] = notice
    return notice


def notice_is_void(message: Message, memo: dict) -> bool:
    """A notice the meeting has outgrown: unpublished, re-dated, cancelled, minutes posted."""
    notice = _notice_of(message, memo)
    meeting = notice.meeting
    if not meeting.is_published:
        return True
    if notice.kind == NoticeKind.REMINDER:
        return notice.meeting_revision != meeting.revision or not meeting.is_planned
    if notice.kind == NoticeKind.MINUTES_DUE:
        return meeting.is_cancelled or Minutes.objects.published().filter(meeting=meeting).exists()
    return False


def notice_compose(message: Message, memo: dict) -> EmailMultiAlternatives:
    notice = _notice_of(message, memo)
    meeting = notice.meeting
    with translation.override(message.language):
        context = {
            "notice": notice,
            "meeting": meeting,
            "name": message.recipient.public_name() if message.recipient else "",
            "address": message.address,
            "agenda": notice.agenda,
            "url": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
            # a digest carries no attachment: it links the calendar file instead
            "ics_url": settings.SITE_URL.rstrip("/")
            + reverse("councils:meeting_ical", args=[meeting.pk])
            if memo.get("digest")
            else "",
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
        }
        subject = f"[{meeting.body_name}] {notice.get_kind_display()}: {meeting.title}"
        body = render_to_string("councils/email/notice.txt", context)
    email = EmailMultiAlternatives(
        subject=subject.replace("\n", " "), body=body, to=[message.address]
    )
    if notice.carries_calendar:
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        if ("ics", notice.pk) not in memo:
            memo["ics", notice.pk] = calendar([meeting], name=meeting.body_name, method=method)
        email.attach(
            "meeting.ics",
            memo["ics", notice.pk],
            f"text/calendar; method={method}; charset=utf-8",
        )
    return email


# Minutes -------------------------------------------------------------------------------------


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
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if expected is not None and locked.status != expected:
        raise ValidationError(_("These minutes have already moved on; nothing was changed."))
    minutes.status = locked.status
    minutes.advance()
    if minutes.is_circulated:
        _notices_create(
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


def notices_retry(*, meetings) -> int:
    """Sends the notices of these meetings again to everyone whose delivery failed."""
    return messages_retry(messages=Notice.objects.filter(meeting__in=meetings).messages())


@transaction.atomic
def membership_name_show(*, group: WorkingGroup, user, show: bool) -> int:
    """The member chooses whether the group's page lists their name (not listed by default)."""
    return GroupMembership.objects.active().filter(group=group, user=user).update(show_name=show)


# Personal data (registered with the kernel's privacy services) -------------------------------


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "working_groups": [
            {
                "group": m.group.name,
                "joined_at": m.joined_at,
                "left_at": m.left_at,
                "name_listed": m.show_name,
            }
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "committee_seats": [
            {
                "name": seat.name,
                "affiliation": seat.affiliation,
                "term_start": seat.term_start,
                "term_end": seat.term_end,
            }
            for seat in user.committee_seats.order_by("term_start")
        ],
        "meetings_attended": [
            {"meeting": str(m.meeting), "date": m.meeting.starts_at}
            for m in user.attended_minutes.select_related("meeting").order_by("meeting__starts_at")
        ],
        "comments_on_minutes": [
            {"meeting": str(c.minutes.meeting), "body": c.body, "created_at": c.created_at}
            for c in MinutesComment.objects.filter(author=user).select_related("minutes__meeting")
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Ends open memberships (and their listed names) and unlinks committee seats; comments
    and attendance stay in the record, under "Former member"."""
    GroupMembership.objects.active().filter(user=user).update(left_at=now, show_name=False)
    GroupMembership.objects.filter(user=user).update(show_name=False)
    user.committee_seats.update(user=None)
