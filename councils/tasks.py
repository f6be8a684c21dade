from celery import shared_task

from . import services


@shared_task
def send_reminders() -> int:
    """Beat: the reminders of meetings that start within the reminder window; safe to rerun."""
    return services.reminders_send()
