"""A person's own page: what they proposed, supported, discussed, joined, followed and voted
in."""

from django.utils.translation import gettext_lazy as _

from consultations.models import Participation
from councils.models import GroupMembership
from ogp_portal.views import PortalTemplateView
from proposals.models import DebateParticipant, Proposal, Support

# Each list shows the latest this many; the page says how many more there are.
SHOWN = 50


def _latest(queryset) -> dict:
    items = list(queryset[:SHOWN])
    # A short list is the whole list: only a full one needs counting.
    return {"items": items, "total": queryset.count() if len(items) == SHOWN else len(items)}


class MyParticipationView(PortalTemplateView):
    permission_required = "public.view_own_participation"
    template_name = "public/my_participation.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            title=_("My participation"),
            proposals=_latest(
                Proposal.objects.filter(author=user).select_related("call").order_by("-pk")
            ),
            supports=_latest(
                Support.objects.filter(user=user)
                .select_related("proposal__call")
                .order_by("-created_at")
            ),
            debates=_latest(
                DebateParticipant.objects.filter(user=user)
                .select_related("debate__proposal")
                .order_by("-joined_at")
            ),
            groups=_latest(
                GroupMembership.objects.active()
                .filter(user=user)
                .select_related("group")
                .order_by("-joined_at")
            ),
            calls=_latest(user.followed_calls.order_by("-opens_at")),
            polls=_latest(user.followed_polls.order_by("-opens_at")),
            votes=_latest(
                Participation.objects.filter(user=user)
                .select_related("poll__result")
                .order_by("-poll__opens_at")
            ),
            **kwargs,
        )
