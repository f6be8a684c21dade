"""iCalendar (RFC 5545) for meetings: the attachment of a notice and the public feeds."""

from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting, MeetingStatus


def _uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "ogp.local"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("sequence", meeting.revision)
    event.add("dtstamp", meeting.published_at or meeting.starts_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"[{meeting.body_name}] {meeting.title}")
    event.add("location", meeting.online_url or meeting.venue_display)
    agenda = "\n".join(
        f"{number}. {item.title}" for number, item in enumerate(meeting.agenda_items.all(), 1)
    )
    event.add("description", agenda)
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    status = {
        MeetingStatus.CANCELLED: "CANCELLED",
        MeetingStatus.POSTPONED: "TENTATIVE",
    }.get(meeting.status, "CONFIRMED")
    event.add("status", status)
    return event


def calendar(meetings, *, name: str, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Gwangju OGP Council//ogp-portal//KO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        cal.add("method", method)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    return cal.to_ical()
