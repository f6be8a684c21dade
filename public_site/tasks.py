from celery import shared_task

from . import services


@shared_task
def record_dataset_versions() -> int:
    """Beat: a new version of each open dataset whose content changed; safe to rerun."""
    return len(services.dataset_versions_record())
