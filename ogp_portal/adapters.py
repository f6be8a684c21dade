"""How django-allauth sends its account e-mails: through the outbox, like every other e-mail."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

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
                **context,
            },
        )
        user = context.get("user")
        mail_write(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            message=message,
            recipient=user if getattr(user, "pk", None) else None,
        )
