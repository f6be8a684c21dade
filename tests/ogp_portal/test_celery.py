import time

import pytest
from django.core.cache import cache

from ogp_portal.celery import app


@app.task(name="tests.remember")
def remember(key: str, value: str) -> None:
    cache.set(key, value, 60)


@pytest.mark.celery_worker
def test_a_real_worker_runs_a_task_sent_through_redis(celery_worker):
    assert not app.conf.task_always_eager
    assert app.conf.broker_url.startswith("redis://")
    remember.delay("ogp-worker-check", "ran")
    for _ in range(100):
        if cache.get("ogp-worker-check") == "ran":
            break
        time.sleep(0.1)
    assert cache.get("ogp-worker-check") == "ran"


def test_without_a_broker_tasks_run_eagerly(settings):
    assert app.conf.task_always_eager
