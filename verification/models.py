"""Verifications a person holds, the residents' list (keyed hashes only) and pending SMS codes."""

import datetime as dt
import hmac
import unicodedata

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_portal.predicates import is_verified

DISTRICTS = [
    ("dong", _("Dong-gu")),
    ("seo", _("Seo-gu")),
    ("nam", _("Nam-gu")),
    ("buk", _("Buk-gu")),
    ("gwangsan", _("Gwangsan-gu")),
]


def keyed_hash(kind: str, *parts: str) -> str:
    """HMAC-SHA256 of normalised parts under `VERIFICATION_HASH_KEY`: equal input, equal key.

    Without the settings key nobody can tell whose data a hash stands for, nor test guesses.
    """
    message = "\x1f".join([kind, *("".join(part.split()).casefold() for part in parts)])
    digest = hmac.new(settings.VERIFICATION_HASH_KEY.encode(), message.encode(), "sha256")
    return f"{kind}:{digest.hexdigest()}"


def person_key(*, name: str, birth_date: dt.date, district: str) -> str:
    """One resident's key: the residents' list, the counter and the booth all compute it alike."""
    return keyed_hash("person", name, birth_date.isoformat(), district)


def phone_key(number: str) -> str:
    return keyed_hash("phone", normalised_phone(number))


def normalised_phone(number: str) -> str:
    """The number's ASCII digits, whatever script they were typed in (full-width "０１０" is
    "010"): one number has one key, for the limits as for the one account it verifies."""
    digits = "".join(str(unicodedata.decimal(c)) for c in number if c.isdecimal())
    return "0" + digits[2:] if digits.startswith("82") else digits


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class Method(models.TextChoices):
    EMAIL = "email", _("A verified e-mail address")
    PHONE = "phone", _("A mobile phone (SMS code)")
    RESIDENT = "resident", _("A Gwangju resident (residents' list)")
    IN_PERSON = "in_person", _("In person at a counter (ID checked)")
    SOCIAL = "social", _("Kakao or Naver sign-in")


# Methods that stand for a person checked against the residents' list or an ID.
RESIDENCE_METHODS = [Method.RESIDENT, Method.IN_PERSON]


class VerificationQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Verification(models.Model):
    """One way a person has been verified, with its time and expiry.

    `identity_key` is the keyed hash of what the method proved (a phone number, a resident's
    name, birth date and district): the database lets one key verify one account only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verifications",
        verbose_name=_("person"),
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    identity_key = models.CharField(_("identity key"), max_length=80, blank=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    objects = VerificationQuerySet.as_manager()

    class Meta:
        ordering = ["user", "method"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "method"], name="verification_one_per_method"),
            models.UniqueConstraint(
                fields=["identity_key"],
                condition=~Q(identity_key=""),
                name="verification_identity_once",
            ),
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in Method]), name="verification_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_method_display()}"

    @property
    def is_current(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


class ResidentEntry(models.Model):
    """One line of the residents' list, kept only as its keyed hash (see `person_key`)."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("resident entry")
        verbose_name_plural = _("residents' list")

    def __str__(self) -> str:
        return self.key[:19]


