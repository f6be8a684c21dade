"""The public record drawn from every app: the timeline and the OGP requirement tracker."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Result
from councils.models import Council, Document, Meeting, MeetingKind, MeetingStatus, Minutes
from proposals.models import ActionPlan, Call, Proposal


@dataclass(frozen=True)
class Event:
    date: dt.date
    title: str
    url: str = ""
    details: str = ""
    end: dt.date | None = None
    ongoing: bool = False
    month_only: bool = False
    automatic: bool = False


def timeline(council: Council, *, recent: int = 20) -> list[Event]:
    """The recorded steps of the action-plan work, then what the portal itself has seen.

    Of the portal's own events, the `recent` latest of each kind are kept.
    """
    today = timezone.localdate()
    events = [
        Event(
            date=e.starts_on,
            end=e.ends_on,
            title=e.title,
            details=e.details,
            ongoing=e.ongoing,
            month_only=e.precision == "month",
        )
        for e in council.timeline.all()
    ]
    # What the secretariat recorded comes first; the portal adds what happened after it.
    since = max((e.date for e in events), default=dt.date.min)
    for call in Call.objects.filter(opens_at__lte=timezone.now()).order_by("-opens_at")[:recent]:
        events.append(
            Event(
                date=timezone.localdate(call.opens_at),
                automatic=True,
                title=_("Call opened: %(title)s") % {"title": call.title},
                url=call.get_absolute_url(),
            )
        )
    for result in Result.objects.select_related("poll").order_by("-poll__closes_at")[:recent]:
        events.append(
            Event(
                date=timezone.localdate(result.poll.closes_at),
                automatic=True,
                title=_("Poll closed: %(title)s") % {"title": result.poll.question},
                url=result.poll.get_absolute_url(),
            )
        )
    for plan in ActionPlan.objects.filter(adopted_on__isnull=False).order_by("-adopted_on")[
        :recent
    ]:
        events.append(
            Event(
                date=plan.adopted_on,
                automatic=True,
                title=_("Action plan adopted: %(title)s") % {"title": plan.title},
                url=plan.get_absolute_url(),
            )
        )
    held = Meeting.objects.published().filter(status=MeetingStatus.HELD)
    for meeting in held.order_by("-starts_at")[:recent]:
        events.append(
            Event(
                date=timezone.localdate(meeting.starts_at),
                automatic=True,
                title=_("Meeting held: %(title)s") % {"title": meeting.title},
                url=meeting.get_absolute_url(),
            )
        )
    events = [e for e in events if not e.automatic or since < e.date <= today]
    return sorted(events, key=lambda e: (e.date, e.automatic))


@dataclass
class Requirement:
    key: str
    title: str
    rule: str
    met: bool
    finding: str
    evidence: list[tuple[str, str]] = field(default_factory=list)


def requirements(council: Council, *, today: dt.date | None = None) -> list[Requirement]:
    """Each OGP requirement, judged from the portal's own data, with the evidence behind it."""
    today = today or timezone.localdate()
    meetings = list(
        Meeting.objects.published()
        .filter(council=council)
        .select_related("group", "minutes")
        .order_by("starts_at")
    )
    committee_url = reverse("councils:committee")
    checks = [
        _forum_meets(council, meetings, today, committee_url),
        _membership_published(council, committee_url),
        _information_before_meetings(meetings, today),
        _minutes_published(meetings, today),
        _proposals_answered(),
        _repository_fresh(council, today),
        _civil_society_meetings(meetings, today),
    ]
    return checks


def _link(meeting: Meeting) -> tuple[str, str]:
    return (f"{timezone.localdate(meeting.starts_at)} {meeting.title}", meeting.get_absolute_url())


def _forum_meets(council, meetings, today, committee_url) -> Requirement:
    quarters = [
        q
        for q in council.quarters([m for m in meetings if not m.group_id])
        if q.end < today or q.is_held
    ]
    missed = [q for q in quarters if not q.is_held]
    return Requirement(
        key="forum_meets",
        title=_("The forum meets regularly"),
        rule=_(
            "A regular committee meeting every quarter of the operating period "
            "(OGP asks for at least two a year)."
        ),
        met=bool(quarters) and not missed,
        finding=_("%(held)d of %(total)d elapsed quarters had a regular meeting held.")
        % {"held": len(quarters) - len(missed), "total": len(quarters)},
        evidence=[(_("Quarter by quarter"), committee_url + "#quarters-title")]
        + [_link(q.meeting) for q in quarters if q.meeting],
    )


