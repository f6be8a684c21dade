"""The outbox: every e-mail is written to the database first, then delivered once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Message

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The mail server refused; the message stays pending for a retry with backoff."""


# How a delivery task retries: backoff from 30 s up to an hour; the database counts attempts.
DELIVERY_RETRY = {
    "autoretry_for": (DeliveryError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.OUTBOX_MAX_ATTEMPTS - 1,
}


@dataclass(frozen=True)
class Composer:
    """How an app writes its messages at delivery time, and when one is no longer needed."""

    compose: Callable[[Message], EmailMessage]
    is_void: Callable[[Message], bool]


COMPOSERS: dict[str, Composer] = {}


def composer_register(name: str, *, compose, is_void) -> None:
    """Called from an app's `ready()`; `name` is stored on its messages."""
    COMPOSERS[name] = Composer(compose=compose, is_void=is_void)


# Writing -------------------------------------------------------------------------------------


def emails_write(*, key: str, recipients, template: str, context: dict) -> int:
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
            Message(
                key=f"{key}:{person.pk}",
                recipient=person,
                address=person.email,
                language=person.language,
                subject=subject.strip()[:300],
                body=body.strip() + "\n",
                due_at=now,
            )
        )
    return _write(rows, now)


def messages_write_for_composer(*, key: str, recipients, composer: str, due_at=None):
    """Writes one message per recipient for `composer` to write at delivery time.

    Returns the messages of this key, new or written before, for the caller to link to.
    """
    now = timezone.now()
    rows = [
        Message(
            key=f"{key}:{person.pk}",
            recipient=person,
            address=person.email,
            language=person.language,
            composer=composer,
            due_at=due_at or now,
        )
        for person in recipients
        if person.email
    ]
    _write(rows, now)
    return Message.objects.filter(key__in=[row.key for row in rows])


def mail_write(*, key: str, message: EmailMessage, recipient=None) -> int:
    """Queues an e-mail rendered elsewhere (the account e-mails of sign-up and sign-in)."""
    alternatives = getattr(message, "alternatives", [])
    html = next((content for content, kind in alternatives if kind == "text/html"), "")
    now = timezone.now()
    rows = [
        Message(
            key=f"{key}:{address}"[:200],
            recipient=recipient,
            address=address,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            subject=str(message.subject)[:300],
            body=message.body,
            html_body=html,
            due_at=now,
        )
        for address in message.to
    ]
    return _write(rows, now)


def _write(rows: list[Message], now) -> int:
    """Writes the rows whose key is new; returns how many were new."""
    keys = [row.key for row in rows]
    written = set(Message.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [row for row in rows if row.key not in written]
    # A concurrent writer of the same event may come first: its row stands, this one is skipped.
    Message.objects.bulk_create(new, ignore_conflicts=True)
    messages_dispatch(messages=Message.objects.due(now).filter(key__in=keys, attempts=0))
    return len(new)


# Delivering ----------------------------------------------------------------------------------


def messages_dispatch(*, messages) -> int:
    """Queues the delivery of each message once the current transaction commits."""
    from .tasks import deliver_message

    ids = list(messages.values_list("pk", flat=True))
    for message_id in ids:
        deliver_message.delay_on_commit(message_id)
    return len(ids)


def message_deliver(*, message_id: int) -> str:
    """Sends one message at most once, whoever calls and however often.

    The row is locked, so two workers never send it together; a sent, failed or void row is
    left alone. A refusal is recorded and raised for a retry until the last attempt, which
    marks the row failed for the secretariat to see.
    """
    failure = None
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.status != Message.Status.PENDING or message.due_at > timezone.now():
            return message.status
        composer = COMPOSERS.get(message.composer)
        if composer is not None and composer.is_void(message):
            message.status = Message.Status.VOID
            message.save(update_fields=["status"])
            return message.status
        message.attempts += 1
        final_attempt = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        try:
            email = composer.compose(message) if composer is not None else _stored(message)
            email.send()
        except Exception as error:  # the mail server's reasons are many; all are retried
            logger.warning("Message %s not delivered: %s", message.pk, error)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if final_attempt:
                message.status = Message.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            failure = error
        else:
            message.status = Message.Status.SENT
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "status", "sent_at"])
    if failure is not None and not final_attempt:
        raise DeliveryError(str(failure)) from failure
    return message.status


def _stored(message: Message) -> EmailMessage:
    email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[message.address])
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def messages_void(*, messages) -> int:
    """Pending messages that no longer apply are never sent."""
    return messages.filter(status=Message.Status.PENDING).update(status=Message.Status.VOID)


@transaction.atomic
def messages_retry(*, messages) -> int:
    """Sends failed messages again, from a fresh count of attempts."""
    failed = messages.filter(status=Message.Status.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(status=Message.Status.PENDING, due_at=timezone.now(), last_error="", attempts=0)
    return messages_dispatch(messages=Message.objects.filter(pk__in=ids))
