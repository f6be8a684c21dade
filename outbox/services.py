"""The outbox: every e-mail is written to the database first, then delivered once.

Delivery claims due messages with a lease (`SELECT … FOR UPDATE SKIP LOCKED`, so workers and
beats never take the same row), sends them outside any transaction over one SMTP connection
per batch, and marks each sent as soon as it went. A worker that dies between sending and
marking leaves its lease to expire; the next drain sends that message again, under the same
`Message-ID`, so a mail client folds the two. Refusals: 5xx fails the message at once, the rest
(4xx, timeouts, lost connections) wait with backoff and go again until the last attempt.
"""

import datetime as dt
import hashlib
import logging
import random
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.broker import task_publish
from verification.sms import SmsError

from .channels import TEXT_CHANNELS, text_send, texts_prepare
from .models import SERVICE_KINDS, Alarm, Frequency, Kind, Message, Preference
from .seal import seal, seal_data, unseal_data

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Composer:
    """How an app writes its messages at delivery time, and when one is no longer needed.

    Both get the message and a dict that lives for one batch of the outbox, where a composer
    keeps what many messages of the batch share (a meeting, its calendar entry).
    """

    compose: Callable[[Message, dict], EmailMessage]
    is_void: Callable[[Message, dict], bool]


COMPOSERS: dict[str, Composer] = {}


def composer_register(name: str, *, compose, is_void) -> None:
    """Called from an app's `ready()`; `name` is stored on its messages."""
    COMPOSERS[name] = Composer(compose=compose, is_void=is_void)


# Writing -------------------------------------------------------------------------------------


