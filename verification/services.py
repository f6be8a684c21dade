"""Verifying people: SMS codes, the residents' list, the counter; moving a verification."""

import csv
import datetime as dt
import io
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.models import Kind
from outbox.services import emails_write

from .models import (
    DISTRICTS,
    Method,
    PhoneCode,
    ResidentEntry,
    SmsSend,
    Verification,
    keyed_hash,
    normalised_phone,
    person_key,
    phone_key,
)
from .sms import SmsError, gateway
from .sms_limits import sms_allowance_take, sms_budget_nearly_spent


def _taken() -> ValidationError:
    return ValidationError(
        _(
            "This already verifies another account: one person, one account. If that account "
            "is yours too, ask the secretariat to move the verification."
        )
    )


def verification_grant(
    *, user, method: str, identity_key: str = "", birth_date=None, by=None, now=None
) -> Verification:
    """Gives (or renews) a person's verification by one method, with its expiry.

    The database refuses a key that already verifies another account; the refusal is a message.
    """
    now = now or timezone.now()
    days = settings.VERIFICATION_VALID_DAYS.get(method)
    try:
        with transaction.atomic():
            if identity_key:
                # An expired verification no longer holds its key (numbers are reassigned).
                Verification.objects.filter(identity_key=identity_key, expires_at__lte=now).exclude(
                    user=user
                ).delete()
            verification, _created = Verification.objects.update_or_create(
                user=user,
                method=method,
                defaults={
                    "identity_key": identity_key,
                    "birth_date": birth_date,
                    "verified_at": now,
                    "expires_at": now + dt.timedelta(days=days) if days else None,
                    "verified_by": by,
                },
            )
    except IntegrityError:
        raise _taken() from None
    return verification


# Text messages: what they may cost ------------------------------------------------------------


@receiver(sms_budget_nearly_spent)
def sms_budget_alert(*, day, **kwargs) -> None:
    """Staff hear by e-mail, once a day, that 80 % of the day's text messages are used."""
    emails_write(
        key=f"sms-budget:{day.day.isoformat()}",
        kind=Kind.STAFF,
        recipients=get_user_model().objects.secretariat(),
        template="verification/email/sms_budget.txt",
        context={"sent": day.sent, "budget": settings.SMS_LIMITS["budget_per_day"]},
    )


# Mobile phone ---------------------------------------------------------------------------------


def _code_hash(code: str, key: str) -> str:
    return keyed_hash("code", code, key)


def phone_code_send(*, user, number: str, client: str = "", now=None) -> None:
    """Sends a one-time code to a Korean mobile number; the number is kept only as its key.

    A number that verifies another account gets no code but a notice to its owner, who alone
    learns of it: the person asking sees the same answer as for any number (the code they may
    type then never matches), so nobody finds out whose number is registered.
    """
    now = now or timezone.now()
    digits = normalised_phone(number)
    if not (digits.startswith("01") and len(digits) in (10, 11)):
        raise ValidationError(_("Enter a Korean mobile number, such as 010-1234-5678."))
    key = phone_key(digits)
    sms_allowance_take(number=digits, account=user, client=client, now=now)
    taken = Verification.objects.current(now).filter(identity_key=key).exclude(user=user).exists()
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.update_or_create(
        user=user,
        defaults={
            # A taken number's code is a secret nobody is told: no try can match it.
            "phone_key": key,
            "code_hash": _code_hash(secrets.token_hex(16) if taken else code, key),
            "sent_at": now,
            "expires_at": now + dt.timedelta(minutes=settings.VERIFICATION_CODE_MINUTES),
            "attempts": 0,
        },
    )
    if taken:
        text = _(
            "[Gwangju OGP] Someone asked to verify this number for another portal account. "
            "It already verifies yours. If that was you, ask the secretariat to move the "
            "verification; if not, you need not do anything."
        )
    else:
        text = _(
            "[Gwangju OGP] Your verification code is %(code)s. It is valid for %(minutes)d minutes."
        ) % {"code": code, "minutes": settings.VERIFICATION_CODE_MINUTES}
    try:
        gateway().send(to=digits, text=text)
    except SmsError:
        PhoneCode.objects.filter(user=user).delete()
        raise ValidationError(_("The text message could not be sent. Try again later.")) from None


