"""Text messages and KakaoTalk 알림톡: the outbox's channels besides e-mail.

A message is written once per person and event, as for e-mail; when a worker claims it,
`texts_prepare` sends it by the channel its recipient chose for its kind on /notifications/
(if they gave a mobile number and agreed to that channel), and keeps a text that is not
time-critical until the quiet hours end (21:00–08:00 local time; meeting notices go at any
hour). `text_send` writes the text for the channel (SMS up to 90 bytes EUC-KR, else LMS up to
2,000; an 알림톡 as its registered template's variables) with the page's link and the way to
stop it, counts it against the daily limits it shares with the verification codes, and hands
it to the gateway (`verification.sms`). Lease, retry, failure and "send again" are the
outbox's, as for e-mail.
"""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verification.models import Method, Verification, phone_key
from verification.sms import LMS_BYTES, SMS_BYTES, SmsError, Text, euc_kr_length, gateway
from verification.sms_limits import SmsRefused, sms_allowance_take

from .models import Channel, Frequency, Kind, Message, MobileContact, Preference
from .numbers import mobile_normalised

TEXT_CHANNELS = {Channel.SMS, Channel.ALIMTALK}
# Notices that go during the quiet hours: a meeting notice may be for tomorrow morning.
TIME_CRITICAL_KINDS = {Kind.MEETINGS}
LINK = re.compile(r"https?://\S+")


def texts_prepare(claimed: list[Message], *, now) -> list[Message]:
    """Moves each claimed message to its recipient's chosen text channel, and gives back the
    texts that must wait for the end of the quiet hours. Returns the messages to send now."""
    wanted = {(m.recipient_id, m.kind) for m in claimed if m.recipient_id and m.kind}
    chosen = {
        (p.user_id, p.kind): p.channel
        for p in Preference.objects.filter(
            user_id__in={user for user, _kind in wanted},
            kind__in={kind for _user, kind in wanted},
            channel__in=TEXT_CHANNELS,
        ).only("user_id", "kind", "channel")
    }
    contacts = {
        c.user_id: c for c in MobileContact.objects.filter(user_id__in={u for u, _k in chosen})
    }
    for message in claimed:
        channel = chosen.get((message.recipient_id, message.kind))
        contact = contacts.get(message.recipient_id)
        if channel and contact and contact.consents_to(channel):
            message.channel, message.address = channel, contact.number
            Message.objects.filter(pk=message.pk).update(channel=channel, address=contact.number)
    later = quiet_hours_end(now)
    waiting = [m for m in claimed if later and not is_time_critical(m)]
    Message.objects.filter(pk__in=[m.pk for m in waiting if m.channel in TEXT_CHANNELS]).update(
        due_at=later, lease_until=None, attempts=F("attempts") - 1
    )
    return [m for m in claimed if not (m.channel in TEXT_CHANNELS and m in waiting)]


def is_time_critical(message: Message) -> bool:
    return message.kind in TIME_CRITICAL_KINDS


def quiet_hours_end(now) -> dt.datetime | None:
    """When the quiet hours that hold `now` end (local time), or None outside them."""
    start, end = settings.TEXT_QUIET_HOURS
    local = timezone.localtime(now)
    if end <= local.hour < start:
        return None
    day = local.date() + dt.timedelta(days=1 if local.hour >= start else 0)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(end)))


def text_of(message: Message, *, subject: str, body: str) -> Text:
    """The text of a notice for its channel: title, the page's link, the way to stop it."""
    links = [link for link in LINK.findall(body) if link.startswith(settings.SITE_URL)]
    link = links[0] if links else settings.SITE_URL
    with translation.override(message.language):
        stop = _("Stop: %(url)s") % {
            "url": settings.SITE_URL.rstrip("/") + reverse("outbox:preferences")
        }
        title = _("[Gwangju OGP] %(subject)s") % {"subject": " ".join(subject.split())}
    short = f"{title}\n{link}\n{stop}"
    if euc_kr_length(short) <= SMS_BYTES:
        text = short
    else:
        body = body.strip()
        text = _fit(f"{title}\n{link}\n\n{body}\n\n{stop}", body, LMS_BYTES)
    to = mobile_normalised(message.address)
    template = settings.ALIMTALK_TEMPLATES.get(message.kind, "")
    if message.channel != Channel.ALIMTALK or not template:
        return Text(to=to, text=text, subject=_cut(title, 40))
    variables = {"#{title}": " ".join(subject.split()), "#{url}": link, "#{stop}": stop}
    return Text(
        to=to,
        text=text,
        subject=_cut(title, 40),
        template=template,
        variables=variables,
    )