def emails_write(*, key: str, kind: Kind, recipients, template: str, context: dict) -> int:
    """Writes one e-mail per recipient, in each one's language, and queues the delivery.

    The template's first line is the subject, the rest the body. `kind` says what it is about:
    each recipient's preference for it decides at delivery whether it goes now, waits for the
    daily digest or not at all. Returns how many are new.
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
                kind=kind,
                language=person.language,
                subject=subject.strip()[:300],
                body=body.strip() + "\n",
                due_at=now,
            )
        )
    return _write(rows, now)


def messages_fan_out(
    *, key: str, kind: Kind, addresses, composer: str, ref: int, due_at=None
) -> int:
    """Writes, in one statement, a message to each of `addresses` for `composer` to write at
    delivery time from record `ref`. Returns how many are new.

    `addresses` is a values QuerySet with `person_id` (the account, or None for someone who
    has none), `person_email` (lower case; a mobile number for a text channel),
    `person_language` and `person_channel`, e.g. `User.objects.addresses()`.
    One message per address and event: an address reached twice (as an account and as a
    committee seat's contact) receives one. The request that publishes a meeting of 10,000
    members pays for one INSERT … SELECT; the e-mails are composed and sent by the workers.
    """
    now = timezone.now()
    due = due_at or now
    select, params = addresses.query.sql_with_params()
    ops = connection.ops
    columns = (
        "key, recipient_id, address, kind, language, composer, composer_ref, subject, body, "
        "html_body, status, due_at, attempts, last_error, created_at, channel"
    )
    sql = (
        # Safe: the table and column names come from the model and this code, the subquery from
        # the ORM with its parameters passed separately; no input is formatted into the SQL.
        f"INSERT INTO {Message._meta.db_table} ({columns}) "  # noqa: S608  # nosec B608
        "SELECT %s || p.person_email, p.person_id, p.person_email, %s, "
        "p.person_language, %s, %s, '', '', '', "
        f"%s, %s, 0, '', %s, p.person_channel FROM ({select}) p WHERE p.person_email <> '' "
        "ON CONFLICT (key) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                f"{key}:",
                kind,
                composer,
                ref,
                Message.Status.PENDING,
                ops.adapt_datetimefield_value(due),
                ops.adapt_datetimefield_value(now),
                *params,
            ],
        )
        written = cursor.rowcount
    if written and due <= now:
        drain_enqueue()
    return written


def mail_write(*, key: str, message: EmailMessage, recipient=None) -> int:
    """Queues an e-mail rendered elsewhere (the account e-mails of sign-up and sign-in).

    Their links and codes open the account: the text is stored sealed (`seal`) and erased once
    sent, so the outbox never holds a readable secret.
    """
    alternatives = getattr(message, "alternatives", [])
    html = next((content for content, kind in alternatives if kind == "text/html"), "")
    now = timezone.now()
    rows = [
        Message(
            key=f"{key}:{address}"[:320],
            recipient=recipient,
            address=address,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            subject=str(message.subject)[:300],
            sealed=seal(body=message.body, html_body=html),
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
    if any(row.due_at <= now for row in new):
        drain_enqueue()
    return len(new)


# Delivering ----------------------------------------------------------------------------------

# How many messages a worker claims at once; they go out over one SMTP connection.
BATCH = 100
DRAIN_TASK = "outbox.tasks.drain_outbox"


def drain_enqueue() -> None:
    """Asks a worker to drain the outbox once the current transaction commits.

    The request never waits for the broker (`ogp_portal.broker`): the messages are in the
    database already and beat drains the outbox every minute, so a broker that is down or
    frozen delays the mail, never the request. The task is named, not imported: `outbox.tasks`
    calls this module (the app registers it on start).
    """

    transaction.on_commit(lambda: task_publish(current_app.tasks[DRAIN_TASK]))


def outbox_drain(*, seconds: float | None = None) -> int:
    """Sends due messages in batches until none is left or `seconds` have passed."""
    budget = settings.OUTBOX_DRAIN_SECONDS if seconds is None else seconds
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < budget:
        memo = {}
        batch = _claim(limit=BATCH, memo=memo)
        if not batch:
            break
        sent += _send(batch, memo=memo)
    return sent


# Beat drains the outbox every minute; what comes due sooner gets a drain of its own.
FOLLOW_UP_SECONDS = 60


def drain_follow_up(*, now=None) -> float | None:
    """After a drain: a message that comes due within a minute (a retry after a temporary
    refusal) or whose lease runs out by then (held by a worker that died) gets a drain at that
    time, instead of waiting for beat. Returns in how many seconds, or None."""
    drain_outbox = current_app.tasks[DRAIN_TASK]
    if drain_outbox.app.conf.task_always_eager:  # eager: a drain runs now or never
        return None
    now = now or timezone.now()
    soon = now + dt.timedelta(seconds=FOLLOW_UP_SECONDS)
    pending = Message.objects.filter(status=Message.Status.PENDING)
    found = pending.aggregate(
        due=Min("due_at", filter=Q(due_at__gt=now, due_at__lte=soon)),
        freed=Min("lease_until", filter=Q(lease_until__gt=now, lease_until__lte=soon)),
    )
    times = [t for t in found.values() if t is not None]
    if not times:
        return None
    seconds = (min(times) - now).total_seconds() + 0.5
    try:
        drain_outbox.apply_async(countdown=seconds)
    except Exception as error:  # the broker's reasons are many; beat drains in any case
        logger.warning("Outbox follow-up drain not queued (%s); beat will relay.", error)
        return None
    return seconds


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _claim(*, limit: int, memo: dict) -> list[Message]:
    """Leases up to `limit` due messages; voids those their app no longer needs, and those
    their recipient does not want; keeps for the daily digest those they want in it."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Message.objects.claimable(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("due_at", "pk")[:limit]
        )
        void = [
            m.pk for m in rows if m.composer in COMPOSERS and COMPOSERS[m.composer].is_void(m, memo)
        ]
        Message.objects.filter(pk__in=void).update(status=Message.Status.VOID, lease_until=None)
        rows = [m for m in rows if m.pk not in void]
        frequencies = _frequencies(rows)
        unwanted = [m.pk for m in rows if frequencies[m.pk] == Frequency.OFF]
        held = [m.pk for m in rows if frequencies[m.pk] == Frequency.DAILY]
        Message.objects.filter(pk__in=unwanted).update(status=Message.Status.VOID, lease_until=None)
        Message.objects.filter(pk__in=held).update(status=Message.Status.HELD, lease_until=None)
        claimed = [m for m in rows if frequencies[m.pk] == Frequency.IMMEDIATELY]
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            lease_until=now + _lease(), attempts=F("attempts") + 1
        )
        claimed = texts_prepare(claimed, now=now)
    for message in claimed:
        message.attempts += 1
    return claimed


