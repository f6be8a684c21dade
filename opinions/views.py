"""An opinion map's pages: its groups (public), taking part (vote, write), and hiding a
statement (staff)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from ogp_portal.views import (
    PortalRateLimitedView,
    PortalTemplateView,
    RateLimitMixin,
    RulePermissionMixin,
    ServiceFormMixin,
    run_service,
)

from .charts import group_picture
from .forms import StatementForm, StatementHideForm, VoteForm
from .models import Choice, OpinionMap, OpinionMapResult, Statement, StatementVote
from .services import statement_hide, statement_vote, statement_write

# Statements the page lists as uniting and as dividing the groups.
LISTED = 5


class OpinionMapListView(ListView):
    template_name = "opinions/map_list.html"
    context_object_name = "maps"
    paginate_by = 20

    def get_queryset(self):
        return OpinionMap.objects.public()


class MapObjectMixin:
    """Finds the public map of the address; its right is checked on it."""

    def get_permission_object(self):
        return self.opinion_map

    @property
    def opinion_map(self) -> OpinionMap:
        if not hasattr(self, "_map"):
            self._map = get_object_or_404(OpinionMap.objects.public(), pk=self.kwargs["pk"])
        return self._map


class StatementObjectMixin:
    """Finds the statement of the address with its map; the right is checked on the map."""

    def get_permission_object(self):
        return self.statement.map

    @property
    def statement(self) -> Statement:
        if not hasattr(self, "_statement"):
            self._statement = get_object_or_404(
                Statement.objects.select_related("map"), pk=self.kwargs["pk"]
            )
        return self._statement


class OpinionMapView(MapObjectMixin, TemplateView):
    """The groups, the statements that unite and divide them, read from the stored result."""

    template_name = "opinions/map_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opinion_map = self.opinion_map
        result = OpinionMapResult.objects.filter(map=opinion_map).defer("published_votes").first()
        rows = []
        if result is not None and result.groups:
            # The first few of each list are shown: only they are read (some may be hidden).
            wanted = result.consensus[: 2 * LISTED] + result.divisive[: 2 * LISTED]
            shown = Statement.objects.visible().filter(map=opinion_map).in_bulk(wanted)
            counts = {row["id"]: row for row in result.statements if row["id"] in shown}
            rows = {
                kind: [_row(shown[pk], counts[pk]) for pk in ids if pk in shown][:LISTED]
                for kind, ids in [("consensus", result.consensus), ("divisive", result.divisive)]
            }
        context.update(
            opinion_map=opinion_map,
            result=result,
            rows=rows,
            picture=group_picture(result.groups) if result and result.groups else None,
            can_take_part=self.request.user.has_perm("opinions.take_part", opinion_map),
        )
        return context


def _row(statement: Statement, counts: dict) -> dict:
    groups = [
        {**group, "votes": votes, "percent": round(100 * group["agree"] / votes) if votes else 0}
        for group in counts["groups"]
        for votes in [group["agree"] + group["disagree"] + group["pass"]]
    ]
    return {"statement": statement, "groups": groups}


class TakePartView(MapObjectMixin, PortalTemplateView):
    """One statement at a time, not yet voted on by this person, and the form to write one."""

    permission_required = "opinions.take_part"
    template_name = "opinions/take_part.html"
    verify_message = gettext_lazy("Please verify your e-mail address to take part.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **_take_part(self.opinion_map, self.request.user, StatementForm())}


def _take_part(opinion_map: OpinionMap, user, form) -> dict:
    unseen = (
        Statement.objects.visible()
        .filter(map=opinion_map)
        .exclude(pk__in=StatementVote.objects.filter(user=user).values("statement"))
    )
    return {
        "opinion_map": opinion_map,
        "refusal": opinion_map.requirement_refusal(user),
        # In random order, so that every statement gathers votes as fast as the others.
        "statement": unseen.order_by("?").first(),
        "remaining": unseen.count(),
        "choices": Choice,
        "form": form,
        "can_moderate": user.has_perm("opinions.moderate_statements"),
    }


class StatementVoteView(StatementObjectMixin, PortalRateLimitedView):
    permission_required = "opinions.take_part"
    rate_limit = "opinion_vote"
    verify_message = TakePartView.verify_message

    def post(self, request, pk):
        statement = self.statement
        form = VoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose agree, disagree or pass."))
        else:
            run_service(
                request,
                statement_vote,
                statement=statement,
                user=request.user,
                choice=form.cleaned_data["choice"],
            )
        return redirect("opinions:take_part", pk=statement.map_id)


class StatementCreateView(
    MapObjectMixin, RulePermissionMixin, RateLimitMixin, ServiceFormMixin, FormView
):
    permission_required = "opinions.take_part"
    rate_limit = "statement"
    form_class = StatementForm
    template_name = "opinions/take_part.html"
    verify_message = TakePartView.verify_message
    success_message = gettext_lazy("Your statement is added; others will now vote on it.")

    def get(self, request, *args, **kwargs):
        return redirect("opinions:take_part", pk=self.opinion_map.pk)

    def get_context_data(self, **kwargs):
        return {"view": self, **_take_part(self.opinion_map, self.request.user, kwargs["form"])}

    def form_valid(self, form):
        refused = self.rate_limited_form(form)
        return refused or super().form_valid(form)

    def run(self, form):
        return statement_write(
            opinion_map=self.opinion_map, user=self.request.user, text=form.cleaned_data["text"]
        )

    def done_url(self, result) -> str:
        return reverse("opinions:take_part", kwargs={"pk": self.opinion_map.pk})


class StatementHideView(StatementObjectMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "opinions.moderate_statements"
    form_class = StatementHideForm
    template_name = "opinions/statement_hide.html"
    success_message = gettext_lazy("The statement is hidden; it is no longer shown nor voted on.")

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(statement=self.statement, **kwargs)

    def run(self, form):
        return statement_hide(
            statement=self.statement, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def done_url(self, result) -> str:
        return result.map.get_absolute_url()
