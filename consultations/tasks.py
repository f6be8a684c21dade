from celery import shared_task

from . import services


@shared_task
def close_polls() -> int:
    return services.polls_close()


@shared_task
def reconcile_polls() -> int:
    return len(services.polls_reconcile())


@shared_task
def announce_polls() -> int:
    return services.polls_announce()


@shared_task
def count_ballots() -> int:
    counted = services.polls_count()
    services.envelopes_vacuum()
    return counted
