"""Polls: the list, a poll's page, and following it."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from ogp_portal.cache import shared
from ogp_portal.views import PortalView, SharedPageMixin

from ..charts import result_bars
from ..forms import ReceiptForm
from ..models import Option, Participation, Poll, publication_minutes
from ..results import channels_of, counts_of, result_of


class PollListView(SharedPageMixin, ListView):
    template_name = "consultations/poll_list.html"
    context_object_name = "polls"
    paginate_by = 20

    def get_queryset(self):
        return Poll.objects.public().select_related("result")


def public_poll(slug: str) -> Poll:
    return get_object_or_404(
        Poll.objects.public()
        .select_related("result")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("display_order", "pk")),
            "proposals",
            "booths",
        ),
        slug=slug,
    )


# Live counts move with every batch of ballots, which outdates no page: what a poll's page shows
# everyone is shared for as long as the page cache keeps poll pages (PAGE_CACHE_SECONDS).
SHARED_SECONDS = 5


def poll_page(slug: str) -> dict:
    """What a poll's page shows, the same to everyone."""
    poll = public_poll(slug)
    result = result_of(poll)
    counts = counts_of(poll, result)
    return {
        "poll": poll,
        "booths": list(poll.booths.all()),
        "channels": channels_of(result),
        "disclosure_minimum": poll.disclosure_minimum,
        "options": list(poll.options.all()),
        "proposals": list(poll.proposals.all()),
        "result": result,
        "turnout": result.turnout_figures() if result else None,
        "batch": settings.POLL_BALLOTS_PER_BATCH,
        # Live counts show one count behind (`services._tally_step`): two batches at least.
        "first_shown": 2 * settings.POLL_BALLOTS_PER_BATCH,
        "chart": result_bars(counts) if poll.shows_results else None,
        "publication_minutes": publication_minutes(),
        "awaited_booths": [b.name for b in poll.booths.awaiting_totals().order_by("name")]
        if poll.is_counting
        else [],
    }


class PollDetailView(SharedPageMixin, DetailView):
    template_name = "consultations/poll_detail.html"
    context_object_name = "poll"
    page_shared_seconds = SHARED_SECONDS

    @cached_property
    def shared(self) -> dict:
        slug = self.kwargs["slug"]
        return shared(f"poll:{slug}", lambda: poll_page(slug), seconds=SHARED_SECONDS)

    def get_object(self, queryset=None):
        return self.shared["poll"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        poll = self.object
        user = self.request.user
        has_voted = (
            user.is_authenticated and Participation.objects.filter(poll=poll, user=user).exists()
        )
        context.update(
            self.shared,
            refusal=poll.requirement_refusal(user)
            if user.is_authenticated and poll.is_open and not has_voted
            else None,
            receipt_form=ReceiptForm() if self.shared["result"] else None,
            has_voted=has_voted,
            is_following=user.is_authenticated and poll.followers.filter(pk=user.pk).exists(),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.request.user.is_authenticated:
            # The ballot form is never kept by the browser: Back after voting fetches the page
            # again, which then says that this person has voted instead of offering the form.
            response["Cache-Control"] = "no-store"
        return response


class PollFollowView(PortalView):
    permission_required = "consultations.follow_poll"

    def post(self, request, slug):
        poll = public_poll(slug)
        if request.POST.get("unfollow"):
            poll.followers.remove(request.user)
        else:
            poll.followers.add(request.user)
            messages.success(
                request, _("You will hear when this poll opens, closes and publishes.")
            )
        return redirect(poll)