def _frequencies(rows: list[Message]) -> dict[int, str]:
    """How often each message's recipient wants its kind: immediately unless they chose."""
    chosen = Preference.objects.frequencies(
        {(m.recipient_id, m.kind) for m in rows if m.recipient_id and m.kind}
    )
    return {
        m.pk: chosen.get((m.recipient_id, m.kind), Frequency.IMMEDIATELY)
        if m.kind != Kind.DIGEST
        else Frequency.IMMEDIATELY
        for m in rows
    }


def _send_window() -> float:
    """How long after its claim a batch starts new sends: the lease less what one send may take
    (a new connection and an answer, each within `EMAIL_TIMEOUT`), at least half the lease."""
    lease = settings.OUTBOX_LEASE_SECONDS
    return max(lease - 2 * settings.EMAIL_TIMEOUT, lease / 2)


def _send(batch: list[Message], *, memo: dict) -> int:
    """Sends claimed messages over one connection; marks each as soon as it went."""
    sent = 0
    smtp = None
    started = time.monotonic()
    for position, message in enumerate(batch):
        if time.monotonic() - started > _send_window():
            _release(batch[position:])  # the lease runs short: another drain takes the rest
            break
        try:
            if message.channel in TEXT_CHANNELS:
                text_send(message, **_text_parts(message, memo))
                _sent(message)
                sent += 1
                continue
            email = _compose(message, memo)
            if smtp is None:
                smtp = get_connection()
                smtp.open()
            email.connection = smtp
            email.send()
        except Exception as error:  # the mail server's reasons are many; each is recorded
            if message.channel in TEXT_CHANNELS:
                _failed(message, error)
                continue
            if smtp is not None:
                _close(smtp)
                smtp = None
            _failed(message, error)
        else:
            _sent(message)
            sent += 1
    if smtp is not None:
        _close(smtp)
    return sent


def _sent(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
        sealed="",
    )


def _text_parts(message: Message, memo: dict) -> dict:
    """The subject and body a text is written from: its composer's, or those it was queued with."""
    composer = COMPOSERS.get(message.composer)
    if composer is None:
        return {"subject": message.subject, "body": message.body}
    email = composer.compose(message, memo)
    return {"subject": email.subject, "body": email.body}


def _close(smtp) -> None:
    try:
        smtp.close()
    except Exception as error:  # a connection that broke while closing is closed enough
        logger.info("Closing the mail connection: %s", error)


def _compose(message: Message, memo: dict) -> EmailMessage:
    composer = COMPOSERS.get(message.composer)
    if composer is not None:
        email = composer.compose(message, memo)
    else:
        body, html_body = message.unsealed()
        email = EmailMultiAlternatives(subject=message.subject, body=body, to=[message.address])
        if html_body:
            email.attach_alternative(html_body, "text/html")
    email.extra_headers["Message-ID"] = message_id_of(message)
    if message.recipient_id and message.kind:
        _unsubscribe_attach(email, message)
    return email


def _unsubscribe_attach(email: EmailMessage, message: Message) -> None:
    """One-click unsubscribe (RFC 8058): a signed link that stops this kind for this person."""
    url = unsubscribe_url(
        user_id=message.recipient_id, kind=message.kind, language=message.language
    )
    email.extra_headers["List-Unsubscribe"] = f"<{url}>"
    email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.kind == Kind.DIGEST:
        # The digest's one footer says what it gathers, with this link (digest.txt), which is
        # put there only now: a link that works without signing in is never stored.
        email.body = email.body.replace(UNSUBSCRIBE_MARK, url)
        return
    with translation.override(message.language):
        footer = _("To stop these e-mails (%(kind)s), open: %(url)s") % {
            "kind": Kind(message.kind).label,
            "url": url,
        }
    email.body = f"{email.body.rstrip()}\n\n-- \n{footer}\n"


