"""Polling booths: a poll officer records each voter, then the paper totals."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ogp_portal.views import PortalView, run_service

from .. import services
from ..forms import BoothTotalsForm, BoothVoterForm
from ..models import Booth, Result


class BoothView(PortalView):
    """A poll officer's page: record each voter, then enter the paper totals once."""

    permission_required = "consultations.officiate_booth"

    @cached_property
    def booth(self) -> Booth:
        return get_object_or_404(
            Booth.objects.select_related("poll").prefetch_related("poll__options"),
            pk=self.kwargs["pk"],
            poll__slug=self.kwargs["slug"],
        )

    def get_permission_object(self):
        return self.booth

    def get(self, request, slug, pk):
        return self.show()

    def show(self, voter_form=None, totals_form=None, status=200):
        booth = self.get_permission_object()
        options = list(booth.poll.options.all())
        poll = booth.poll
        frozen = Result.objects.filter(poll=poll).exists()
        records = poll.is_open and booth.totals_entered_at is None and not frozen
        context = {
            "booth": booth,
            "poll": poll,
            "frozen": frozen,
            "recorded": booth.participations.count(),
            # Only the forms that still apply: voters while voting is open and no totals are
            # in; totals until the result is frozen.
            "voter_form": (voter_form or BoothVoterForm()) if records else None,
            "totals_form": None if frozen else totals_form or BoothTotalsForm(options=options),
        }
        return render(self.request, "consultations/booth.html", context, status=status)

    def post(self, request, slug, pk):
        booth = self.get_permission_object()
        if "ballots" in request.POST:
            form = BoothTotalsForm(request.POST, options=list(booth.poll.options.all()))
            if not form.is_valid() or (
                run_service(
                    request,
                    services.booth_totals_enter,
                    booth=booth,
                    ballots=form.cleaned_data["ballots"],
                    invalid=form.cleaned_data["invalid"],
                    votes=form.votes(),
                    done=_("The booth's totals are entered."),
                )
                is None
            ):
                return self.show(totals_form=form, status=400)
            return redirect(booth)
        form = BoothVoterForm(request.POST)
        if not form.is_valid() or (
            run_service(
                request,
                services.booth_participation_record,
                booth=booth,
                **form.cleaned_data,
                done=_("Recorded: give the person a paper ballot."),
            )
            is None
        ):
            return self.show(voter_form=form, status=400)
        return redirect(booth)