def phone_code_confirm(*, user, code: str, now=None) -> Verification:
    """Checks the code last sent to the person; a few wrong tries void it.

    A wrong try is counted in its own transaction, committed before the refusal.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pending = PhoneCode.objects.select_for_update().filter(user=user).first()
        if pending is None or pending.expires_at <= now:
            raise ValidationError(_("This code has expired or was never sent: ask for a new one."))
        if pending.attempts >= settings.VERIFICATION_CODE_ATTEMPTS:
            raise ValidationError(_("Too many wrong codes: ask for a new one."))
        right = secrets.compare_digest(
            _code_hash(code.strip(), pending.phone_key), pending.code_hash
        )
        if right:
            pending.delete()
            return verification_grant(
                user=user, method=Method.PHONE, identity_key=pending.phone_key, now=now
            )
        pending.attempts += 1
        pending.save(update_fields=["attempts"])
    left = settings.VERIFICATION_CODE_ATTEMPTS - pending.attempts
    raise ValidationError(
        _("This code is not the one we sent. Tries left: %(left)d.") % {"left": left}
    )


# The residents' list --------------------------------------------------------------------------


def resident_verify(*, user, name: str, birth_date: dt.date, district: str, now=None):
    """The person enters their name, date of birth and district; the list's hashes must match.

    Details not on the list and details that already verify another account get the same
    answer, so that nobody learns from this page whether a resident has an account.
    """
    key = person_key(name=name, birth_date=birth_date, district=district)
    unconfirmed = ValidationError(
        _(
            "These details could not be confirmed. Check them as written on your resident "
            "registration, or verify in person at a community centre, where the secretariat "
            "can also move a verification between your own accounts."
        )
    )
    if not ResidentEntry.objects.filter(key=key).exists():
        raise unconfirmed
    try:
        return verification_grant(
            user=user, method=Method.RESIDENT, identity_key=key, birth_date=birth_date, now=now
        )
    except ValidationError:
        raise unconfirmed from None


def _district(value: str) -> str | None:
    value = "".join(value.split()).casefold()
    names = {"동구": "dong", "서구": "seo", "남구": "nam", "북구": "buk", "광산구": "gwangsan"}
    codes = {code for code, _label in DISTRICTS}
    return value if value in codes else names.get(value)


def residents_import(*, data: bytes) -> int:
    """Replaces the residents' list with a CSV (name, birth_date, district), hashed line by line.

    Nothing readable is kept: each line becomes its keyed hash. A bad line refuses the whole
    file, with its number, and the list stays as it was.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    reader = csv.DictReader(io.StringIO(text))
    if not {"name", "birth_date", "district"} <= set(reader.fieldnames or []):
        raise ValidationError(
            _("The first line must name the columns: name, birth_date, district.")
        )
    keys = set()
    for row in reader:
        name = (row["name"] or "").strip()
        district = _district(row["district"] or "")
        try:
            birth_date = dt.date.fromisoformat((row["birth_date"] or "").strip())
        except ValueError:
            birth_date = None
        if not name or district is None or birth_date is None:
            raise ValidationError(
                _("Line %(line)d: a name, a date of birth (YYYY-MM-DD) and a Gwangju district.")
                % {"line": reader.line_num}
            )
        keys.add(person_key(name=name, birth_date=birth_date, district=district))
    if not keys:
        raise ValidationError(_("The file lists nobody."))
    now = timezone.now()
    with transaction.atomic():
        ResidentEntry.objects.all().delete()
        ResidentEntry.objects.bulk_create(
            [ResidentEntry(key=key, imported_at=now) for key in keys], batch_size=2000
        )
    return len(keys)


def verification_in_person(*, user, name: str, birth_date: dt.date, district: str, by, now=None):
    """Staff at a counter checked the person's ID: they are verified as a resident, logged."""
    key = person_key(name=name, birth_date=birth_date, district=district)
    return verification_grant(
        user=user,
        method=Method.IN_PERSON,
        identity_key=key,
        birth_date=birth_date,
        by=by,
        now=now,
    )


@transaction.atomic
def verification_move(*, verification: Verification, to_user) -> Verification:
    """Moves a verification to another account (the audit trail logs the change of owner)."""
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if verification.user_id == to_user.pk:
        raise ValidationError(_("The verification already belongs to this account."))
    if Verification.objects.filter(user=to_user, method=verification.method).exists():
        raise ValidationError(_("That account already holds a verification by this method."))
    verification.user = to_user
    verification.save(update_fields=["user"])
    return verification


# Personal data (registered with the kernel's privacy services) -------------------------------


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "verifications": [
            {
                "method": v.get_method_display(),
                "verified_at": v.verified_at.isoformat(),
                "expires_at": v.expires_at.isoformat() if v.expires_at else None,
                "birth_date": v.birth_date.isoformat() if v.birth_date else None,
            }
            for v in Verification.objects.filter(user=user).order_by("pk")
        ]
    }


def personal_data_erase(*, user, now) -> None:
    """A deleted account holds no verification: the phone or entry may verify a new one.

    Its text messages of the last two days still count against their number and client."""
    Verification.objects.filter(user=user).delete()
    PhoneCode.objects.filter(user=user).delete()
    SmsSend.objects.filter(account=user).update(account=None)