def message_id_of(message: Message) -> str:
    """The same `Message-ID` at every attempt, so a resent message is folded by mail clients."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{hashlib.sha256(message.key.encode()).hexdigest()[:40]}@{domain}>"


def is_permanent(error: Exception) -> bool:
    """A 5xx answer will not change by trying again; everything else might. A text gateway
    says itself whether its refusal is final."""
    if isinstance(error, SmsError):
        return error.permanent
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _failed(message: Message, error: Exception) -> None:
    logger.warning("Message %s not delivered: %s", message.pk, error)
    final = is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    first, longest = settings.OUTBOX_RETRY_SECONDS
    backoff = min(first * 2 ** (message.attempts - 1), longest) * random.uniform(0.8, 1.2)  # noqa: S311
    # A message that will not go again keeps no sealed secret.
    sealed = {"sealed": ""} if final else {}
    Message.objects.filter(pk=message.pk).update(
        **sealed,
        status=Message.Status.FAILED if final else Message.Status.PENDING,
        due_at=timezone.now() + dt.timedelta(seconds=backoff),
        lease_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def _release(batch: list[Message]) -> None:
    Message.objects.filter(pk__in=[m.pk for m in batch]).update(
        lease_until=None, attempts=F("attempts") - 1
    )


def messages_void(*, messages) -> int:
    """Pending messages that no longer apply are never sent."""
    return messages.filter(status=Message.Status.PENDING).update(status=Message.Status.VOID)


@transaction.atomic
def messages_retry(*, messages) -> int:
    """Sends failed messages again, from a fresh count of attempts.

    An account e-mail whose sealed text was erased when it failed has nothing left to send:
    its link is long expired, and the person asks for a new one.
    """
    count = (
        messages.filter(status=Message.Status.FAILED)
        .exclude(composer="", body="", sealed="")
        .update(
            status=Message.Status.PENDING,
            due_at=timezone.now(),
            lease_until=None,
            last_error="",
            attempts=0,
        )
    )
    if count:
        drain_enqueue()
    return count


# Preferences and unsubscribing ---------------------------------------------------------------

UNSUBSCRIBE_SALT = "outbox.unsubscribe"
# Where a stored body takes its unsubscribe link when it is sent.
UNSUBSCRIBE_MARK = "[unsubscribe-link]"


def unsubscribe_url(*, user_id: int, kind: str, language: str) -> str:
    """A link that needs no sign-in: sealed with the site's key, so nobody can forge one nor
    read whose it is; it works for `UNSUBSCRIBE_LINK_DAYS` (each e-mail carries a fresh one)."""
    token = seal_data([UNSUBSCRIBE_SALT, user_id, kind])
    with translation.override(language):
        path = reverse("outbox:unsubscribe", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_read(token: str) -> tuple[int, Kind]:
    """The person and kind a link names; a forged, damaged or expired link is refused."""
    data = unseal_data(token, max_age=settings.UNSUBSCRIBE_LINK_DAYS * 24 * 3600)
    try:
        salt, user_id, kind = data
        if salt != UNSUBSCRIBE_SALT:
            raise ValueError(salt)
        return int(user_id), Kind(kind)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("This unsubscribe link is not valid or has expired: use your notifications page.")
        ) from error


def preference_choices(kind: Kind) -> list[tuple[str, str]]:
    """What a person may choose for `kind`: service messages cannot be turned off."""
    return [
        (value, label)
        for value, label in Frequency.choices
        if not (kind in SERVICE_KINDS and value == Frequency.OFF)
    ]


def preference_kinds(*, user) -> list[Kind]:
    """The kinds a person may receive: the secretariat's alerts go to staff accounts only."""
    return [kind for kind in Kind.choosable() if kind != Kind.STAFF or user.is_staff]


