"""The public record drawn from every app: the timeline, the OGP requirement tracker and the
action plan's completion; the self-assessment report reads the same functions."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Max, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Result
from councils.models import Council, Document, Meeting, MeetingKind, MeetingStatus, Minutes
from plans.models import (
    ActionPlan,
    Commitment,
    Completion,
    DraftComment,
    DraftConsultation,
    Milestone,
)
from proposals.models import Call, Proposal


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
    demo: bool = False


def _seen(record, day: dt.date, headline: str, title: str) -> Event:
    """An event the portal itself saw happen to `record` on `day`: `headline` with its title."""
    return Event(
        date=day,
        automatic=True,
        title=headline % {"title": title},
        url=record.get_absolute_url(),
        demo=getattr(record, "is_demo", False),
    )


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
            _seen(call, timezone.localdate(call.opens_at), _("Call opened: %(title)s"), call.title)
        )
    results = Result.objects.select_related("poll")
    for result in results.order_by("-poll__closes_at")[:recent]:
        poll = result.poll
        day = timezone.localdate(poll.closes_at)
        events.append(_seen(poll, day, _("Poll closed: %(title)s"), poll.question))
    plans = ActionPlan.objects.filter(adopted_on__isnull=False).order_by("-adopted_on")
    for plan in plans[:recent]:
        events.append(_seen(plan, plan.adopted_on, _("Action plan adopted: %(title)s"), plan.title))
    held = Meeting.objects.public().filter(status=MeetingStatus.HELD)
    for meeting in held.order_by("-starts_at")[:recent]:
        day = timezone.localdate(meeting.starts_at)
        events.append(_seen(meeting, day, _("Meeting held: %(title)s"), meeting.title))
    events = [e for e in events if not e.automatic or since < e.date <= today]
    return sorted(events, key=lambda e: (e.date, e.automatic))


@dataclass(frozen=True)
class Figure:
    """A number a requirement is judged by, and the address of the records behind it."""

    key: str
    label: str
    value: int
    url: str


@dataclass
class Requirement:
    key: str
    title: str
    rule: str
    met: bool
    finding: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


EVIDENCE_SHOWN = 10


def requirements(council: Council, *, today: dt.date | None = None) -> list[Requirement]:
    """Each OGP requirement, judged from the portal's own data, with the evidence behind it.

    The meetings are counted by the database in one query and each list of evidence is cut to
    a few rows: the cost does not grow with the number of meetings.
    """
    today = today or timezone.localdate()
    meetings = Meeting.objects.public().filter(council=council).order_by("starts_at", "pk")
    rules = _meeting_rules(today)
    counts = meetings.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in rules.items()}
    )
    committee_url = reverse("councils:committee")
    checks = [
        _forum_meets(council, meetings, today, committee_url),
        _membership_published(council, committee_url),
        _information_before_meetings(meetings, rules, counts),
        _minutes_published(meetings, rules, counts),
        _proposals_answered(),
        _draft_comments_answered(),
        _repository_fresh(council, today),
        _civil_society_meetings(meetings, rules, counts),
    ]
    return checks


def _meeting_rules(today: dt.date) -> dict[str, Q]:
    """Which published meetings each requirement counts, as conditions on the meeting."""
    notice = dt.timedelta(days=settings.OGP_NOTICE_DAYS_BEFORE)
    minutes_within = dt.timedelta(days=settings.OGP_MINUTES_WITHIN_DAYS)
    announced = Q(starts_at__date__lte=today) & ~Q(status=MeetingStatus.CANCELLED)
    minutes_due = Q(status=MeetingStatus.HELD, ends_at__date__lte=today - minutes_within)
    return {
        "announced": announced,
        "announced_late": announced & Q(published_at__gt=F("starts_at") - notice),
        "minutes_due": minutes_due,
        "minutes_late": minutes_due
        & (
            Q(minutes__isnull=True)
            | ~Q(minutes__status=Minutes.Status.PUBLISHED)
            | Q(minutes__published_at__gt=F("ends_at") + minutes_within)
        ),
        "with_civil_society_held": (Q(group__isnull=False) | Q(kind=MeetingKind.REGULAR))
        & Q(status=MeetingStatus.HELD, starts_at__date__gte=today - dt.timedelta(days=365)),
    }


def _link(meeting: Meeting) -> tuple[str, str]:
    return (f"{timezone.localdate(meeting.starts_at)} {meeting.title}", meeting.get_absolute_url())


def _examples(meetings, condition: Q) -> list[tuple[str, str]]:
    shown = meetings.filter(condition).only("pk", "title", "starts_at")[:EVIDENCE_SHOWN]
    return [_link(m) for m in shown]


def records_url(key: str) -> str:
    """The page listing the records behind the figure `key` (see `figure_records`)."""
    return reverse("tracker_records", args=[key])


def _meeting_figure(key: str, label: str, counts) -> Figure:
    return Figure(key, label, counts[key], records_url(key))


def _forum_meets(council, meetings, today, committee_url) -> Requirement:
    regular = meetings.of_committee().regular_in_operating_period(council)
    quarters = [q for q in council.quarters(regular) if q.end < today or q.is_held]
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
        reasons=[f"{q.year} Q{q.quarter}: {q.explanation}" for q in missed],
        figures=[
            Figure(
                "quarters_held",
                _("Quarters with a regular meeting held"),
                len(quarters) - len(missed),
                committee_url + "#quarters-title",
            ),
            Figure(
                "quarters_elapsed",
                _("Quarters elapsed"),
                len(quarters),
                committee_url + "#quarters-title",
            ),
        ],
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
        figures=[Figure("members", _("Current members"), members, committee_url)],
    )


def _information_before_meetings(meetings, rules, counts) -> Requirement:
    late, total = counts["announced_late"], counts["announced"]
    return Requirement(
        key="information_before_meetings",
        title=_("Information is shared before each meeting"),
        rule=_("Each meeting and its agenda are published at least %(days)d days before it.")
        % {"days": settings.OGP_NOTICE_DAYS_BEFORE},
        met=bool(total) and not late,
        finding=_("%(late)d of %(total)d meetings were announced late.")
        % {"late": late, "total": total},
        evidence=_examples(meetings, rules["announced_late" if late else "announced"]),
        figures=[
            _meeting_figure("announced", _("Meetings announced"), counts),
            _meeting_figure("announced_late", _("Meetings announced late"), counts),
        ],
    )


def _minutes_published(meetings, rules, counts) -> Requirement:
    late, total = counts["minutes_late"], counts["minutes_due"]
    return Requirement(
        key="minutes_published",
        title=_("Minutes are published on time"),
        rule=_("The minutes of each meeting are published within %(days)d days.")
        % {"days": settings.OGP_MINUTES_WITHIN_DAYS},
        met=not late,
        finding=_("%(late)d of %(total)d held meetings lack minutes published on time.")
        % {"late": late, "total": total},
        evidence=_examples(meetings, rules["minutes_late" if late else "minutes_due"]),
        figures=[
            _meeting_figure("minutes_due", _("Held meetings whose minutes are due"), counts),
            _meeting_figure("minutes_late", _("Minutes missing or late"), counts),
        ],
    )


def contributions() -> dict[str, tuple[str, object]]:
    """The contributions of the calls owed a reasoned answer, by kind: its name and its records.

    The tracker and the self-assessment count each kind from it. Today: the proposals of closed
    calls. The draft plan's comments have their own row (`_draft_comments_answered`), since a
    plan cannot be adopted while one waits.
    """
    closed = Call.objects.closed()
    proposals = Proposal.objects.public().filter(call__in=closed)
    return {"proposals": (_("Proposals of closed calls"), proposals)}


def awaiting_response(records):
    """Those of a kind's records still without an answer."""
    return records.awaiting_response()


