from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every e-mail the portal sends: written to the database first, delivered once by a worker."""

    name = "outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from . import tasks  # noqa: F401  registers the drain that services.drain_enqueue names
