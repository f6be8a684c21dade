"""Supporting a proposal."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ogp_portal.views import (
    RateLimitMixin,
    RulePermissionMixin,
    run_service,
)

from ..services.supports import proposal_support
from .pipeline import ProposalObjectMixin


class ProposalSupportView(ProposalObjectMixin, RulePermissionMixin, RateLimitMixin, View):
    permission_required = "proposals.support_proposal"
    rate_limit = "support"
    verify_message = gettext_lazy("Please verify your e-mail address to support.")

    def refuse(self):
        messages.error(self.request, _("You cannot support this proposal."))
        return redirect(self.proposal)

    def post(self, request, pk):
        proposal = self.proposal
        counted = run_service(request, proposal_support, proposal=proposal, user=request.user)
        if counted is not None:
            messages.success(
                request,
                _("Your support is counted.") if counted else _("You already support it."),
            )
        return redirect(proposal)