def _contribution_figures(awaiting: dict[str, int]) -> list[Figure]:
    """How many of each kind, and how many of them await a response (`awaiting` gives the
    numbers already counted, by kind)."""
    figures = []
    for kind, (label, records) in contributions().items():
        figures.append(Figure(kind, label, records.count(), records_url(kind)))
        waiting_key = f"{kind}_awaiting"
        figures.append(
            Figure(
                waiting_key,
                _("%(kind)s awaiting a response") % {"kind": label},
                awaiting[kind] if kind in awaiting else awaiting_response(records).count(),
                records_url(waiting_key),
            )
        )
    return figures


def _proposals_answered() -> Requirement:
    closed = Call.objects.closed()
    # One query gives the first few and how many in all; it reads the waiting proposals only
    # (an index holds them), not every proposal.
    waiting = list(
        awaiting_response(contributions()["proposals"][1])
        .annotate(waiting=Window(Count("pk")))
        .only("pk", "title")[:EVIDENCE_SHOWN]
    )
    count = waiting[0].waiting if waiting else 0
    figures = _contribution_figures(awaiting={"proposals": count})
    return Requirement(
        key="proposals_answered",
        title=_("Every proposal has a reasoned response"),
        rule=_("Each proposal of a closed call says what was decided and why."),
        met=not count,
        finding=_("%(waiting)d proposals of closed calls await a response.") % {"waiting": count},
        evidence=[(p.title, p.get_absolute_url()) for p in waiting]
        or [
            (c.title, reverse("proposals:call_report", args=[c.slug]))
            for c in closed.only("title", "slug")[:EVIDENCE_SHOWN]
        ],
        figures=figures,
    )


