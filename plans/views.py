from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from councils.models import Meeting
from ogp_portal.predicates import is_secretariat
from ogp_portal.spreadsheets import csv_response
from ogp_portal.uploads import file_response
from ogp_portal.views import (
    PortalFormView,
    PortalRateLimitedFormView,
    RulePermissionMixin,
    ServiceFormMixin,
    SubmitOnceMixin,
)
from proposals.forms import CommentHideForm, CommentReportForm
from proposals.models import Review, Transition

from . import services
from .forms import CompletionForm, DraftAnswerForm, DraftCommentForm, InspectionForm
from .models import (
    QUOTE_LIMIT,
    ActionPlan,
    Commitment,
    DraftComment,
    DraftCommitment,
    DraftConsultation,
    Evidence,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    Outcome,
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
            draft=DraftConsultation.objects.filter(plan=self.object).first(),
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


# The draft plan's consultation ------------------------------------------------------------------


class DraftObjectMixin:
    """The consultation of the plan named in the address."""

    @cached_property
    def consultation(self) -> DraftConsultation:
        return get_object_or_404(
            DraftConsultation.objects.select_related("plan"), plan__slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        consultation = self.consultation
        return super().get_context_data(consultation=consultation, plan=consultation.plan, **kwargs)


def _draft_commitments(consultation: DraftConsultation) -> list[DraftCommitment]:
    """The commitments of the draft, each with its comments and authors, and (once the plan is
    adopted) the commitment as adopted with its milestones: four queries whatever their number."""
    commitments = consultation.commitments.prefetch_related(
        Prefetch("comments", queryset=DraftComment.objects.select_related("author"))
    )
    if consultation.plan.is_adopted:
        commitments = commitments.select_related("commitment").prefetch_related(
            Prefetch(
                "commitment__milestones", queryset=Milestone.objects.order_by("display_order", "pk")
            )
        )
    found = list(commitments)
    for draft in found:
        draft.consultation = consultation
    return found


class DraftView(DraftObjectMixin, TemplateView):
    """The draft of the plan open for comment: each commitment's text by paragraph, the
    comments on it with their answers and, once the plan is adopted, what changed."""

    template_name = "plans/draft.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.consultation
        user = self.request.user
        commitments = _draft_commitments(consultation)
        for draft in commitments:
            comments = list(draft.comments.all())
            draft.can_comment = user.has_perm("plans.comment_draft", draft)
            # Who answers one comment of a commitment answers them all.
            draft.can_answer = bool(comments) and user.has_perm(
                "plans.answer_draft_comment", comments[0]
            )
            for comment in comments:
                comment.can_report = user.has_perm("plans.report_draft_comment", comment)
        context.update(
            commitments=commitments,
            can_moderate=user.has_perm("plans.moderate_draft"),
            refusal=consultation.requirement_refusal(user)
            if consultation.is_open and user.is_authenticated
            else None,
        )
        return context


class DraftCommitmentObjectMixin:
    @cached_property
    def draft(self) -> DraftCommitment:
        return get_object_or_404(
            DraftCommitment.objects.select_related("consultation__plan"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.draft

    def get_context_data(self, **kwargs):
        draft = self.draft
        return super().get_context_data(
            draft=draft, consultation=draft.consultation, plan=draft.consultation.plan, **kwargs
        )


class DraftCommentCreateView(DraftCommitmentObjectMixin, PortalRateLimitedFormView):
    """The comment form, reached from the draft's page: on the commitment, on a paragraph (from
    the list) or on a passage (a selection in the text fills it)."""

    permission_required = "plans.comment_draft"
    rate_limit = "comment"
    verify_message = gettext_lazy("Please verify your e-mail address to comment on the draft.")
    form_class = DraftCommentForm
    template_name = "plans/draft_comment_form.html"
    success_message = gettext_lazy("Your comment is posted. The secretariat will answer it.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "paragraphs": self.draft.paragraphs()}

    def get_initial(self):
        initial = super().get_initial()
        for name in ("paragraph", "quote", "quote_start", "quote_end"):
            value = self.request.GET.get(name, "")
            if value and name not in initial:
                initial[name] = value[:QUOTE_LIMIT]
        return initial

    def form_valid(self, form):
        return self.rate_limited_form(form) or super().form_valid(form)

    def run(self, form):
        data = form.cleaned_data
        return services.draft_comment_post(
            commitment=self.draft,
            author=self.request.user,
            body=data["body"],
            paragraph=data["paragraph"],
            quote=data["quote"],
            quote_start=data["quote_start"],
            quote_end=data["quote_end"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            refusal=self.draft.consultation.requirement_refusal(self.request.user), **kwargs
        )


class DraftCommentObjectMixin:
    @cached_property
    def comment(self) -> DraftComment:
        return get_object_or_404(
            DraftComment.objects.select_related(
                "commitment__consultation__plan", "commitment__commitment__proposal", "author"
            ),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.comment

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment, consultation=self.comment.commitment.consultation, **kwargs
        )


class DraftCommentAnswerView(DraftCommentObjectMixin, PortalFormView):
    permission_required = "plans.answer_draft_comment"
    form_class = DraftAnswerForm
    template_name = "plans/draft_comment_answer.html"
    title = gettext_lazy("Answer a comment on the draft")
    success_message = gettext_lazy("The answer is published with the comment.")

    def get_initial(self):
        comment = self.comment
        return {"outcome": comment.outcome, "reasons": comment.reasons, **super().get_initial()}

    def run(self, form):
        return services.draft_comment_answer(
            comment=self.comment,
            by=self.request.user,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
        )


class DraftCommentReportView(DraftCommentObjectMixin, PortalRateLimitedFormView):
    permission_required = "plans.report_draft_comment"
    rate_limit = "report"
    verify_message = gettext_lazy("Please verify your e-mail address to report a comment.")
    form_class = CommentReportForm
    template_name = "plans/draft_comment_action.html"
    title = gettext_lazy("Report a comment")

    def form_valid(self, form):
        return self.rate_limited_form(form) or super().form_valid(form)

    def run(self, form):
        return services.draft_comment_report(
            comment=self.comment, user=self.request.user, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self, new) -> str:
        if new:
            return _("Thank you: the secretariat will look at this comment.")
        return _("You reported this comment already.")

    def done_url(self, result) -> str:
        return self.comment.get_absolute_url()


class DraftCommentHideView(DraftCommentObjectMixin, PortalFormView):
    permission_required = "plans.moderate_draft"
    form_class = CommentHideForm
    template_name = "plans/draft_comment_action.html"
    title = gettext_lazy("Hide a comment")
    success_message = gettext_lazy("The comment is hidden; the reason shows in its place.")

    def run(self, form):
        return services.draft_comment_hide(
            comment=self.comment, by=self.request.user, reason=form.cleaned_data["reason"]
        )


def _report_rows(consultation: DraftConsultation):
    comments = (
        DraftComment.objects.filter(commitment__consultation=consultation)
        .select_related("commitment")
        .order_by("commitment__commitment_id", "pk")
    )
    return comments


class DraftReportView(DraftObjectMixin, TemplateView):
    """ "What you said and what we did": every comment with its answer, and per commitment what
    changed from the draft; printable, and as CSV."""

    template_name = "plans/draft_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitments = _draft_commitments(self.consultation)
        comments = [c for draft in commitments for c in draft.comments.all()]
        context.update(
            commitments=commitments,
            counts={
                "comments": len(comments),
                "answered": sum(1 for c in comments if c.is_answered),
                "hidden": sum(1 for c in comments if c.is_hidden),
                **{
                    outcome.value: sum(1 for c in comments if c.outcome == outcome)
                    for outcome in Outcome
                },
            },
        )
        return context


class DraftReportCSVView(DraftObjectMixin, View):
    def get(self, request, slug):
        consultation = self.consultation
        return csv_response(
            filename=f"{consultation.plan.slug}-what-you-said.csv",
            header=[
                _("commitment"),
                _("paragraph"),
                _("quoted passage"),
                _("comment"),
                _("posted"),
                _("outcome"),
                _("reasons"),
                _("answered"),
            ],
            rows=(
                [
                    c.commitment.title,
                    "" if c.paragraph is None else c.paragraph + 1,
                    c.quote,
                    c.hidden_reason if c.is_hidden else c.body,
                    timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
                    _("Hidden") if c.is_hidden else c.get_outcome_display(),
                    c.reasons,
                    timezone.localtime(c.answered_at).strftime("%Y-%m-%d %H:%M")
                    if c.answered_at
                    else "",
                ]
                for c in _report_rows(consultation)
            ),
        )
