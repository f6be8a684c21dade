import logging

from celery.signals import worker_ready
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxConfig(AppConfig):
    """Every e-mail the portal sends: written to the database first, delivered once by a worker."""

    name = "outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from . import tasks  # noqa: F401  registers the drain that services.drain_enqueue names
        worker_ready.connect(_drain_at_start, weak=False)


def _drain_at_start(**kwargs) -> None:
    """A worker that starts (after a crash, a deploy) drains at once what was left, instead of
    waiting for beat: a drain queued to a worker that was killed is not handed back before the
    broker's visibility timeout."""
    from .tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception as error:  # the broker's reasons are many; beat drains in any case
        logger.warning("Outbox drain at worker start not queued (%s).", error)
