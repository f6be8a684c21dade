from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from ogp_portal.spreadsheets import csv_response
from ogp_portal.views import RateLimitMixin, RulePermissionMixin, run_service

from . import services
from .charts import result_bars
from .forms import BoothTotalsForm, BoothVoterForm, ReceiptForm
from .models import Ballot, Booth, Option, Participation, Poll, Result, publication_minutes


class PollListView(ListView):
    template_name = "consultations/poll_list.html"
    context_object_name = "polls"
    paginate_by = 20

    def get_queryset(self):
        return Poll.objects.published().select_related("result")


def _published_poll(slug: str) -> Poll:
    return get_object_or_404(
        Poll.objects.published()
        .select_related("result")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("display_order", "pk")),
            "proposals",
            "booths",
        ),
        slug=slug,
    )


def _result_of(poll: Poll) -> Result | None:
    try:
        return poll.result
    except Result.DoesNotExist:
        return None


def _counts(poll: Poll, result: Result | None) -> list[tuple[str, int]]:
    """Frozen counts once published, live counters before: never a count over ballots."""
    if result is not None:
        return [(label, votes) for label, votes in result.counts]
    return [(option.label, option.votes) for option in poll.options.all()]


def _channels(result: Result | None) -> list[dict]:
    """A frozen result's counts per channel, when it has more than the online one."""
    if result is None or len(result.channels) < 2:
        return []
    return result.channels


