from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import ReadableSlugAdminMixin, UploadInline
from ogp_portal.uploads import CheckedUploadForm, validate_image
from proposals.admin.pipeline import ProposalAdmin
from proposals.models import Proposal, ProposalStatus

from . import services
from .models import (
    ActionPlan,
    Commitment,
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


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadableSlugAdminMixin, admin.ModelAdmin):
    list_display = ["title", "adopted_on", "starts_on", "ends_on"]


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