def _draft_comments_answered() -> Requirement:
    """Two queries whatever the number of comments: the counts, and the latest drafts' reports
    (which list each comment with its answer, or say that it awaits one)."""
    counts = DraftComment.objects.aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(answered_at__isnull=True, hidden_at__isnull=True)),
    )
    drafts = DraftConsultation.objects.select_related("plan").order_by("-opens_at")
    return Requirement(
        key="draft_comments_answered",
        title=_("Every comment on the draft plan is answered"),
        rule=_(
            "The draft action plan is published for comment, and each comment receives a "
            "reasoned answer before the plan is adopted."
        ),
        met=bool(counts["total"]) and not counts["waiting"],
        finding=_("%(waiting)d of %(total)d comments on the draft plan await their answer.")
        % counts,
        evidence=[
            (d.plan.title, reverse("proposals:draft_report", args=[d.plan.slug]))
            for d in drafts[:EVIDENCE_SHOWN]
        ],
    )


def _repository_fresh(council, today) -> Requirement:
    days = settings.OGP_REPOSITORY_FRESH_DAYS
    latest_document = (
        Document.objects.public().filter(council=council).aggregate(latest=Max("date"))["latest"]
    )
    latest_minutes = Minutes.objects.public().aggregate(latest=Max("published_at"))["latest"]
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
        figures=[
            Figure(
                "days_since_addition",
                _("Days since the last addition"),
                (today - latest).days if latest else -1,
                reverse("repository"),
            )
        ],
    )


def _civil_society_meetings(meetings, rules, counts) -> Requirement:
    count = counts["with_civil_society_held"]
    return Requirement(
        key="civil_society_meetings",
        title=_("Implementation is discussed with civil society"),
        rule=_("At least two meetings with civil society on implementation in the last year."),
        met=count >= 2,
        finding=_("%(count)d such meetings held in the last twelve months.") % {"count": count},
        evidence=_examples(meetings, rules["with_civil_society_held"]),
        figures=[
            _meeting_figure(
                "with_civil_society_held", _("Meetings with civil society held"), counts
            )
        ],
    )


# The records behind each figure, listed by the tracker's records page.


