from celery import shared_task

from . import services
from .models import Email
from .services import DELIVERY_RETRY


@shared_task(**DELIVERY_RETRY)
def deliver_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)


@shared_task
def dispatch_due_emails() -> int:
    """Beat: relays every pending e-mail whose delivery never got queued or was lost."""
    return services.emails_dispatch(emails=Email.objects.due().filter(attempts=0))