class PollDetailView(DetailView):
    template_name = "consultations/poll_detail.html"
    context_object_name = "poll"

    def get_object(self, queryset=None):
        return _published_poll(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        poll = self.object
        user = self.request.user
        result = _result_of(poll)
        counts = _counts(poll, result)
        has_voted = (
            user.is_authenticated and Participation.objects.filter(poll=poll, user=user).exists()
        )
        context.update(
            booths=list(poll.booths.all()),
            channels=_channels(result),
            refusal=poll.requirement_refusal(user)
            if user.is_authenticated and poll.is_open and not has_voted
            else None,
            options=list(poll.options.all()),
            proposals=list(poll.proposals.all()),
            result=result,
            turnout=result.turnout_figures() if result else None,
            receipt_form=ReceiptForm() if result else None,
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


class PollVoteView(RulePermissionMixin, RateLimitMixin, View):
    """POST a ballot. The receipt is shown in this response only and never stored with you."""

    permission_required = "consultations.vote"
    rate_limit = "vote"
    verify_message = gettext_lazy("Please verify your e-mail address before you vote.")

    @cached_property
    def poll(self) -> Poll:
        return get_object_or_404(
            Poll.objects.published().prefetch_related("options"), slug=self.kwargs["slug"]
        )

    def get_permission_object(self):
        return self.poll

    def get_next_url(self) -> str:
        return self.get_permission_object().get_absolute_url()

    def post(self, request, slug):
        poll = self.get_permission_object()
        receipt = run_service(
            request,
            services.poll_vote,
            poll=poll,
            user=request.user,
            option_ids=request.POST.getlist("option"),
        )
        if receipt is None:
            return redirect(poll)
        voted_at = timezone.now()
        response = render(
            request,
            "consultations/receipt.html",
            {
                "poll": poll,
                "receipt": receipt,
                "voted_at": voted_at,
                "receipt_text": _receipt_text(request, poll, receipt, voted_at),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


def _receipt_text(request, poll: Poll, receipt: str, voted_at) -> str:
    """The receipt as the plain-text file a voter downloads and keeps."""
    lines = [
        _("Gwangju OGP Council: vote receipt"),
        _("Poll: %(question)s") % {"question": poll.question},
        _("Address: %(url)s") % {"url": request.build_absolute_uri(poll.get_absolute_url())},
        _("Receipt code: %(code)s") % {"code": receipt},
        _("Voted on: %(at)s") % {"at": timezone.localtime(voted_at).strftime("%Y-%m-%d %H:%M %Z")},
        _(
            "When the poll closes, every counted receipt code is published on the poll page: "
            "look yours up there."
        ),
    ]
    return "\n".join(lines) + "\n"


class PollFollowView(RulePermissionMixin, View):
    permission_required = "consultations.follow_poll"

    def post(self, request, slug):
        poll = _published_poll(slug)
        if request.POST.get("unfollow"):
            poll.followers.remove(request.user)
        else:
            poll.followers.add(request.user)
            messages.success(
                request, _("You will hear when this poll opens, closes and publishes.")
            )
        return redirect(poll)


class ReceiptCheckView(View):
    """Is this receipt code among the counted ballots of a published result? One code at a time."""

    def get(self, request, slug):
        poll = _published_poll(slug)
        result = _result_of(poll)
        if result is None:
            raise Http404
        form = ReceiptForm(request.GET)
        counted = None
        if form.is_valid():
            code = form.cleaned_data["code"]
            counted = Ballot.objects.filter(poll=poll, receipt=code).exists()
        return render(
            request,
            "consultations/receipt_check.html",
            {"poll": poll, "result": result, "receipt_form": form, "counted": counted},
        )


class ReceiptListView(View):
    """Every counted receipt code of a published result, streamed as text.

    One code a line, each followed by a line feed, in byte order, UTF-8: the file whose SHA-256
    the result publishes. Read from the database in chunks, so memory stays the same at any size.
    """

    def get(self, request, slug):
        poll = _published_poll(slug)
        if _result_of(poll) is None:
            raise Http404
        codes = Ballot.objects.filter(poll=poll).receipt_codes()
        response = StreamingHttpResponse(_lines(codes), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="receipts-{poll.slug}.txt"'
        return response


def _lines(codes, per_chunk: int = 2000):
    chunk = []
    for code in codes:
        chunk.append(f"{code}\n")
        if len(chunk) == per_chunk:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def _aggregate(poll: Poll) -> dict:
    result = _result_of(poll)
    counts = _counts(poll, result)
    total = sum(votes for _, votes in counts)
    return {
        "poll": poll.slug,
        "question": poll.question,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "final": result is not None,
        "ballots": result.ballots if result else poll.ballot_count,
        "participants": result.participants if result else poll.ballot_count,
        "turnout": result.turnout_figures() if result else None,
        "channels": [
            {
                "channel": channel["channel"],
                "name": channel["name"],
                "ballots": channel["ballots"],
                "options": [{"label": label, "votes": votes} for label, votes in channel["counts"]],
            }
            for channel in (result.channels if result else [])
        ],
        "options": [
            {
                "label": label,
                "votes": votes,
                "percent": round(100 * votes / total, 1) if total else 0.0,
            }
            for label, votes in counts
        ],
        "licence": "CC BY 4.0",
    }


class PollResultsDownloadView(View):
    """The aggregate result as CSV or JSON: counts only, no person, no ballot."""

    def get(self, request, slug, extension):
        poll = _published_poll(slug)
        if extension not in {"csv", "json"} or not poll.shows_results:
            raise Http404
        data = _aggregate(poll)
        if extension == "json":
            return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        rows = [[o["label"], o["votes"], o["percent"]] for o in data["options"]]
        return csv_response(
            filename=f"poll-{poll.slug}.csv",
            header=["option", "votes", "percent"],
            rows=rows + _turnout_rows(data["turnout"]),
        )


def _turnout_rows(figures: dict | None) -> list[list]:
    """The turnout below the options, each figure named with what it counts."""
    if figures is None:
        return []
    rows = [
        [_("Ballots online"), figures["ballots_online"], ""],
        [_("Ballots on site"), figures["ballots_on_site"], ""],
    ]
    if figures["eligible"]:
        rows += [
            [
                _("People eligible: %(counts)s") % {"counts": figures["eligible_counts"]},
                figures["eligible"],
                "",
            ],
            [
                _("Turnout: all ballots ÷ people eligible"),
                figures["ballots"],
                figures["turnout_percent"],
            ],
        ]
    return rows


class BoothView(RulePermissionMixin, View):
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