def figure_records(council: Council, key: str, *, today: dt.date | None = None):
    """The queryset of records behind the figure `key`, or None for an unknown key.

    Meetings for the meeting figures (the conditions the requirements count by), contributions
    by kind and those awaiting an answer, commitments at a completion level (`level_<level>`).
    """
    today = today or timezone.localdate()
    rules = _meeting_rules(today)
    if key in rules:
        meetings = Meeting.objects.public().filter(council=council)
        return meetings.filter(rules[key]).order_by("-starts_at", "-pk").distinct()
    kinds = contributions()
    if key in kinds:
        return kinds[key][1].order_by("-pk")
    if key.endswith("_awaiting") and key.removesuffix("_awaiting") in kinds:
        return awaiting_response(kinds[key.removesuffix("_awaiting")][1]).order_by("-pk")
    return None


# The action plan's completion on OGP's IRM scale, from each milestone's evidence.


@dataclass
class PlanCompletion:
    plan: ActionPlan | None
    commitments: list[Commitment]
    counts: dict[str, int]
    overridden: list[Milestone]
    figures: list[Figure] = field(default_factory=list)


def plan_completion(plan: ActionPlan | None = None) -> PlanCompletion:
    """The plan's commitments (the current plan by default), each with its milestones and their
    evidence, how many stand at each level, and the milestones whose level staff set by hand.

    Four queries, whatever the plan's size.
    """
    plan = plan or ActionPlan.objects.current()
    commitments = list(plan.commitments.with_progress().order_by("pk")) if plan else []
    counts = dict.fromkeys(Completion.values, 0)
    for commitment in commitments:
        counts[commitment.completion_level()] += 1
    overridden = [m for c in commitments for m in c.milestones.all() if m.is_overridden]
    figures = [
        Figure(
            f"level_{level}",
            str(Completion(level).label),
            counts[level],
            records_url(f"level_{level}"),
        )
        for level in reversed(Completion.values)
    ]
    return PlanCompletion(plan, commitments, counts, overridden, figures)


def commitments_at(completion: PlanCompletion, key: str) -> list[Commitment] | None:
    """The commitments behind the figure `level_<level>`, or None for another key."""
    level = key.removeprefix("level_")
    if not key.startswith("level_") or level not in Completion.values:
        return None
    return [c for c in completion.commitments if c.completion_level() == level]


def all_figures(council: Council, completion: PlanCompletion) -> list[Figure]:
    """Every figure of the tracker: the requirements' and the plan's completion levels."""
    return [f for r in requirements(council) for f in r.figures] + completion.figures


def absolute(url: str) -> str:
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def figure_document(figure: Figure) -> dict:
    return {
        "key": figure.key,
        "label": figure.label,
        "value": figure.value,
        "records": absolute(figure.url),
    }


def completion_document(completion: PlanCompletion) -> dict:
    """The plan's completion as data: each commitment and milestone with its level, the level
    the evidence shows, the secretariat's level and reason where set, and the evidence."""
    plan = completion.plan
    return {
        "plan": plan.title if plan else None,
        "scale": [{"level": level, "label": str(label)} for level, label in Completion.choices],
        "commitments_per_level": [figure_document(f) for f in completion.figures],
        "commitments": [
            {
                "id": c.pk,
                "title": c.title,
                "url": absolute(c.get_absolute_url()),
                "level": c.completion_level(),
                "progress_percent": round(c.progress),
                "milestones": [
                    {
                        "id": m.pk,
                        "title": m.title,
                        "level": m.completion_level(),
                        "derived_level": m.derived_completion(),
                        "set_by_secretariat": m.completion,
                        "reason": m.completion_reason if m.is_overridden else "",
                        "set_at": m.completion_set_at.isoformat()
                        if m.is_overridden and m.completion_set_at
                        else None,
                        "evidence": [
                            {
                                "kind": e.kind,
                                "label": e.label(),
                                "url": absolute(e.get_absolute_url()),
                                "shows": e.shows(),
                                "note": e.note,
                            }
                            for e in m.evidence.all()
                        ],
                    }
                    for m in c.milestones.all()
                ],
            }
            for c in completion.commitments
        ],
    }
