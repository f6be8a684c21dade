"""How django-allauth fits the portal: account e-mails through the outbox, social sign-in
only where the secretariat set it up."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404
from django.utils.translation import gettext as _

from .outbox.services import mail_write


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Queues the e-mail: a slow or failing mail server never fails sign-up or sign-in."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "site_url": settings.SITE_URL,
                **context,
            },
        )
        user = context.get("user")
        mail_write(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            message=message,
            recipient=user if getattr(user, "pk", None) else None,
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{_('Gwangju OGP Council')}] {subject}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Kakao and Naver are installed but work only once staff add their keys in the admin."""

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # Not set up yet: the sign-in page offers no button, and its address is not found.
            raise Http404 from None
