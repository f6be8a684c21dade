"""A published result: checking a receipt, the list of receipts, the downloads."""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ogp_portal.spreadsheets import csv_response

from ..forms import ReceiptForm
from ..models import Ballot
from ..results import poll_results, result_of
from .polls import public_poll


class ReceiptCheckView(View):
    """Is this receipt code among the counted ballots of a published result? One code at a time."""

    def get(self, request, slug):
        poll = public_poll(slug)
        result = result_of(poll)
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
        poll = public_poll(slug)
        if result_of(poll) is None:
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


class PollResultsDownloadView(View):
    """The aggregate result as CSV or JSON: counts only, no person, no ballot."""

    def get(self, request, slug, extension):
        poll = public_poll(slug)
        # While closed and counting, as on the page, no count: the online counts then, less
        # the final result, would give the booths' totals, however few voted there.
        if extension not in {"csv", "json"} or not poll.shows_results or poll.is_counting:
            raise Http404
        data = poll_results(poll)
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
