from celery import shared_task

from ogp_portal.services import DELIVERY_RETRY

from . import services
from .models import Notice


@shared_task(**DELIVERY_RETRY)
def deliver_notice(notice_id: int) -> str:
    return services.notice_deliver(notice_id=notice_id)


@shared_task
def dispatch_due_notices() -> int:
    """Beat: relays every pending notice whose time has come (reminders, missed deliveries)."""
    return services.notices_dispatch(notices=Notice.objects.due().filter(attempts=0))
