from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from councils.models import Meeting
from ogp_portal.predicates import is_secretariat
from ogp_portal.uploads import file_response
from ogp_portal.views import (
    PortalFormView,
    RulePermissionMixin,
    ServiceFormMixin,
    SubmitOnceMixin,
)
from proposals.models import Review, Transition

from . import services
from .forms import CompletionForm, InspectionForm
from .models import (
    ActionPlan,
    Commitment,
    Evidence,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    ProgressUpdate,
)


class PlanDetailView(DetailView):
    model = ActionPlan
    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitments = list(
            self.object.commitments.with_progress().select_related("area", "proposal")
        )
        context.update(
            commitments=commitments,
            progress=round(sum(c.progress or 0 for c in commitments) / len(commitments))
            if commitments
            else 0,
        )
        return context


class CommitmentDetailView(DetailView):
    template_name = "plans/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return (
            Commitment.objects.with_progress()
            .select_related("plan", "area", "proposal__call", "proposal__parent")
            .prefetch_related(
                "working_groups",
                Prefetch(
                    "meetings",
                    queryset=Meeting.objects.public().select_related("group", "minutes"),
                ),
                Prefetch("updates", queryset=ProgressUpdate.objects.select_related("milestone")),
                Prefetch(
                    "inspections",
                    queryset=InspectionReport.objects.select_related("group").prefetch_related(
                        "photos"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment = self.object
        proposal = commitment.proposal
        context.update(
            reviews=list(Review.objects.filter(proposal=proposal)) if proposal else [],
            polls=list(proposal.polls.public()) if proposal else [],
            history=list(Transition.objects.filter(proposal=proposal)) if proposal else [],
            can_inspect=self.request.user.has_perm("plans.file_inspection", commitment),
            can_set_completion=self.request.user.has_perm("plans.set_completion"),
            milestone_rules=Milestone.RULES,
            commitment_rules=Commitment.RULES,
        )
        return context


class InspectionPhotoView(View):
    def get(self, request, pk):
        return file_response(get_object_or_404(InspectionPhoto, pk=pk))


class EvidenceFileView(View):
    """An uploaded record of a milestone: public, like the milestone."""

    def get(self, request, pk):
        return file_response(get_object_or_404(Evidence, pk=pk, kind=Evidence.Kind.UPLOAD))


class MilestoneCompletionView(PortalFormView):
    """The secretariat sets a milestone's level over the evidence's, with its reason."""

    permission_required = "plans.set_completion"
    form_class = CompletionForm
    template_name = "plans/milestone_completion.html"
    success_message = gettext_lazy("The level is set; the reason is shown with it.")

    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(
            Milestone.objects.with_evidence().select_related("commitment__plan"),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        return {"level": self.milestone.completion, **super().get_initial()}

    def run(self, form):
        services.milestone_completion_set(
            milestone=self.milestone,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        return self.milestone

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            milestone=self.milestone, milestone_rules=Milestone.RULES, **kwargs
        )


class InspectionCreateView(SubmitOnceMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "plans.file_inspection"
    form_class = InspectionForm
    template_name = "plans/inspection_form.html"
    success_message = gettext_lazy("Your inspection report is filed.")

    @cached_property
    def commitment(self) -> Commitment:
        return get_object_or_404(Commitment, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.commitment

    def get_form_kwargs(self):
        commitment = self.commitment
        groups = commitment.working_groups.all()
        if not is_secretariat(self.request.user):
            groups = groups.led_by(self.request.user)
        return {
            **super().get_form_kwargs(),
            "groups": groups,
            "instance": InspectionReport(
                commitment=commitment, author=self.request.user, date=timezone.localdate()
            ),
        }

    def run(self, form):
        services.inspection_file(report=form.save(commit=False), photos=form.photos())
        return self.commitment

    def get_context_data(self, **kwargs):
        return super().get_context_data(commitment=self.get_permission_object(), **kwargs)
