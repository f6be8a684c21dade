from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
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

    key = models.CharField(_("event key"), max_length=320, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address"))
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
                condition=models.Q(status__in=["pending", "sent", "failed", "void"]),
                name="outbox_message_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["composer", "composer_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.key} → {self.address}"