def _fit(text: str, shrinkable: str, limit: int) -> str:
    """`text` within `limit` bytes, `shrinkable` (a part of it) cut short if it must be; ""
    when even the rest does not fit."""
    if euc_kr_length(text) <= limit:
        return text
    keep = euc_kr_length(shrinkable) - (euc_kr_length(text) - limit) - 2  # 2: the "…"
    cut = shrinkable
    while cut and euc_kr_length(cut) > keep:
        cut = cut[:-1]
    return text.replace(shrinkable, cut.rstrip() + "…", 1) if cut.strip() else ""


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def text_send(message: Message, *, subject: str, body: str) -> str:
    """Sends one claimed text; raises `SmsError` when it did not go (the outbox retries it,
    or fails it when the error is permanent). Returns how it went (SMS, LMS, ATA)."""
    try:
        sms_allowance_take(number=message.address)
    except SmsRefused as refusal:
        raise SmsError(refusal.messages[0]) from None
    return gateway().send_text(text_of(message, subject=subject, body=body))


# Choosing ------------------------------------------------------------------------------------


def channels_allowed(*, user) -> list[tuple[str, str]]:
    """The channels a person may choose: e-mail, and each text channel they agreed to at a
    mobile number they proved."""
    contact = MobileContact.objects.filter(user=user).first()
    return [
        (value, label)
        for value, label in Channel.choices
        if value == Channel.EMAIL or (contact is not None and contact.consents_to(value))
    ]


def channels_of(*, user) -> dict[str, str]:
    """The channel the person chose for each kind (e-mail unless they chose)."""
    return dict(
        Preference.objects.filter(user=user)
        .exclude(channel=Channel.EMAIL)
        .values_list("kind", "channel")
    )


@transaction.atomic
def mobile_contact_save(*, user, number: str, sms: bool, alimtalk: bool) -> MobileContact:
    """Records the person's mobile number and their consent to each text channel.

    The number must be the one they proved by an SMS code; a channel they no longer agree to
    stops at once (their notices of that channel go by e-mail again).
    """
    number = mobile_normalised(number)
    proved = Verification.objects.current().filter(
        user=user, method=Method.PHONE, identity_key=phone_key(number)
    )
    if not proved.exists():
        raise ValidationError(
            _("This is not the mobile number you verified. Verify it first, then come back.")
        )
    now = timezone.now()
    contact, _created = MobileContact.objects.select_for_update().get_or_create(
        user=user, defaults={"number": number}
    )
    contact.number = number
    contact.sms_consent_at = (contact.sms_consent_at or now) if sms else None
    contact.alimtalk_consent_at = (contact.alimtalk_consent_at or now) if alimtalk else None
    contact.save()
    refused = [c for c in TEXT_CHANNELS if not contact.consents_to(c)]
    Preference.objects.filter(user=user, channel__in=refused).update(channel=Channel.EMAIL)
    return contact


@transaction.atomic
def channels_save(*, user, channels: dict[str, str]) -> None:
    """Saves the channel of each kind; only e-mail and the channels the person agreed to."""
    allowed = dict(channels_allowed(user=user))
    for kind, channel in channels.items():
        if channel not in allowed:
            raise ValidationError(_("Agree to this channel at your mobile number first."))
        Preference.objects.update_or_create(
            user=user,
            kind=Kind(kind),
            defaults={"channel": channel},
            create_defaults={"channel": channel, "frequency": Frequency.IMMEDIATELY},
        )
