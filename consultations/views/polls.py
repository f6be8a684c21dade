"""Polls: the list, a poll's page, and following it."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from ogp_portal.views import PortalView

from ..charts import result_bars
from ..forms import ReceiptForm
from ..models import Option, Participation, Poll, publication_minutes
from ..results import channels_of, counts_of, result_of


class PollListView(ListView):
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


class PollDetailView(DetailView):
    template_name = "consultations/poll_detail.html"
    context_object_name = "poll"

    def get_object(self, queryset=None):
        return public_poll(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        poll = self.object
        user = self.request.user
        result = result_of(poll)
        counts = counts_of(poll, result)
        has_voted = (
            user.is_authenticated and Participation.objects.filter(poll=poll, user=user).exists()
        )
        context.update(
            booths=list(poll.booths.all()),
            channels=channels_of(result),
            disclosure_minimum=poll.disclosure_minimum,
            refusal=poll.requirement_refusal(user)
            if user.is_authenticated and poll.is_open and not has_voted
            else None,
            options=list(poll.options.all()),
            proposals=list(poll.proposals.all()),
            result=result,
            receipt_form=ReceiptForm() if result else None,
            turnout=result.turnout_figures() if result else None,
            batch=settings.POLL_BALLOTS_PER_BATCH,
            chart=result_bars(counts) if poll.shows_results else None,
            has_voted=has_voted,
            publication_minutes=publication_minutes(),
            awaited_booths=[b.name for b in poll.booths.awaiting_totals().order_by("name")]
            if poll.is_counting
            else [],
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
