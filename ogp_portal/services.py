"""The portal's e-mail outbox: write first, deliver once (used by proposals and polls)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Email

logger = logging.getLogger(__name__)


class EmailDeliveryError(Exception):
    """The mail server refused; the e-mail stays pending for a retry."""


def email_enqueue(*, key: str, recipients, template: str, context: dict) -> int:
    """Writes one e-mail per recipient, in each one's language, and queues the delivery.

    The template's first line is the subject, the rest the body. Returns how many are new.
    """
    now = timezone.now()
    rows = []
    for person in recipients:
        if not person.email:
            continue
        with translation.override(person.language):
            subject, _, body = render_to_string(
                template, {**context, "recipient": person, "site_url": settings.SITE_URL}
            ).partition("\n")
        rows.append(
            Email(
                key=f"{key}:{person.pk}",
                recipient=person,
                subject=subject.strip()[:300],
                body=body.strip() + "\n",
                due_at=now,
            )
        )
    created = Email.objects.bulk_create(rows, ignore_conflicts=True)
    emails_dispatch(emails=Email.objects.due(now).filter(key__in=[r.key for r in rows]))
    return len(created)


def emails_dispatch(*, emails) -> int:
    from .tasks import deliver_email

    ids = list(emails.values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.delay_on_commit(email_id)
    return len(ids)


def email_deliver(*, email_id: int) -> str:
    """Sends one e-mail at most once; a retry of a sent e-mail does nothing."""
    failure = None
    with transaction.atomic():
        email = Email.objects.select_for_update().select_related("recipient").get(pk=email_id)
        if email.status != Email.Status.PENDING:
            return email.status
        email.attempts += 1
        final_attempt = email.attempts >= settings.NOTICE_MAX_ATTEMPTS
        try:
            EmailMessage(subject=email.subject, body=email.body, to=[email.recipient.email]).send()
        except Exception as error:  # every reason of the mail server is retried
            logger.warning("E-mail %s not delivered: %s", email.pk, error)
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if final_attempt:
                email.status = Email.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            failure = error
        else:
            email.status = Email.Status.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "status", "sent_at"])
    if failure is not None and not final_attempt:
        raise EmailDeliveryError(str(failure)) from failure
    return email.status
