from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: who changed what, when, from where, before and after; append-only."""

    name = "audit"
    label = "audit"
    verbose_name = _("Audit trail")
