"""Second factors taken away outside allauth's own pages: deleted in the admin (a lost phone),
or dropped when a citizen is made staff (`User.save`), who then enrols by invitation
(`ogp_portal.enrolment`). Their holder is told by e-mail, as allauth's pages tell them."""

import uuid

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from outbox.services import mail_write


@transaction.atomic
def second_factors_remove(*, authenticators, promoted: bool = False, now=None) -> int:
    """Removes these second factors, and the recovery codes left without another factor, and
    tells each holder what was removed; returns how many were removed.

    allauth's own pages send their notice themselves; this is for every other route: deletion
    in the admin, and a citizen made staff (`promoted`), who enrols again by invitation.
    """
    now = now or timezone.now()
    holders = {}
    for authenticator in authenticators.select_related("user"):
        holders.setdefault(authenticator.user, []).append(authenticator)
    for user, removed in holders.items():
        Authenticator.objects.filter(pk__in=[factor.pk for factor in removed]).delete()
        remaining = Authenticator.objects.filter(user=user)
        if not remaining.exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
            removed += list(remaining)
            remaining.delete()
        user.__dict__.pop("has_second_factor", None)
        _second_factors_removed_notify(user=user, removed=removed, promoted=promoted, now=now)
    return sum(len(removed) for removed in holders.values())


def _second_factors_removed_notify(*, user, removed, promoted: bool, now) -> None:
    if not user.email:
        return
    with translation.override(user.language):
        kinds = sorted({str(factor.get_type_display()) for factor in removed})
        subject, _sep, body = render_to_string(
            "account/email/second_factor_removed.txt",
            {
                "user": user,
                "kinds": ", ".join(kinds),
                "promoted": promoted,
                "when": date_format(timezone.localtime(now), "DATETIME_FORMAT"),
                "site_url": settings.SITE_URL,
            },
        ).partition("\n")
    mail_write(
        key=f"second-factor-removed:{user.pk}:{uuid.uuid4().hex}",
        message=EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=[user.email]),
        recipient=user,
    )
