from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(AbstractLogEntry):
    """One change of a tracked record, or one admin action on it: django-auditlog's entry.

    Written in the transaction of the change, never changed or deleted afterwards (the
    database refuses both on PostgreSQL). The actor is kept as an id without a foreign-key
    constraint and as the address the account had (`actor_email`), so an entry outlives the
    actor's account: deleting or anonymising a person changes no entry.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        blank=True,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    operation = models.CharField(
        _("operation"),
        max_length=200,
        blank=True,
        help_text=_("The admin action or the page that made the change."),
    )

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    @property
    def actor_label(self) -> str:
        if self.actor_id is None:
            return _("the system")
        return f"{self.actor_email or ''} (#{self.actor_id})".strip()


class AccessRecord(models.Model):
    """One access to personal data (접속기록, 개인정보의 안전성 확보조치 기준 제8조): a staff
    sign-in or failed sign-in, a staff view of a page holding personal data, a download of it.

    Who (the account, and its address at the time), when, from where (client address), what
    (the kind, the page and the record). Append-only like the audit trail: the database refuses
    to change or delete a record, except through the narrow functions of the retention
    (`audit.retention`). Kept two years.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        VIEW = "view", _("Viewed personal data")
        DOWNLOAD = "download", _("Downloaded personal data")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    actor_label = models.CharField(_("account"), max_length=254, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    remote_addr = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    path = models.CharField(_("page"), max_length=500, blank=True)
    target = models.CharField(
        _("record"), max_length=200, blank=True, help_text=_("What was opened, e.g. user #12.")
    )
    shown = models.TextField(
        _("rows shown"),
        blank=True,
        default="",
        db_default="",
        help_text=_("The keys of the records a list or a search showed, e.g. \" 12 15 \"."),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        indexes = [models.Index(fields=["actor", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["login", "login_failed", "view", "download"]),
                name="access_record_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.actor_label} · {self.get_kind_display()}"


class Pseudonymisation(models.Model):
    """One pseudonymisation of a deleted account's traces, written by the database function that
    did it (`audit_pseudonymise`, as the tables' owner): the application's role may read these
    rows and nothing more, and nobody may change or delete one.

    The account's deletion asks for it with the identifiers and records it found; the function
    keeps only what the trail itself shows was the person's (records the trail saw written to
    them, identifiers their own entries hold) and says here how many it was given, kept and
    replaced. A request for an account that never acted, or for what was not its own, stands
    here for the regular review of the access records.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("account"),
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    records_given = models.PositiveIntegerField(_("records given"))
    records_kept = models.PositiveIntegerField(_("records kept"))
    identifiers_given = models.PositiveIntegerField(_("identifiers given"))
    identifiers_kept = models.PositiveIntegerField(_("identifiers kept"))
    rows_changed = models.PositiveIntegerField(_("rows changed"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("pseudonymisation")
        verbose_name_plural = _("pseudonymisations")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.pseudonym}"
