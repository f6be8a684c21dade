"""A proposal: proposing in a call, the proposer's edit, its page and its files."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from ogp_portal.uploads import file_response
from ogp_portal.views import (
    RateLimitMixin,
    RulePermissionMixin,
    ServiceFormMixin,
    SharedPageMixin,
    SubmitOnceMixin,
)

from ..forms import (
    ProposalForm,
)
from ..models import (
    Call,
    Proposal,
    ProposalAttachment,
)
from ..services.calls import CALL_NOT_OPEN
from ..services.pipeline import proposal_attach, proposal_submit, proposal_update


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
            form.add_error(None, CALL_NOT_OPEN)
        return super().form_invalid(form)

    def form_valid(self, form):
        return self.rate_limited_form(form) or super().form_valid(form)

    def run(self, form):
        return proposal_submit(
            proposal=form.save(commit=False),
            author=self.request.user,
            attachments=form.attachments(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)


def proposal_or_404(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("call", "area", "parent", "author", "debate"), pk=pk
    )


class ProposalObjectMixin:
    @cached_property
    def proposal(self) -> Proposal:
        return proposal_or_404(self.kwargs["pk"])

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
        proposal_update(
            proposal=proposal, fields=[f for f in form.changed_data if f != "attachment"]
        )
        for title, upload in form.attachments():
            proposal_attach(proposal=proposal, title=title, upload=upload)
        return proposal

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.proposal.call, **kwargs)


def proposal_page(proposal: Proposal) -> dict:
    """What a proposal's page shows, the same to everyone."""
    return {
        "transitions": list(proposal.transitions.select_related("by")),
        "reviews": list(proposal.reviews.all()),
        "corrections": list(proposal.corrections.all()),
        "children": list(proposal.children.all()),
        "polls": list(proposal.polls.public()),
        "attachments": list(proposal.attachments.all()),
        "commitment": getattr(proposal, "commitment", None),  # of the action plan, if adopted
    }


class ProposalDetailView(SharedPageMixin, TemplateView):
    template_name = "proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.kwargs["pk"]
        proposal = proposal_or_404(pk)
        user = self.request.user
        context.update(
            # The page is kept once per version of the records (`{% shared %}`), in two forms:
            # with the reviews' internal notes, for the secretariat, and without.
            proposal=proposal,
            page_data=lambda: proposal_page(proposal),
            has_supported=user.is_authenticated and proposal.supports.filter(user=user).exists(),
            show_internal_notes=user.has_perm("proposals.read_internal_notes"),
        )
        return context

    def page_shared_key(self, context) -> str:
        return f"{super().page_shared_key(context)}:notes={context['show_internal_notes']}"


class ProposalAttachmentView(View):
    """Proposals are public, and so are the files that came with them."""

    def get(self, request, pk, attachment_pk):
        return file_response(
            get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal_id=pk)
        )
