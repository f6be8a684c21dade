from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
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
