from celery import shared_task
from django.conf import settings

from . import services


# A drain works for OUTBOX_DRAIN_SECONDS, well inside its time limits; a worker that is killed
# or stopped mid-drain loses nothing: its leases run out and the next drain takes the messages.
@shared_task(
    soft_time_limit=settings.OUTBOX_DRAIN_SECONDS + 30,
    time_limit=settings.OUTBOX_DRAIN_SECONDS + 60,
)
def drain_outbox() -> int:
    """On every write, when a worker starts and from beat each minute: sends what is due, and
    asks for another drain when more comes due before beat's next; safe to run twice."""
    sent = services.outbox_drain()
    services.drain_follow_up()
    return sent


@shared_task
def send_digests() -> int:
    """Beat, each morning: one digest per person of what they chose to hear of daily."""
    return services.digests_send()
