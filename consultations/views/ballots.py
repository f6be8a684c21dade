"""Voting online: the ballot and its receipt."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.views import PortalRateLimitedView, run_service

from .. import services
from ..models import Poll


class PollVoteView(PortalRateLimitedView):
    """POST a ballot. The receipt is shown in this response only and never stored with you."""

    permission_required = "consultations.vote"
    rate_limit = "vote"
    verify_message = gettext_lazy("Please verify your e-mail address before you vote.")

    @cached_property
    def poll(self) -> Poll:
        return get_object_or_404(
            Poll.objects.public().prefetch_related("options"), slug=self.kwargs["slug"]
        )

    def get_permission_object(self):
        return self.poll

    def get_next_url(self) -> str:
        return self.get_permission_object().get_absolute_url()

    def post(self, request, slug):
        poll = self.get_permission_object()
        receipt = run_service(
            request,
            services.poll_vote,
            poll=poll,
            user=request.user,
            option_ids=request.POST.getlist("option"),
        )
        if receipt is None:
            return redirect(poll)
        voted_at = timezone.now()
        response = render(
            request,
            "consultations/receipt.html",
            {
                "poll": poll,
                "receipt": receipt,
                "voted_at": voted_at,
                "receipt_text": _receipt_text(request, poll, receipt, voted_at),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


def _receipt_text(request, poll: Poll, receipt: str, voted_at) -> str:
    """The receipt as the plain-text file a voter downloads and keeps."""
    lines = [
        _("Gwangju OGP Council: vote receipt"),
        _("Poll: %(question)s") % {"question": poll.question},
        _("Address: %(url)s") % {"url": request.build_absolute_uri(poll.get_absolute_url())},
        _("Receipt code: %(code)s") % {"code": receipt},
        _("Voted on: %(at)s") % {"at": timezone.localtime(voted_at).strftime("%Y-%m-%d %H:%M %Z")},
        _(
            "When the poll closes, every counted receipt code is published on the poll page: "
            "look yours up there."
        ),
    ]
    return "\n".join(lines) + "\n"
