from celery import shared_task

from .services.calls import calls_announce


@shared_task
def announce_calls() -> int:
    return calls_announce()