def preferences_of(*, user) -> dict[str, str]:
    """Each kind the person may receive, with their frequency for it."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {
        kind.value: chosen.get(kind.value, Frequency.IMMEDIATELY)
        for kind in preference_kinds(user=user)
    }


@transaction.atomic
def preferences_save(*, user, frequencies: dict[str, str]) -> None:
    for kind, frequency in frequencies.items():
        kind = Kind(kind)
        if kind == Kind.DIGEST or frequency not in dict(preference_choices(kind)):
            raise ValidationError(
                _(
                    "“%(kind)s” cannot be set to this; meeting notices stop only when you leave "
                    "the group."
                )
                % {"kind": kind.label}
            )
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})


@transaction.atomic
def unsubscribe(*, user_id: int, kind: Kind) -> list[Kind]:
    """Stops one kind for one person; service messages go to the digest instead.

    The digest's own link stops every kind the person had put in it (service messages stay).
    Returns the kinds changed.
    """
    if kind == Kind.DIGEST:
        kinds = [
            Kind(k)
            for k in Preference.objects.filter(user_id=user_id, frequency=Frequency.DAILY)
            .exclude(kind__in=SERVICE_KINDS)
            .values_list("kind", flat=True)
        ]
    else:
        kinds = [kind]
    for each in kinds:
        Preference.objects.update_or_create(
            user_id=user_id,
            kind=each,
            defaults={"frequency": Frequency.DAILY if each in SERVICE_KINDS else Frequency.OFF},
        )
    return kinds


# The daily digest ----------------------------------------------------------------------------


def digests_send(*, now=None) -> int:
    """Beat, once a day: each person's held messages gathered into one e-mail (at most one a
    day: its key names the day). Safe to run twice. Returns how many digests were written."""
    now = now or timezone.now()
    people = (
        Message.objects.filter(status=Message.Status.HELD, created_at__lte=now)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(_digest_write(recipient_id, now) for recipient_id in list(people))


def _digest_item(message: Message, memo: dict) -> dict:
    """One item of the digest: what its e-mail says, without the greeting, the signature and
    the footer, which the digest has once for all of its items."""
    composer = COMPOSERS.get(message.composer)
    body = composer.compose(message, memo).body if composer is not None else message.body
    with translation.override(message.language):
        greetings = [_("Dear %(name)s,"), _("Hello,")]
        signature = _("Gwangju OGP Council secretariat")
    lines = body.strip().splitlines()
    if lines and any(_is_greeting(lines[0].strip(), greeting) for greeting in greetings):
        lines = lines[1:]
    if lines and lines[-1].strip() == signature:
        lines = lines[:-1]
    return {"subject": message.subject, "body": "\n".join(lines).strip(), "kind": message.kind}


def _is_greeting(line: str, greeting: str) -> bool:
    """`line` is `greeting` ("Dear %(name)s,") with some name in it."""
    before, named, after = greeting.partition("%(name)s")
    if not named:
        return line == greeting
    return line.startswith(before) and line.endswith(after) and len(line) > len(before + after)


# A digest lists at most this many messages; the rest wait for the next day's.
DIGEST_MAX_ITEMS = 200


@transaction.atomic
def _digest_write(recipient_id: int, now) -> int:
    held = list(
        Message.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipient_id=recipient_id, status=Message.Status.HELD, created_at__lte=now)
        .select_related("recipient")
        .order_by("created_at", "pk")[:DIGEST_MAX_ITEMS]
    )
    if not held:
        return 0
    person = held[0].recipient
    key = f"digest:{recipient_id}:{timezone.localdate(now).isoformat()}"
    if Message.objects.filter(key=key).exists():
        return 0  # today's digest went already: these wait for tomorrow's
    memo = {"digest": True}  # composers link what an e-mail would attach (a meeting's .ics)
    items, void = [], []
    for message in held:
        if message.composer in COMPOSERS and COMPOSERS[message.composer].is_void(message, memo):
            void.append(message.pk)
            continue
        items.append(_digest_item(message, memo))
    Message.objects.filter(pk__in=void).update(status=Message.Status.VOID)
    Message.objects.filter(pk__in=[m.pk for m in held if m.pk not in void]).update(
        status=Message.Status.DIGESTED
    )
    if not items or not person.email:
        return 0
    kinds = sorted({item["kind"] for item in items if item["kind"]})
    with translation.override(person.language):
        subject, _sep, body = render_to_string(
            "outbox/email/digest.txt",
            {
                "recipient": person,
                "items": items,
                "site_url": settings.SITE_URL,
                "day": now,
                "kinds": [Kind(kind).label for kind in kinds],
                "service_kinds": [Kind(k).label for k in kinds if k in SERVICE_KINDS],
                "unsubscribe_url": UNSUBSCRIBE_MARK,
            },
        ).partition("\n")
    Message.objects.create(
        key=key,
        recipient=person,
        address=person.email,
        kind=Kind.DIGEST,
        language=person.language,
        subject=subject.strip()[:300],
        body=body.strip() + "\n",
        due_at=now,
    )
    drain_enqueue()
    return 1


# A deleted person in others' notices ----------------------------------------------------------


def messages_unname(*, messages, name: str) -> int:
    """Others' notices that told of what a deleted person did (`messages`: a reply to their
    comment…) no longer show the person's public `name`: each line of their subject and text
    that holds it shows "Former member" instead, in the notice's language, there and in the
    daily digests that gathered the notice; the greeting (a recipient of the same name) stays.
    Pending ones go out so. Returns the notices changed.
    """
    changed = 0
    for message in messages.exclude(subject="", body="").only(
        "recipient_id", "language", "subject", "body", "created_at"
    ):
        with translation.override(message.language):
            former = _("Former member")
            greeting = _("Dear %(name)s,") % {"name": name}
        lines = {
            line: line.replace(name, former)
            for line in [message.subject, *message.body.splitlines()]
            if name in line and line.strip() != greeting
        }
        if not lines:
            continue
        message.subject = _lines_replace(message.subject, lines)
        message.body = _lines_replace(message.body, lines)
        message.save(update_fields=["subject", "body"])
        digests = Message.objects.filter(
            recipient_id=message.recipient_id,
            kind=Kind.DIGEST,
            created_at__gte=message.created_at,
        ).exclude(body="")
        for digest in digests.only("body"):
            digest.body = _lines_replace(digest.body, lines)
            digest.save(update_fields=["body"])
        changed += 1
    return changed


def _lines_replace(text: str, lines: dict[str, str]) -> str:
    """`text` with each of the lines (whole sentences that hold the name) replaced, wherever
    they stand: a digest writes a notice's subject as "== subject =="."""
    for line in sorted(lines, key=len, reverse=True):
        text = text.replace(line, lines[line])
    return text


# Alarms to the staff ----------------------------------------------------------------------------


@transaction.atomic
def alarm_raise(*, key: str, recipients, template: str, context: dict, now=None) -> bool:
    """Mails the staff of the problem `key` (no time in it: "polls:drift:12"), unless they were
    mailed of it already and it was not resolved since, within a day. Returns whether it mailed.
    """
    now = now or timezone.now()
    alarm, created = Alarm.objects.select_for_update().get_or_create(
        key=key, defaults={"raised_at": now}
    )
    if not created:
        if not alarm.is_due(now):
            return False
        alarm.raised += 1
        alarm.raised_at = now
        alarm.resolved_at = None
        alarm.save(update_fields=["raised", "raised_at", "resolved_at"])
    emails_write(
        key=f"alarm:{key}:{alarm.raised}",
        kind=Kind.STAFF,
        recipients=recipients,
        template=template,
        context=context,
    )
    return True


def alarms_resolve(*, keys, now=None) -> int:
    """The problems `keys` were checked and are gone: the next time one is found, it is mailed."""
    return Alarm.objects.filter(key__in=keys, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now()
    )
