from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import ReadableSlugAdminMixin, RecordInline, ServiceActionMixin, UploadInline
from ogp_portal.uploads import CheckedUploadForm, validate_image
from proposals.admin.pipeline import ProposalAdmin
from proposals.models import Proposal, ProposalStatus

from . import services
from .models import (
    ActionPlan,
    Commitment,
    DraftComment,
    DraftCommitment,
    DraftConsultation,
    Evidence,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    ProgressUpdate,
)


class MilestoneInline(admin.TabularInline):
    """A milestone's level is set by hand on its own page of the site, with a reason."""

    model = Milestone
    extra = 0
    fields = ["title", "department", "due_on", "display_order"]
    show_change_link = True


class EvidenceInline(UploadInline):
    model = Evidence
    fields = ["kind", "document", "minutes", "inspection", "url", "file", "note"]
    autocomplete_fields = ["document"]
    raw_id_fields = ["minutes", "inspection"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "commitment", "due_on", "completion"]
    list_select_related = ["commitment"]
    search_fields = ["title", "commitment__title"]
    fields = ["commitment", "title", "department", "due_on", "display_order"]
    readonly_fields = ["commitment"]
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False  # milestones are added under their commitment


class UpdateInline(admin.StackedInline):
    model = ProgressUpdate
    extra = 0


class ActionPlanForm(forms.ModelForm):
    """Adoption waits for the draft's consultation to close and every comment to be answered."""

    class Meta:
        model = ActionPlan
        fields = ["title", "slug", "adopted_on", "starts_on", "ends_on", "summary"]

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data.get("adopted_on")
        if adopted_on and not self.initial.get("adopted_on") and self.instance.pk:
            refusal = self.instance.adoption_refusal()
            if refusal:
                raise forms.ValidationError(refusal)
        return adopted_on


@admin.register(ActionPlan)
class ActionPlanAdmin(ServiceActionMixin, ReadableSlugAdminMixin, admin.ModelAdmin):
    form = ActionPlanForm
    list_display = ["title", "adopted_on", "starts_on", "ends_on", "draft_link"]
    actions = ["adopt"]
    service_argument = "plan"

    @admin.display(description=_("draft for comment"))
    def draft_link(self, plan):
        draft = DraftConsultation.objects.filter(plan=plan).first()
        if draft is None:
            return format_html(
                '<a href="{}?plan={}">{}</a>',
                reverse("admin:plans_draftconsultation_add"),
                plan.pk,
                _("Open the draft for comment"),
            )
        return format_html('<a href="{}">{}</a>', draft.get_absolute_url(), _("Draft"))

    @admin.action(description=_("Adopt the selected plans today"))
    def adopt(self, request, queryset):
        self.apply_service(
            request,
            queryset,
            services.plan_adopt,
            done=lambda count: (
                ngettext("%(count)d plan adopted.", "%(count)d plans adopted.", count)
                % {"count": count}
            ),
        )


class DraftCommitmentInline(RecordInline):
    model = DraftCommitment
    fields = ["title", "lead_agency", "description", "milestones"]
    readonly_fields = fields


@admin.register(DraftConsultation)
class DraftConsultationAdmin(ServiceActionMixin, admin.ModelAdmin):
    """The secretariat opens a plan's draft for comment: saving it copies the plan's commitments
    as they stand, the draft the adopted plan is compared with."""

    list_display = ["plan", "opens_at", "closes_at", "required_verification", "unanswered"]
    inlines = [DraftCommitmentInline]
    actions = ["close_now"]
    autocomplete_fields = ["opinion_map"]
    service_argument = "consultation"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")

    def get_readonly_fields(self, request, obj=None):
        return ["plan"] if obj else []

    @admin.display(description=_("comments awaiting an answer"))
    def unanswered(self, consultation):
        return (
            DraftComment.objects.unanswered().filter(commitment__consultation=consultation).count()
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.draft_open(consultation=obj)

    @admin.action(description=_("Close the selected consultations now"))
    def close_now(self, request, queryset):
        self.apply_service(
            request,
            queryset,
            services.draft_close,
            done=lambda count: (
                ngettext("%(count)d consultation closed.", "%(count)d consultations closed.", count)
                % {"count": count}
            ),
        )

    def has_delete_permission(self, request, obj=None):
        return False


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("Awaiting the answer")), ("reported", _("Reported and still shown"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unanswered()
        if self.value() == "reported":
            return queryset.visible().filter(report_count__gt=0)
        return queryset


@admin.register(DraftComment)
class DraftCommentAdmin(admin.ModelAdmin):
    """Comments on the draft are answered and hidden, with their reasons, from their pages on
    the site (the links here), never edited or deleted here."""

    list_display = ["__str__", "paragraph", "outcome", "answered_at", "report_count", "hidden_at"]
    list_filter = [AnsweredFilter, "outcome", "commitment__consultation"]
    search_fields = ["body", "quote", "reasons", "commitment__title"]
    list_select_related = ["commitment"]
    readonly_fields = [f.name for f in DraftComment._meta.fields] + ["actions_links"]

    @admin.display(description=_("answer and moderation"))
    def actions_links(self, comment):
        links = [(reverse("proposals:draft_comment_answer", args=[comment.pk]), _("Answer"))]
        if not comment.is_hidden:
            links.append((reverse("proposals:draft_comment_hide", args=[comment.pk]), _("Hide")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "lead_agency", "starts_on", "ends_on"]
    list_filter = ["plan", "area", "transparency", "participation", "accountability"]
    search_fields = ["title", "lead_agency", "description"]
    filter_horizontal = ["working_groups", "meetings"]
    inlines = [MilestoneInline, UpdateInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proposal":
            kwargs["queryset"] = Proposal.objects.filter(status=ProposalStatus.ADOPTED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PhotoForm(CheckedUploadForm):
    validator = staticmethod(validate_image)


class PhotoInline(UploadInline):
    model = InspectionPhoto
    form = PhotoForm


@admin.register(InspectionReport)
class InspectionReportAdmin(admin.ModelAdmin):
    list_display = ["commitment", "group", "date", "place"]
    list_filter = ["group"]
    search_fields = ["place", "findings"]
    inlines = [PhotoInline]


class PlanProposalAdmin(ProposalAdmin):
    """The proposals' admin with the step into the action plan: adopted proposals become
    commitments of the latest plan (an action of the proposals' list, beside the pipeline's)."""

    actions = [*ProposalAdmin.actions]
    actions.insert(actions.index("export_csv"), "make_commitment")

    @admin.action(description=_("Make the adopted proposals commitments of the latest plan"))
    def make_commitment(self, request, queryset):
        plan = ActionPlan.objects.current()
        if plan is None:
            self.message_user(request, _("Create an action plan first."), messages.ERROR)
            return
        self.apply_service(
            request,
            queryset,
            services.commitment_from_proposal,
            plan=plan,
            done=lambda made: (
                ngettext(
                    "%(count)d commitment added to %(plan)s.",
                    "%(count)d commitments added to %(plan)s.",
                    made,
                )
                % {"count": made, "plan": plan}
            ),
        )


admin.site.unregister(Proposal)
admin.site.register(Proposal, PlanProposalAdmin)
