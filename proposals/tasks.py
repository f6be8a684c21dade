from celery import shared_task

from . import services


@shared_task
def announce_calls() -> int:
    return services.calls_announce()
