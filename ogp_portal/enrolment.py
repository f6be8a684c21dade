"""Staff enrolment by invitation: a staff account sets up its second factor only through a
one-time link sent to its own address, so that a stolen password cannot complete it.

`staff_invitation_send` (an admin action, or staff at the counter who hand the link over)
writes the invitation and mails the link through the outbox, sealed; `staff_invitation_accept`
takes the link once, in the invitee's own session, and marks that session as allowed to set up
a second factor for `STAFF_ENROLMENT_MINUTES`. `StaffMfaMiddleware` refuses the set-up pages to
a staff account without a second factor and without that mark.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox.services import mail_write

from .models import StaffInvitation

SESSION_KEY = "staff_enrolment"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def staff_invitation_send(*, user, by, now=None) -> str:
    """Invites a staff account to set up its second factor; returns the link (to hand over at
    a counter). Earlier unused links of the account stop working."""
    now = now or timezone.now()
    if not user.is_staff_account or not user.is_active:
        raise ValidationError(_("Only an active staff account is invited to enrol."))
    if not user.email:
        raise ValidationError(_("The account has no e-mail address to send the link to."))
    StaffInvitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        user=user,
        token_hash=_hash(token),
        invited_by=by,
        expires_at=now + dt.timedelta(hours=settings.STAFF_INVITATION_HOURS),
    )
    with translation.override(user.language):
        url = settings.SITE_URL.rstrip("/") + reverse("staff_enrol", kwargs={"token": token})
        subject, _sep, body = render_to_string(
            "account/email/staff_invitation.txt",
            {"user": user, "url": url, "hours": settings.STAFF_INVITATION_HOURS},
        ).partition("\n")
    mail_write(
        key=f"staff-invitation:{invitation.pk}",
        message=EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=[user.email]),
        recipient=user,
    )
    return url


@transaction.atomic
def staff_invitation_accept(*, request, token: str, now=None) -> StaffInvitation:
    """Takes a link once, for the signed-in account it was sent to; the session may then set up
    the second factor."""
    now = now or timezone.now()
    invitation = (
        StaffInvitation.objects.select_for_update()
        .filter(token_hash=_hash(token), user=request.user)
        .first()
    )
    if invitation is None or invitation.used_at or invitation.expires_at <= now:
        raise ValidationError(
            _(
                "This link is not valid for this account, or was used or has expired: ask the "
                "secretariat for a new one."
            )
        )
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    request.session[SESSION_KEY] = {"user": request.user.pk, "at": now.isoformat()}
    return invitation


def staff_enrolment_allowed(request, *, now=None) -> bool:
    """Whether this session may set up a second factor for its staff account."""
    user = request.user
    if not user.is_staff_account or user.has_second_factor:
        return True  # citizens set theirs up freely; a second one needs the first to sign in
    mark = request.session.get(SESSION_KEY) or {}
    if mark.get("user") != user.pk:
        return False
    since = dt.datetime.fromisoformat(mark["at"])
    now = now or timezone.now()
    return now - since <= dt.timedelta(minutes=settings.STAFF_ENROLMENT_MINUTES)
