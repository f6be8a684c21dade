"""Proposals: their files and history, and the pipeline's actions (review, poll, adopt,
decline, fold, correct, export)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import (
    RecordInline,
    ServiceActionMixin,
    UploadInline,
)
from ogp_portal.spreadsheets import csv_response

from ..models import (
    Call,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Transition,
)
from ..services.pipeline import proposal_correct, proposal_fold, proposal_move, proposal_respond
from .reviews import ReviewInline


class AwaitingResponseFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "response"

    def lookups(self, request, model_admin):
        return [("awaited", _("Awaited (call closed)"))]

    def queryset(self, request, queryset):
        if self.value() == "awaited":
            return queryset.filter(call__in=Call.objects.closed()).awaiting_response()
        return queryset


class AttachmentInline(UploadInline):
    model = ProposalAttachment


class TransitionInline(RecordInline):
    model = Transition
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


class FoldForm(forms.Form):
    parent = forms.ModelChoiceField(queryset=Proposal.objects.none(), label=_("Fold under"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    problem = forms.CharField(label=_("problem"), widget=forms.Textarea(attrs={"rows": 5}))
    solution = forms.CharField(
        label=_("proposed solution"), widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = forms.CharField(
        label=_("Reason (shown on the proposal's page)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposalAdminForm(forms.ModelForm):
    def clean_response(self):
        """A decided proposal keeps a reasoned response: it cannot be emptied here."""
        response = self.cleaned_data["response"]
        if self.instance.pk and self.instance.is_final and not response.strip():
            raise ValidationError(
                _("A proposal leaves the pipeline only with a reasoned response.")
            )
        return response


def _move_action(status: ProposalStatus, description):
    """An action of `ProposalAdmin` that moves the selected proposals to `status`."""

    @admin.action(description=description)
    def move(modeladmin, request, queryset):
        modeladmin.apply_service(
            request,
            queryset,
            proposal_move,
            status=status,
            by=request.user,
            done=lambda moved: (
                ngettext("%(count)d proposal moved.", "%(count)d proposals moved.", moved)
                % {"count": moved}
            ),
        )

    return move


@admin.register(Proposal)
class ProposalAdmin(ServiceActionMixin, admin.ModelAdmin):
    form = ProposalAdminForm
    list_display = [
        "title",
        "call",
        "status",
        "support_count",
        "parent",
        "has_response",
        "submitted_at",
    ]
    list_filter = ["status", AwaitingResponseFilter, "call", "area", "is_demo"]
    search_fields = ["title", "problem", "solution", "organisation", "response"]
    list_select_related = ["call", "parent"]
    readonly_fields = [
        "status",
        "parent",
        "fold_reason",
        "support_count",
        "responded_at",
        "submitted_at",
    ]
    # The proposer's own words: changed only by the proposer, or by a correction with a reason.
    proposer_fields = ["author", "organisation", "title", "problem", "solution", "contact"]
    autocomplete_fields = ["author"]
    inlines = [ReviewInline, AttachmentInline, TransitionInline]
    actions = [
        "start_review",
        "put_to_poll",
        "adopt",
        "decline",
        "fold",
        "correct",
        "export_csv",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, *self.proposer_fields]
        return self.readonly_fields

    @admin.display(boolean=True, description=_("response"))
    def has_response(self, proposal):
        return bool(proposal.response)

    def save_model(self, request, obj, form, change):
        if change and "response" in form.changed_data and obj.response.strip():
            proposal_respond(proposal=obj, response=obj.response, by=request.user)
            form.changed_data.remove("response")
        super().save_model(request, obj, form, change)

    service_argument = "proposal"

    start_review = _move_action(ProposalStatus.IN_REVIEW, _("Start the department review"))
    put_to_poll = _move_action(ProposalStatus.IN_POLL, _("Put to a citizen poll"))
    adopt = _move_action(ProposalStatus.ADOPTED, _("Adopt (needs a reasoned response)"))
    decline = _move_action(
        ProposalStatus.NOT_ADOPTED, _("Do not adopt (needs a reasoned response)")
    )

    @admin.action(description=_("Fold under another proposal"))
    def fold(self, request, queryset):
        first = queryset.first()
        form = FoldForm(request.POST if "apply" in request.POST else None)
        form.fields["parent"].queryset = (
            Proposal.objects.filter(call=first.call)
            .exclude(pk__in=queryset.values("pk"))
            .exclude(status=ProposalStatus.FOLDED)
        )
        if form.is_valid():
            self.apply_service(
                request,
                queryset,
                proposal_fold,
                parent=form.cleaned_data["parent"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                done=lambda folded: (
                    ngettext("%(count)d proposal folded.", "%(count)d proposals folded.", folded)
                    % {"count": folded}
                ),
            )
            return None
        return TemplateResponse(
            request,
            "admin/proposals/fold.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "proposals": queryset,
                "opts": self.model._meta,
                "action": "fold",
            },
        )

    @admin.action(description=_("Correct the proposer's text (with a reason)"))
    def correct(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Correct one proposal at a time."), messages.ERROR)
            return None
        proposal = queryset.get()
        form = CorrectionForm(
            request.POST if "apply" in request.POST else None,
            initial={name: getattr(proposal, name) for name in ("title", "problem", "solution")},
        )
        if form.is_valid():
            self.apply_service(
                request,
                queryset,
                proposal_correct,
                author=request.user,
                **form.cleaned_data,
                done=lambda count: _("The correction is published with its reason."),
            )
            return None
        return TemplateResponse(
            request,
            "admin/proposals/correct.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "proposal": proposal,
                "opts": self.model._meta,
                "action": "correct",
            },
        )

    @admin.action(description=_("Export as CSV"))
    def export_csv(self, request, queryset):
        return csv_response(
            filename="proposals.csv",
            header=[
                "id",
                "call",
                "title",
                "status",
                "supports",
                "folded_under",
                "response",
                "submitted_at",
            ],
            rows=(
                [
                    p.pk,
                    p.call.title,
                    p.title,
                    p.status,
                    p.support_count,
                    p.parent_id or "",
                    p.response,
                    p.submitted_at.isoformat(),
                ]
                for p in queryset.select_related("call", "parent")
            ),
        )
