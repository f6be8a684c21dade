"""Voting online: the ballot and its receipt."""

import datetime as dt
import time

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.views import PortalRateLimitedView, run_service

from .. import services
from ..models import Poll

# The receipt goes from the vote to the page that shows it (post/redirect/get) in a cookie
# signed by the site, kept by the voter's browser for this long and read once: the server
# never stores it, and the vote's answer is a redirect that renders nothing.
RECEIPT_COOKIE = "receipt"
RECEIPT_SECONDS = 600


class PollVoteView(PortalRateLimitedView):
    """POST a ballot, then see its receipt (`poll_voted`), which is never stored with you."""

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
        url = reverse("consultations:poll_voted", args=[poll.slug])
        response = HttpResponseRedirect(url, status=303)
        response.set_signed_cookie(
            RECEIPT_COOKIE,
            f"{receipt} {int(time.time())}",
            salt=_receipt_salt(poll),
            max_age=RECEIPT_SECONDS,
            path=url,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


def poll_voted(request, slug):
    """The receipt of the vote just cast, shown once: the cookie that brought it is dropped."""
    poll = get_object_or_404(Poll.objects.public(), slug=slug)
    kept = request.get_signed_cookie(
        RECEIPT_COOKIE, default="", salt=_receipt_salt(poll), max_age=RECEIPT_SECONDS
    )
    receipt, _space, at = kept.partition(" ")
    if not receipt or not at.isdigit():
        return redirect(poll)
    voted_at = dt.datetime.fromtimestamp(int(at), tz=dt.UTC)
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
    response.delete_cookie(RECEIPT_COOKIE, path=request.path, samesite="Lax")
    return response


def _receipt_salt(poll: Poll) -> str:
    return f"consultations.receipt:{poll.slug}"


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
