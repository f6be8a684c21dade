from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from councils.models import Meeting
from ogp_portal.predicates import is_secretariat
from ogp_portal.spreadsheets import csv_response
from ogp_portal.uploads import file_response
from ogp_portal.views import (
    RateLimitMixin,
    RulePermissionMixin,
    ServiceFormMixin,
    SubmitOnceMixin,
    run_service,
)

from . import services
from .forms import (
    CommentEditForm,
    CommentForm,
    CommentHideForm,
    CommentReportForm,
    InspectionForm,
    ProposalForm,
)
from .models import (
    ActionPlan,
    Call,
    Comment,
    Commitment,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    ProgressUpdate,
    Proposal,
    ProposalAttachment,
    Review,
    Transition,
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


class CallDetailView(DetailView):
    model = Call
    template_name = "proposals/call_detail.html"
    context_object_name = "call"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.object
        proposals = _call_proposals(call)
        page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(self.request.GET.get("page"))
        awaiting = proposals.filter(response="")
        user = self.request.user
        context.update(
            proposals=page.object_list,
            page_obj=page,
            awaiting=list(awaiting[:AWAITING_SHOWN]),
            awaiting_count=awaiting.count(),
            areas=list(call.areas.all()),
            steps=call.steps(),
            is_following=user.is_authenticated and call.followers.filter(pk=user.pk).exists(),
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


class ProposalCreateView(
    SubmitOnceMixin, RulePermissionMixin, RateLimitMixin, ServiceFormMixin, FormView
):
    permission_required = "proposals.submit_proposal"
    rate_limit = "propose"
    verify_message = gettext_lazy("Please verify your e-mail address before you propose.")
    form_class = ProposalForm
    template_name = "proposals/proposal_form.html"
    success_message = gettext_lazy("Thank you: your proposal is submitted.")

    @cached_property
    def call(self) -> Call:
        return get_object_or_404(Call, slug=self.kwargs["slug"])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "call": self.call,
            "instance": Proposal(call=self.call),
        }

    def form_invalid(self, form):
        if not self.call.is_open:
            form.add_error(None, services.CALL_NOT_OPEN)
        return super().form_invalid(form)

    def form_valid(self, form):
        return self.rate_limited_form(form) or super().form_valid(form)

    def run(self, form):
        return services.proposal_submit(
            proposal=form.save(commit=False),
            author=self.request.user,
            attachments=form.attachments(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)


class ProposalObjectMixin:
    @cached_property
    def proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.select_related("call", "area", "parent", "author", "debate"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.proposal


class ProposalUpdateView(ProposalObjectMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "proposals.edit_proposal"
    form_class = ProposalForm
    template_name = "proposals/proposal_form.html"
    success_message = gettext_lazy("Your proposal is updated.")

    def get_form_kwargs(self):
        proposal = self.proposal
        return {**super().get_form_kwargs(), "call": proposal.call, "instance": proposal}

    def run(self, form):
        proposal = form.save(commit=False)
        services.proposal_update(
            proposal=proposal, fields=[f for f in form.changed_data if f != "attachment"]
        )
        for title, upload in form.attachments():
            services.proposal_attach(proposal=proposal, title=title, upload=upload)
        return proposal

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.proposal.call, **kwargs)


class ProposalDetailView(ProposalObjectMixin, TemplateView):
    template_name = "proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.proposal
        user = self.request.user
        context.update(
            proposal=proposal,
            transitions=list(proposal.transitions.select_related("by")),
            reviews=list(proposal.reviews.all()),
            corrections=list(proposal.corrections.all()),
            children=list(proposal.children.all()),
            polls=list(proposal.polls.published()),
            attachments=list(proposal.attachments.all()),
            commitment=Commitment.objects.filter(proposal=proposal).first(),
            has_supported=user.is_authenticated and proposal.supports.filter(user=user).exists(),
            show_internal_notes=user.has_perm("proposals.read_internal_notes"),
        )
        return context


class ProposalSupportView(ProposalObjectMixin, RulePermissionMixin, RateLimitMixin, View):
    permission_required = "proposals.support_proposal"
    rate_limit = "support"
    verify_message = gettext_lazy("Please verify your e-mail address to support.")

    def refuse(self):
        messages.error(self.request, _("You cannot support this proposal."))
        return redirect(self.proposal)

    def post(self, request, pk):
        proposal = self.proposal
        counted = run_service(
            request, services.proposal_support, proposal=proposal, user=request.user
        )
        if counted is not None:
            messages.success(
                request,
                _("Your support is counted.") if counted else _("You already support it."),
            )
        return redirect(proposal)


# Debate --------------------------------------------------------------------------------------

COMMENTS_PER_PAGE = 50


def _debate_of(proposal):
    debate = getattr(proposal, "debate", None)
    if debate is None:
        raise Http404(_("This proposal has no debate yet."))
    return debate


def comment_page(comment: Comment) -> int:
    """The page of the debate that shows `comment`, in the threaded order."""
    thread = comment.parent_id or comment.pk
    before = (
        Comment.objects.threaded()
        .filter(debate_id=comment.debate_id)
        .filter(Q(thread__lt=thread) | Q(thread=thread, pk__lt=comment.pk))
        .count()
    )
    return before // COMMENTS_PER_PAGE + 1


def comment_url(comment: Comment) -> str:
    return f"{comment.debate.get_absolute_url()}?page={comment_page(comment)}#comment-{comment.pk}"


class DebateView(ProposalObjectMixin, TemplateView):
    """The debate, one page of comments at a time, each comment followed by its replies."""

    template_name = "proposals/debate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.proposal
        debate = _debate_of(proposal)
        user = self.request.user
        comments = (
            debate.comments.threaded()
            .select_related("author", "parent__author")
            .prefetch_related("revisions")
        )
        page = Paginator(comments, COMMENTS_PER_PAGE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        for comment in rows:
            comment.debate = debate
            comment.can_edit = user.has_perm("proposals.edit_comment", comment)
            comment.can_report = user.has_perm("proposals.report_comment", comment)
        can_comment = user.has_perm("proposals.comment_debate", proposal)
        context.update(
            proposal=proposal,
            debate=debate,
            comments=rows,
            page_obj=page,
            can_comment=can_comment,
            can_moderate=user.has_perm("proposals.moderate_debate"),
            form=CommentForm(can_answer=user.has_perm("proposals.answer_debate", proposal))
            if can_comment
            else None,
        )
        return context


class CommentCreateView(
    ProposalObjectMixin, RulePermissionMixin, RateLimitMixin, ServiceFormMixin, FormView
):
    """The comment form: on the debate page, and on its own page when a reply is started or
    the form comes back with an error or a draft kept through signing in again."""

    permission_required = "proposals.comment_debate"
    rate_limit = "comment"
    verify_message = gettext_lazy("Please verify your e-mail address to take part in debates.")
    form_class = CommentForm
    template_name = "proposals/comment_form.html"
    success_message = gettext_lazy("Your comment is posted.")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "can_answer": self.request.user.has_perm("proposals.answer_debate", self.proposal),
        }

    def get_initial(self):
        initial = super().get_initial()
        reply_to = self.request.GET.get("reply_to", "")
        if reply_to.isdigit() and "parent" not in initial:
            initial["parent"] = int(reply_to)
        return initial

    def parent(self, parent_id):
        if not parent_id:
            return None
        return (
            Comment.objects.select_related("author")
            .filter(pk=parent_id, debate__proposal=self.proposal)
            .first()
        )

    def form_valid(self, form):
        return self.rate_limited_form(form) or super().form_valid(form)

    def run(self, form):
        parent_id = form.cleaned_data.get("parent")
        parent = self.parent(parent_id)
        if parent_id and parent is None:
            raise ValidationError(_("The comment you reply to is not in this debate."))
        return services.comment_post(
            debate=self.proposal.debate,
            author=self.request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            official=form.cleaned_data.get("official", False),
        )

    def done_url(self, comment) -> str:
        return comment_url(comment)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(proposal=self.proposal, **kwargs)
        parent_id = str(context["form"]["parent"].value() or "")
        context["parent"] = self.parent(int(parent_id)) if parent_id.isdigit() else None
        return context


class CommentObjectMixin:
    @cached_property
    def comment(self) -> Comment:
        return get_object_or_404(
            Comment.objects.select_related("debate__proposal", "author"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.comment

    def done_url(self, comment) -> str:
        return comment_url(comment)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.comment, **kwargs)


class CommentEditView(CommentObjectMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "proposals.edit_comment"
    form_class = CommentEditForm
    template_name = "proposals/comment_edit.html"
    title = gettext_lazy("Correct your comment")
    success_message = gettext_lazy("Your comment is corrected; the earlier text is kept.")

    def get_initial(self):
        return {"body": self.comment.body, **super().get_initial()}

    def run(self, form):
        return services.comment_edit(
            comment=self.comment, user=self.request.user, body=form.cleaned_data["body"]
        )


class CommentReportView(CommentObjectMixin, RulePermissionMixin, RateLimitMixin, FormView):
    permission_required = "proposals.report_comment"
    rate_limit = "report"
    verify_message = gettext_lazy("Please verify your e-mail address to report a comment.")
    form_class = CommentReportForm
    template_name = "proposals/comment_report.html"
    title = gettext_lazy("Report a comment")

    def form_valid(self, form):
        refused = self.rate_limited_form(form)
        if refused:
            return refused
        comment = self.comment
        new = run_service(
            self.request,
            services.comment_report,
            comment=comment,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        if new is not None:
            messages.success(
                self.request,
                _("Thank you: the secretariat will look at this comment.")
                if new
                else _("You reported this comment already."),
            )
        return redirect(comment_url(comment))


class CommentHideView(CommentObjectMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "proposals.moderate_debate"
    form_class = CommentHideForm
    template_name = "proposals/comment_hide.html"
    title = gettext_lazy("Hide a comment")
    success_message = gettext_lazy("The comment is hidden; the reason shows in its place.")

    def run(self, form):
        return services.comment_hide(
            comment=self.comment, by=self.request.user, reason=form.cleaned_data["reason"]
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


class PlanDetailView(DetailView):
    model = ActionPlan
    template_name = "proposals/plan_detail.html"
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
    template_name = "proposals/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return (
            Commitment.objects.with_progress()
            .select_related("plan", "area", "proposal__call", "proposal__parent")
            .prefetch_related(
                "working_groups",
                Prefetch(
                    "meetings",
                    queryset=Meeting.objects.published().select_related("group", "minutes"),
                ),
                Prefetch("milestones", queryset=Milestone.objects.order_by("display_order", "pk")),
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
            polls=list(proposal.polls.published()) if proposal else [],
            history=list(Transition.objects.filter(proposal=proposal)) if proposal else [],
            can_inspect=self.request.user.has_perm("proposals.file_inspection", commitment),
        )
        return context


class ProposalAttachmentView(View):
    """Proposals are public, and so are the files that came with them."""

    def get(self, request, pk, attachment_pk):
        return file_response(
            get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal_id=pk)
        )


class InspectionPhotoView(View):
    def get(self, request, pk):
        return file_response(get_object_or_404(InspectionPhoto, pk=pk))


class InspectionCreateView(SubmitOnceMixin, RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "proposals.file_inspection"
    form_class = InspectionForm
    template_name = "proposals/inspection_form.html"
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
