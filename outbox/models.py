import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What an e-mail is about; each person chooses per kind how often to hear of it."""

    MEETINGS = "meetings", _("Meetings of my committee and groups")
    POLLS = "polls", _("Polls opening and their results")
    MY_PROPOSALS = "my_proposals", _("My proposals: their status and comments")
    REPLIES = "replies", _("Replies to my comments")
    CALLS = "calls", _("Calls for proposals opening and closing")
    DEBATES = "debates", _("Debates I take part in")
    STAFF = "staff", _("Alerts for the secretariat")
    DIGEST = "digest", _("The daily digest")

    @classmethod
    def choosable(cls) -> list["Kind"]:
        return [kind for kind in cls if kind != cls.DIGEST]


# Service messages: members of a committee or group may move them to the digest, but they stop
# only by leaving the group.
SERVICE_KINDS = {Kind.MEETINGS}


class Channel(models.TextChoices):
    """How a message reaches a person: e-mail, a text message, or KakaoTalk 알림톡."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    ALIMTALK = "alimtalk", _("KakaoTalk (알림톡)")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    OFF = "off", _("Not at all")


class PreferenceQuerySet(models.QuerySet):
    def frequencies(self, pairs) -> dict[tuple[int, str], str]:
        """{(person id, kind): frequency} for the pairs that have a preference (one query)."""
        people = {person for person, _kind in pairs}
        kinds = {kind for _person, kind in pairs}
        if not people:
            return {}
        return {
            (p.user_id, p.kind): p.frequency
            for p in self.filter(user_id__in=people, kind__in=kinds).only(
                "user_id", "kind", "frequency"
            )
        }


class Preference(models.Model):
    """How often a person hears of one kind of e-mail; without a row, immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices)
    channel = models.CharField(
        _("by"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind.choosable()]),
                name="preference_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="preference_frequency_valid"
            ),
            models.CheckConstraint(
                condition=~(
                    Q(kind__in=[k.value for k in SERVICE_KINDS]) & Q(frequency=Frequency.OFF)
                ),
                name="preference_service_not_off",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="preference_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}: {self.get_frequency_display()}"


class MessageQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending and due, whether or not a worker holds them."""
        return self.filter(status=Message.Status.PENDING, due_at__lte=now or timezone.now())

    def oldest_due_seconds(self, now=None) -> int:
        """How long the oldest due message has waited, in seconds; 0 when none waits."""
        now = now or timezone.now()
        oldest = self.due(now).aggregate(oldest=models.Min("due_at"))["oldest"]
        return round((now - oldest).total_seconds()) if oldest else 0

    def claimable(self, now=None):
        """Pending, due, and held by no worker (or by one whose lease ran out)."""
        now = now or timezone.now()
        return self.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now),
            status=Message.Status.PENDING,
            due_at__lte=now,
        )


class Message(models.Model):
    """One e-mail to one address, written first, then delivered once by a Celery worker.

    `key` names the event it tells of (one per person and event), so the same event never
    mails the same person twice, whoever writes it and however often a task is retried.
    A message either carries its text, written when it was queued, or names a `composer`
    that an app registered to write it at delivery time (a meeting notice with its calendar
    entry, in the meeting's latest state); a composer may also find the message no longer
    needed, which voids it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        VOID = "void", _("No longer needed")
        HELD = "held", _("Kept for the daily digest")
        DIGESTED = "digested", _("Sent in a daily digest")

    key = models.CharField(_("event key"), max_length=320, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    address = models.CharField(
        _("address"), max_length=254, help_text=_("An e-mail address, or a mobile number.")
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("Empty for the account e-mails a person asks for (confirmation, reset)."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    composer = models.CharField(_("composed by"), max_length=60, blank=True)
    composer_ref = models.PositiveBigIntegerField(
        _("composed from"),
        null=True,
        blank=True,
        help_text=_("The record the composer writes the message from, e.g. a meeting notice."),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    sealed = models.TextField(
        _("sealed text"),
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text=_(
            "An account e-mail's text, encrypted until it is sent (it holds a link that opens "
            "the account), then erased."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(
        _("held by a worker until"), null=True, blank=True, editable=False
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "sent", "failed", "void", "held", "digested"]
                ),
                name="outbox_message_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="outbox_message_channel_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["composer", "composer_ref"]),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(status="held"),
                name="outbox_message_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.key} → {self.address}"


    @property
    def is_sealed(self) -> bool:
        return bool(self.sealed)

    def unsealed(self) -> tuple[str, str]:
        """The text and HTML as they will be sent: sealed ones opened, the others as stored."""
        if self.sealed:
            from .seal import unseal

            return unseal(self.sealed)
        return self.body, self.html_body

class Alarm(models.Model):
    """A problem the staff were alarmed of, by its key ("polls:drift:12"): one mail per problem.

    A problem found again while its alarm stands mails nobody; it is mailed again once it was
    resolved and comes back, or when it has stood for `REPEAT` without being resolved.
    """

    REPEAT = dt.timedelta(days=1)

    key = models.CharField(_("problem"), max_length=200, unique=True)
    raised = models.PositiveIntegerField(_("times mailed"), default=1)
    raised_at = models.DateTimeField(_("last mailed"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")

    def __str__(self) -> str:
        return self.key

    def is_due(self, now) -> bool:
        """Whether the problem, found again at `now`, is mailed again."""
        return self.resolved_at is not None or self.raised_at <= now - self.REPEAT


class MobileContact(models.Model):
    """A person's mobile number for text messages, and their consent to each text channel.

    The number is the one the person proved by an SMS code (`verification`); each consent is
    the time it was given, empty when it was not or was withdrawn.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mobile_contact",
        verbose_name=_("person"),
    )
    number = models.CharField(_("mobile number"), max_length=20)
    sms_consent_at = models.DateTimeField(_("agreed to text messages"), null=True, blank=True)
    alimtalk_consent_at = models.DateTimeField(_("agreed to KakaoTalk"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("mobile contact")
        verbose_name_plural = _("mobile contacts")

    def __str__(self) -> str:
        return f"{self.user} · {self.number}"

    def consents_to(self, channel: str) -> bool:
        if channel == Channel.SMS:
            return self.sms_consent_at is not None
        if channel == Channel.ALIMTALK:
            return self.alimtalk_consent_at is not None
        return channel == Channel.EMAIL
