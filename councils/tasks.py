from celery import shared_task
from django.conf import settings

from . import services
from .models import Notice


@shared_task(
    autoretry_for=(services.NoticeDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.NOTICE_MAX_ATTEMPTS - 1,
)
def deliver_notice(notice_id: int) -> str:
    return services.notice_deliver(notice_id=notice_id)


@shared_task
def dispatch_due_notices() -> int:
    """Beat: relays every pending notice whose time has come (reminders, missed deliveries)."""
    return services.notices_dispatch(notices=Notice.objects.due().filter(attempts=0))
