from celery import shared_task

from . import services
from .models import Message
from .services import DELIVERY_RETRY


@shared_task(**DELIVERY_RETRY)
def deliver_message(message_id: int) -> str:
    return services.message_deliver(message_id=message_id)


@shared_task
def dispatch_due_messages() -> int:
    """Beat: relays every pending message whose time has come (reminders, lost deliveries)."""
    return services.messages_dispatch(messages=Message.objects.due().filter(attempts=0))
