"""The Celery application: Redis broker from REDIS_URL, configuration from Django settings."""

import os

from celery import Celery
from celery.signals import task_success

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.local")

app = Celery("ogp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_success.connect
def _task_succeeded(sender=None, **kwargs) -> None:
    """Records when each task last succeeded (the metrics' `ogp_task_last_success`).

    Every task of the portal is a periodic one (beat's schedule); this keeps them thin.
    """
    from .models import TaskRun

    TaskRun.objects.record_success(sender.name)