def _membership_published(council, committee_url) -> Requirement:
    members = council.members.current().count()
    return Requirement(
        key="membership_published",
        title=_("Members and rules are published"),
        rule=_("Who sits on the forum, and how it works, are public."),
        met=members > 0 and bool(council.meeting_rules.strip()),
        finding=_("%(members)d current members listed; rules of operation %(rules)s.")
        % {
            "members": members,
            "rules": _("published") if council.meeting_rules.strip() else _("missing"),
        },
        evidence=[(_("Steering committee"), committee_url)],
    )


def _information_before_meetings(meetings, today) -> Requirement:
    days = settings.OGP_NOTICE_DAYS_BEFORE
    due = [
        m
        for m in meetings
        if timezone.localdate(m.starts_at) <= today and m.status != MeetingStatus.CANCELLED
    ]
    late = [m for m in due if m.published_at > m.starts_at - dt.timedelta(days=days)]
    return Requirement(
        key="information_before_meetings",
        title=_("Information is shared before each meeting"),
        rule=_("Each meeting and its agenda are published at least %(days)d days before it.")
        % {"days": days},
        met=bool(due) and not late,
        finding=_("%(late)d of %(total)d meetings were announced late.")
        % {"late": len(late), "total": len(due)},
        evidence=[_link(m) for m in (late or due)][:10],
    )


def _minutes_published(meetings, today) -> Requirement:
    days = settings.OGP_MINUTES_WITHIN_DAYS
    held = [
        m
        for m in meetings
        if m.status == MeetingStatus.HELD
        and timezone.localdate(m.ends_at) + dt.timedelta(days=days) <= today
    ]
    late = []
    for meeting in held:
        minutes = meeting.minutes if _has_minutes(meeting) else None
        deadline = meeting.ends_at + dt.timedelta(days=days)
        if minutes is None or not minutes.is_published or minutes.published_at > deadline:
            late.append(meeting)
    return Requirement(
        key="minutes_published",
        title=_("Minutes are published on time"),
        rule=_("The minutes of each meeting are published within %(days)d days.") % {"days": days},
        met=not late,
        finding=_("%(late)d of %(total)d held meetings lack minutes published on time.")
        % {"late": len(late), "total": len(held)},
        evidence=[_link(m) for m in (late or held)][:10],
    )


def _has_minutes(meeting) -> bool:
    try:
        meeting.minutes  # noqa: B018 - loaded with the meeting
    except Minutes.DoesNotExist:
        return False
    return True


def _proposals_answered() -> Requirement:
    closed = list(Call.objects.closed())
    waiting = Proposal.objects.filter(call__in=closed).awaiting_response().select_related("call")
    waiting = list(waiting)
    return Requirement(
        key="proposals_answered",
        title=_("Every proposal has a reasoned response"),
        rule=_("Each proposal of a closed call says what was decided and why."),
        met=not waiting,
        finding=_("%(waiting)d proposals of closed calls await a response.")
        % {"waiting": len(waiting)},
        evidence=[(p.title, p.get_absolute_url()) for p in waiting][:10]
        or [(c.title, reverse("proposals:call_report", args=[c.slug])) for c in closed],
    )


def _repository_fresh(council, today) -> Requirement:
    days = settings.OGP_REPOSITORY_FRESH_DAYS
    latest_document = (
        Document.objects.public().filter(council=council).aggregate(latest=Max("date"))["latest"]
    )
    latest_minutes = Minutes.objects.published().aggregate(latest=Max("published_at"))["latest"]
    dates = [
        d
        for d in (latest_document, timezone.localdate(latest_minutes) if latest_minutes else None)
        if d
    ]
    latest = max(dates) if dates else None
    return Requirement(
        key="repository_fresh",
        title=_("The repository is kept up to date"),
        rule=_("Something new is published at least every %(days)d days (OGP Local: four months).")
        % {"days": days},
        met=latest is not None and (today - latest).days <= days,
        finding=_("Last addition: %(date)s.") % {"date": latest or "—"},
        evidence=[(_("Documents"), reverse("repository"))],
    )


def _civil_society_meetings(meetings, today) -> Requirement:
    since = today - dt.timedelta(days=365)
    held = [
        m
        for m in meetings
        if m.status == MeetingStatus.HELD
        and timezone.localdate(m.starts_at) >= since
        and (m.group_id or m.kind == MeetingKind.REGULAR)
    ]
    return Requirement(
        key="civil_society_meetings",
        title=_("Implementation is discussed with civil society"),
        rule=_("At least two meetings with civil society on implementation in the last year."),
        met=len(held) >= 2,
        finding=_("%(count)d such meetings held in the last twelve months.") % {"count": len(held)},
        evidence=[_link(m) for m in held][:10],
    )
