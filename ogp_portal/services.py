"""The portal's e-mail outbox: write first, deliver once (used by proposals and polls)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Email

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The mail server refused; the message stays pending for a retry with backoff."""


# How a delivery task retries: backoff from 30 s up to an hour; the database counts attempts.
DELIVERY_RETRY = {
    "autoretry_for": (DeliveryError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.NOTICE_MAX_ATTEMPTS - 1,
}


def deliver_once(*, queryset, pk: int, message_for, void_if=None) -> str:
    """Sends one queued message at most once, whoever calls and however often.

    The row is locked, so two workers never send it together; a sent, failed or void row is
    left alone. A refusal is recorded and raised for a retry until the last attempt, which
    marks the row failed for the secretariat to see.
    """
    failure = None
    with transaction.atomic():
        item = queryset.select_for_update(of=("self",)).get(pk=pk)
        if item.status != "pending" or item.due_at > timezone.now():
            return item.status
        if void_if is not None and void_if(item):
            item.status = "void"
            item.save(update_fields=["status"])
            return item.status
        item.attempts += 1
        final_attempt = item.attempts >= settings.NOTICE_MAX_ATTEMPTS
        try:
            message_for(item).send()
        except Exception as error:  # the mail server's reasons are many; all are retried
            logger.warning("%s %s not delivered: %s", type(item).__name__, item.pk, error)
            item.last_error = f"{type(error).__name__}: {error}"[:2000]
            if final_attempt:
                item.status = "failed"
            item.save(update_fields=["attempts", "last_error", "status"])
            failure = error
        else:
            item.status = "sent"
            item.sent_at = timezone.now()
            item.save(update_fields=["attempts", "status", "sent_at"])
    if failure is not None and not final_attempt:
        raise DeliveryError(str(failure)) from failure
    return item.status


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
    emails_dispatch(emails=Email.objects.due(now).filter(key__in=[r.key for r in rows], attempts=0))
    return len(created)


def emails_dispatch(*, emails) -> int:
    from .tasks import deliver_email

    ids = list(emails.values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.delay_on_commit(email_id)
    return len(ids)


def email_deliver(*, email_id: int) -> str:
    return deliver_once(
        queryset=Email.objects.select_related("recipient"),
        pk=email_id,
        message_for=lambda email: EmailMessage(
            subject=email.subject, body=email.body, to=[email.recipient.email]
        ),
    )
