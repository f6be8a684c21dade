from celery import shared_task
from django.conf import settings

from . import services
from .models import Email


@shared_task(
    autoretry_for=(services.EmailDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.NOTICE_MAX_ATTEMPTS - 1,
)
def deliver_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)


@shared_task
def dispatch_due_emails() -> int:
    """Beat: relays every pending e-mail whose delivery never got queued or was lost."""
    return services.emails_dispatch(emails=Email.objects.due().filter(attempts=0))
