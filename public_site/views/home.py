"""The front door: what is open, what comes next, the council's timeline."""

from django.utils import timezone
from django.views.generic import TemplateView

from consultations.models import Poll
from councils.models import CommitteeMember, Council, Meeting, Minutes
from ogp_portal.views import SharedPageMixin
from plans.models import ActionPlan
from proposals.models import Call

from .. import transparency

# How many open calls, open polls, upcoming meetings and latest minutes the front page lists.
SHOWN = 5


class HomeView(SharedPageMixin, TemplateView):
    """The public OGP page: the front door for visitors."""

    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shared_compute"] = front_page
        return context


def front_page() -> dict:
    """What the front page shows, the same to everyone."""
    council = Council.objects.prefetch_related("directions", "timeline").primary()
    context = {"council": council}
    if council is None:
        return context
    now = timezone.now()
    checks = transparency.requirements(council)
    plan = ActionPlan.objects.current()
    events = transparency.timeline(council)
    commitments = list(plan.commitments.with_progress()) if plan else []
    context.update(
        member_count=CommitteeMember.objects.filter(council=council).current().count(),
        group_count=council.working_groups.count(),
        open_calls=list(Call.objects.open(now)[:SHOWN]),
        open_polls=list(Poll.objects.open(now)[:SHOWN]),
        upcoming_meetings=list(Meeting.objects.public().upcoming().select_related("group")[:SHOWN]),
        latest_minutes=list(
            Minutes.objects.public()
            .select_related("meeting__group")
            .order_by("-published_at")[:SHOWN]
        ),
        latest_results=list(
            Poll.objects.public()
            .filter(result__isnull=False)
            .select_related("result")
            .order_by("-closes_at")[:3]
        ),
        # The demo's present-day examples are listed apart from the recorded history.
        timeline=[e for e in events if not e.demo],
        demo_events=[e for e in events if e.demo],
        plan=plan,
        commitments=commitments,
        plan_progress=round(sum(c.progress or 0 for c in commitments) / len(commitments))
        if commitments
        else None,
        requirements_met=sum(r.met for r in checks),
        requirements_total=len(checks),
    )
    return context
