"""The Celery application: Redis broker from REDIS_URL, configuration from Django settings."""

import os

from celery import Celery
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_postrun,
    task_prerun,
    task_success,
)

from .logs import request_id

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


@setup_logging.connect
def _keep_django_logging(**kwargs) -> None:
    """Worker and beat log through Django's LOGGING (JSON lines, masked), not Celery's own."""


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs) -> None:
    """A task queued during a request carries the request's id into its log lines."""
    if headers is not None and request_id.get():
        headers["request_id"] = request_id.get()


@task_prerun.connect
def _take_request_id(task=None, **kwargs) -> None:
    given = getattr(task.request, "request_id", None)
    if given:
        task.request.request_id_token = request_id.set(given)


@task_postrun.connect
def _drop_request_id(task=None, **kwargs) -> None:
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        request_id.reset(token)
