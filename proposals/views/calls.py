"""Calls: the list, a call with its proposals, its report (page or CSV), following it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from ogp_portal.cache import shared
from ogp_portal.spreadsheets import csv_response
from ogp_portal.views import (
    RulePermissionMixin,
    SharedPageMixin,
)

from ..models import (
    Call,
)


class CallListView(ListView):
    template_name = "proposals/call_list.html"
    context_object_name = "calls"
    paginate_by = 20

    def get_queryset(self):
        return Call.objects.annotate(
            proposal_count=Count("proposals"),
            awaiting_count=Count("proposals", filter=Q(proposals__response="")),
        ).order_by("-opens_at", "pk")


PROPOSALS_PER_PAGE = 50


AWAITING_SHOWN = 10


def _call_proposals(call):
    return call.proposals.select_related("area", "parent", "commitment").order_by(
        "submitted_at", "pk"
    )


def call_page(slug: str, number: str | None) -> dict:
    """What a call's page shows, the same to everyone: the call and one page of its proposals.

    The page's numbers come on a paginator of the proposals' count alone, so that what is kept
    for everyone holds no query.
    """
    call = get_object_or_404(Call, slug=slug)
    proposals = _call_proposals(call)
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(number)
    awaiting = proposals.filter(response="")
    return {
        "call": call,
        "proposals": list(page.object_list),
        "page_obj": Paginator(range(page.paginator.count), PROPOSALS_PER_PAGE).page(page.number),
        "awaiting": list(awaiting[:AWAITING_SHOWN]),
        "awaiting_count": awaiting.count(),
        "areas": list(call.areas.all()),
        "steps": call.steps(),
    }


class CallDetailView(SharedPageMixin, DetailView):
    model = Call
    template_name = "proposals/call_detail.html"
    context_object_name = "call"

    @cached_property
    def shared(self) -> dict:
        slug, number = self.kwargs["slug"], self.request.GET.get("page", "")[:10]
        return shared(f"call:{slug}:{number}", lambda: call_page(slug, number))

    def get_object(self, queryset=None):
        return self.shared["call"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            self.shared,
            is_following=user.is_authenticated
            and self.object.followers.filter(pk=user.pk).exists(),
        )
        return context


class CallReportView(DetailView):
    """Every proposal of the call, its outcome and its response: as a page or as CSV."""

    model = Call
    template_name = "proposals/call_report.html"
    context_object_name = "call"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        proposals = list(_call_proposals(self.object))
        if request.GET.get("format") == "csv":
            return self.csv_response(proposals)
        return self.render_to_response(
            self.get_context_data(
                proposals=proposals, awaiting=[p for p in proposals if not p.response]
            )
        )

    def csv_response(self, proposals):
        return csv_response(
            filename=f"call-{self.object.slug}.csv",
            header=[
                "id",
                _("Title"),
                _("Area"),
                _("Submitted"),
                _("Status"),
                _("Folded under"),
                _("Supports"),
                _("Response"),
                _("Responded"),
            ],
            rows=(
                [
                    p.pk,
                    p.title,
                    p.area.name if p.area else "",
                    p.submitted_at.date().isoformat(),
                    p.get_status_display(),
                    p.parent.title if p.parent else "",
                    p.support_count,
                    p.response,
                    p.responded_at.date().isoformat() if p.responded_at else "",
                ]
                for p in proposals
            ),
        )


class CallFollowView(RulePermissionMixin, View):
    permission_required = "proposals.follow_call"

    def post(self, request, slug):
        call = get_object_or_404(Call, slug=slug)
        if request.POST.get("unfollow"):
            call.followers.remove(request.user)
            messages.success(request, _("You no longer follow this call."))
        else:
            call.followers.add(request.user)
            messages.success(request, _("You will hear when this call opens and closes."))
        return redirect(call)
