"""The limits every text message counts against, verification codes and notices alike."""

import datetime as dt
import ipaddress
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SmsDay, SmsSend, keyed_hash, phone_key

# Sent once a day when 80 % of the day's budget is used (`day`: the SmsDay); the staff's e-mail
# is `verification.services.sms_budget_alert`.
sms_budget_nearly_spent = Signal()


class SmsRefused(ValidationError):
    """A text message was not allowed: a limit of `SMS_LIMITS` is reached."""


# An IPv6 client counts by the network a household is given (a /56 from most providers): any
# address in it costs nothing to take. A /48 (a tunnel broker's free one) is 256 such clients;
# the day's share of codes (`SMS_CODES_SHARE`) still bounds what they cost together.
IPV6_CLIENT_PREFIX = 56


def client_network(client: str) -> str:
    """The client as the limits count it: an IPv6 address by its /56, an IPv4 one alone."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))


def sms_allowance_take(*, number: str, account=None, client: str = "", now=None) -> None:
    """Counts one text message to `number` (any notation of a Korean mobile number) before it
    is sent, or refuses it with `SmsRefused` when a limit of `SMS_LIMITS` is reached.

    Limits: per destination number an hour and a day, whatever account or client asks (a
    code counts every text to the number, a notice only the notices); per
    account (`account`, a user or None) a day; per client address (`client`, as
    `ogp_portal.adapters.client_ip` gives it; an IPv6 address by its /64) an hour and a day;
    and the site's budget a day, of which staff hear by e-mail once 80 % is used. Texts asked
    for an account (verification codes) use at most `SMS_CODES_SHARE` of the budget; the
    notices the site sends may use the rest. Every channel that sends text to a phone
    calls this first. Number and client are kept only as keyed hashes, for two days.
    """
    now = now or timezone.now()
    limits = settings.SMS_LIMITS
    number_key = phone_key(number)
    client_key = keyed_hash("client", client_network(client)) if client else ""
    with transaction.atomic():
        today, created = SmsDay.objects.get_or_create(day=timezone.localdate(now))
        if created:
            SmsSend.objects.filter(sent_at__lt=now - dt.timedelta(days=2)).delete()
        today = SmsDay.objects.select_for_update().get(pk=today.pk)
        hour, day = now - dt.timedelta(hours=1), now - dt.timedelta(days=1)
        # A code counts every text to the number, notices included; a notice counts only the
        # notices: whoever spends a number's codes does not silence the site's notices to it.
        asked = account is not None or bool(client_key)
        to_number = (SmsSend.objects if asked else SmsSend.objects.notices()).filter(
            number_key=number_key
        )
        counts = [
            (to_number.filter(sent_at__gt=hour), "number_per_hour"),
            (to_number.filter(sent_at__gt=day), "number_per_day"),
        ]
        if account is not None:
            counts.append(
                (SmsSend.objects.filter(account=account, sent_at__gt=day), "account_per_day")
            )
        if client_key:
            counts += [
                (
                    SmsSend.objects.filter(client_key=client_key, sent_at__gt=hour),
                    "client_per_hour",
                ),
                (SmsSend.objects.filter(client_key=client_key, sent_at__gt=day), "client_per_day"),
            ]
        if any(sends.count() >= limits[limit] for sends, limit in counts):
            raise SmsRefused(
                _("Too many text messages were asked for. Try again in an hour, or tomorrow.")
            )
        codes_cap = limits["budget_per_day"] * settings.SMS_CODES_SHARE
        if today.sent >= limits["budget_per_day"] or (
            account is not None
            and SmsSend.objects.codes()
            .filter(
                sent_at__gte=dt.datetime.combine(
                    today.day, dt.time.min, tzinfo=timezone.get_current_timezone()
                )
            )
            .count()
            >= codes_cap
        ):
            raise SmsRefused(
                _(
                    "No more text messages can be sent today. Try again tomorrow, or verify "
                    "in another way."
                )
            )
        SmsSend.objects.create(
            number_key=number_key, account=account, client_key=client_key, sent_at=now
        )
        today.sent += 1
        alert = not today.alerted and today.sent >= math.ceil(
            limits["budget_per_day"] * settings.SMS_BUDGET_ALERT_SHARE
        )
        today.alerted = today.alerted or alert
        today.save(update_fields=["sent", "alerted"])
        if alert:
            transaction.on_commit(lambda: sms_budget_nearly_spent.send(sender=SmsDay, day=today))
