"""The self-assessment report OGP asks of its local members, generated from live data.

Every number is a figure of the requirement tracker (`transparency.requirements`) or of the
plan's completion (`transparency.plan_completion`): the report arranges them in OGP's
structure and computes nothing of its own, so the two can never disagree.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Council

from . import transparency

# OGP's sections, each with the tracker's requirements it reports on.
SECTIONS = [
    ("forum", ["forum_meets", "membership_published", "civil_society_meetings"]),
    ("co_creation", ["information_before_meetings", "minutes_published"]),
    ("contributions", ["proposals_answered", "draft_comments_answered"]),
    ("repository", ["repository_fresh"]),
]


@dataclass
class Section:
    key: str
    title: str
    asks: str
    requirements: list[transparency.Requirement] = field(default_factory=list)
    steps: list[transparency.Event] = field(default_factory=list)

    @property
    def figures(self) -> list[transparency.Figure]:
        return [f for r in self.requirements for f in r.figures]


@dataclass
class Report:
    council: Council
    generated_at: object
    sections: list[Section]
    completion: transparency.PlanCompletion

    @property
    def figures(self) -> list[transparency.Figure]:
        return [f for s in self.sections for f in s.figures] + self.completion.figures


def _titles() -> dict[str, tuple[str, str]]:
    return {
        "forum": (
            _("Multi-stakeholder forum"),
            _("Forum meetings held against the forum's rule, its members and rules published."),
        ),
        "co_creation": (
            _("Co-creation"),
            _(
                "The steps of the plan's co-creation, and information shared before and after "
                "each meeting."
            ),
        ),
        "contributions": (
            _("Every contribution answered"),
            _("Each contribution of the public receives a reasoned response."),
        ),
        "repository": (
            _("Online repository"),
            _("The repository is updated at least every four months."),
        ),
        "other": (_("Other requirements"), _("Further requirements the tracker checks.")),
    }


def report(council: Council) -> Report:
    """The report as it stands today: a bounded number of queries whatever the data's size."""
    found = {r.key: r for r in transparency.requirements(council)}
    titles = _titles()
    sections = []
    for key, requirement_keys in SECTIONS:
        title, asks = titles[key]
        section = Section(key, title, asks, [found.pop(k) for k in requirement_keys if k in found])
        if key == "co_creation":
            section.steps = [e for e in transparency.timeline(council) if not e.automatic]
        sections.append(section)
    if found:  # a requirement added to the tracker later is reported too
        title, asks = titles["other"]
        sections.append(Section("other", title, asks, list(found.values())))
    return Report(council, timezone.now(), sections, transparency.plan_completion())


def document(report: Report) -> dict:
    """The report as JSON: the same figures, each with the address of its records."""
    return {
        "council": report.council.name,
        "generated_at": report.generated_at.isoformat(),
        "page": transparency.absolute(reverse("self_assessment")),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "asks": s.asks,
                "requirements": [
                    {
                        "key": r.key,
                        "title": r.title,
                        "rule": r.rule,
                        "met": r.met,
                        "finding": r.finding,
                        "figures": [transparency.figure_document(f) for f in r.figures],
                    }
                    for r in s.requirements
                ],
                "steps": [
                    {"date": e.date.isoformat(), "title": e.title, "details": e.details}
                    for e in s.steps
                ],
            }
            for s in report.sections
        ],
        "completion": transparency.completion_document(report.completion),
    }