class PhoneCode(models.Model):
    """The one-time code last sent to a person's phone; the number is kept only as its key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="phone_code",
        verbose_name=_("person"),
    )
    phone_key = models.CharField(_("phone key"), max_length=80)
    code_hash = models.CharField(_("code hash"), max_length=80)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")

    def __str__(self) -> str:
        return str(self.user)


class Requirement(models.Model):
    """What an action asks of a person: a verification method and an optional minimum age."""

    required_verification = models.CharField(
        _("required verification"),
        max_length=16,
        choices=Method.choices,
        default=Method.EMAIL,
        help_text=_("Who may take part. A Gwangju resident is also verified at a counter."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Checked against the date of birth of a residence verification."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(required_verification__in=[m.value for m in Method]),
                name="%(app_label)s_%(class)s_requirement_valid",
            ),
        ]

    def eligible_people(self, *, now=None):
        """The active accounts that meet this requirement at `now`: the many-people form of
        `requirement_refusal`, counted for turnout."""
        now = now or timezone.now()
        required = self.required_verification
        held = Verification.objects.current(now)
        people = get_user_model().objects.filter(is_active=True)
        if required == Method.EMAIL:
            people = people.filter(emailaddress__verified=True)
        elif required == Method.SOCIAL:
            people = people.filter(
                socialaccount__provider__in=settings.VERIFICATION_SOCIAL_PROVIDERS
            )
        elif required == Method.RESIDENT:
            people = people.filter(pk__in=held.filter(method__in=RESIDENCE_METHODS).values("user"))
        else:
            people = people.filter(pk__in=held.filter(method=required).values("user"))
        if self.minimum_age:
            today = timezone.localdate(now)
            # Born on or before this day N years ago (from 29 February: the 28th).
            try:
                born_by = today.replace(year=today.year - self.minimum_age)
            except ValueError:
                born_by = today.replace(year=today.year - self.minimum_age, day=28)
            people = people.filter(pk__in=held.filter(birth_date__lte=born_by).values("user"))
        return people.distinct()

    def requirement_refusal(self, user, *, now=None) -> str | None:
        """Why `user` may not take part, in words; None when they meet the requirement."""
        now = now or timezone.now()
        required = self.required_verification
        held = Verification.objects.current(now).filter(user=user)
        if required == Method.EMAIL:
            met = is_verified(user)
        elif required == Method.SOCIAL:
            met = SocialAccount.objects.filter(
                user=user, provider__in=settings.VERIFICATION_SOCIAL_PROVIDERS
            ).exists()
        elif required == Method.RESIDENT:
            met = held.filter(method__in=RESIDENCE_METHODS).exists()
        else:
            met = held.filter(method=required).exists()
        if not met:
            return gettext(
                "This asks you to be verified: %(method)s. Verify on your verifications page."
            ) % {"method": Method(required).label}
        if self.minimum_age:
            birth = held.exclude(birth_date=None).values_list("birth_date", flat=True).first()
            if birth is None:
                return gettext(
                    "This is open from age %(age)d: verify as a Gwangju resident so that your "
                    "age is known."
                ) % {"age": self.minimum_age}
            if age_on(birth, timezone.localdate(now)) < self.minimum_age:
                return gettext("This is open from age %(age)d.") % {"age": self.minimum_age}
        return None


class SmsDay(models.Model):
    """The text messages of one day against the daily budget; its row is the lock that every
    sending of the day takes, so that the counts of `SmsSend` are read and written in turn."""

    day = models.DateField(_("day"), unique=True)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    alerted = models.BooleanField(_("staff alerted"), default=False)

    class Meta:
        verbose_name = _("text messages of a day")
        verbose_name_plural = _("text messages per day")

    def __str__(self) -> str:
        return f"{self.day}: {self.sent}"


class SmsSendQuerySet(models.QuerySet):
    def codes(self):
        """Texts someone asked for (verification codes: for an account, from a client), not the
        notices the site sends. The client stays when a deleted account's link is erased."""
        return self.filter(Q(account__isnull=False) | ~Q(client_key=""))

    def notices(self):
        """The texts the site sends of itself (notices), which nobody asked for."""
        return self.filter(account__isnull=True, client_key="")


class SmsSend(models.Model):
    """One text message sent or about to be: to which number, for which account, from which
    client. Number and client are keyed hashes; rows older than two days are removed."""

    number_key = models.CharField(_("number key"), max_length=80)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    client_key = models.CharField(_("client key"), max_length=80, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    objects = SmsSendQuerySet.as_manager()

    class Meta:
        verbose_name = _("text message sent")
        verbose_name_plural = _("text messages sent")
        indexes = [
            models.Index(fields=["number_key", "sent_at"]),
            models.Index(fields=["account", "sent_at"]),
            models.Index(fields=["client_key", "sent_at"]),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number_key[:14]} · {self.sent_at:%Y-%m-%d %H:%M}"
