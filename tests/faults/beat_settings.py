"""Settings of the beats of tests/faults/test_beat_lock.py: one task every 2 s, a 6 s lock."""

from tests.faults.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {"tick": {"task": "outbox.tasks.drain_outbox", "schedule": 2.0}}
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
CELERY_REDBEAT_LOCK_TIMEOUT = 6
