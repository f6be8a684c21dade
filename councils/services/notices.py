"""Meeting notices: written to the outbox, reminded from beat, composed at delivery time."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from outbox.models import Kind, Message
from outbox.services import messages_fan_out, messages_retry

from ..calendars import calendar
from ..models import Meeting, Minutes, Notice, NoticeKind


@transaction.atomic
def notices_create(meeting: Meeting, kind: str, *, recipients=None, due_at=None, sequence=0):
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


def reminders_schedule(meeting: Meeting) -> None:
    """The organiser's reminders to post the minutes, 3 and 7 days after the meeting."""
    organiser = meeting.organiser
    if not meeting.is_planned or organiser is None:
        return
    for days in settings.MINUTES_REMINDER_DAYS:
        notices_create(
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
        Meeting.objects.public()
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
        notices_create(meeting, NoticeKind.REMINDER)
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
        return meeting.is_cancelled or Minutes.objects.public().filter(meeting=meeting).exists()
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


def notices_retry(*, meetings) -> int:
    """Sends the notices of these meetings again to everyone whose delivery failed."""
    return messages_retry(messages=Notice.objects.filter(meeting__in=meetings).messages())
