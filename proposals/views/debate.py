"""The debate room: its pages of comments, posting, correcting, reporting and hiding."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from ogp_portal.views import (
    RateLimitMixin,
    RulePermissionMixin,
    ServiceFormMixin,
    run_service,
)

from ..forms import (
    CommentEditForm,
    CommentForm,
    CommentHideForm,
    CommentReportForm,
)
from ..models import (
    Comment,
)
from ..services.debate import comment_edit, comment_hide, comment_post, comment_report
from .pipeline import ProposalObjectMixin

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
        return comment_post(
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
        return comment_edit(
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
            comment_report,
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
        return comment_hide(
            comment=self.comment, by=self.request.user, reason=form.cleaned_data["reason"]
        )
