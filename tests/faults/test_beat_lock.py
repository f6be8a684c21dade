"""Two beats against one Redis: each periodic task is sent once per period, not twice."""

import subprocess
import sys
import time

import pytest
import redis

from tests.faults.services import ROOT, RedisServer, process_env, wait_for

pytestmark = [pytest.mark.faults]

PERIOD = 2.0
QUEUE = "ogp"


def beat(redis_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ogp_portal", "beat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=process_env(REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="tests.faults.beat_settings"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def sent_during(client: redis.Redis, seconds: float) -> int:
    """Tasks beat put on the queue (nobody consumes it) during `seconds`."""
    before = client.llen(QUEUE)
    time.sleep(seconds)
    return client.llen(QUEUE) - before


def test_a_second_beat_schedules_nothing_and_takes_over_when_the_first_dies():
    server = RedisServer()
    server.start()
    client = redis.Redis.from_url(server.url)
    first = beat(server.url)
    second = None
    try:
        assert wait_for(lambda: client.exists("redbeat::lock"), 60)
        assert wait_for(lambda: client.llen(QUEUE) >= 1, 30)
        alone = sent_during(client, 10 * PERIOD)
        second = beat(server.url)  # started by mistake
        time.sleep(10)  # it has loaded and found the lock taken
        together = sent_during(client, 10 * PERIOD)
        # One send per period (give or take one at each end), as with one beat.
        assert abs(alone - 10) <= 1, alone
        assert abs(together - 10) <= 1, together
        first.kill()  # without releasing the lock: the second waits for it to expire
        first.wait(10)
        assert wait_for(lambda: sent_during(client, 2 * PERIOD) >= 1, 30), "no takeover"
        taken_over = sent_during(client, 10 * PERIOD)
        assert abs(taken_over - 10) <= 1, taken_over
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(20)
        server.stop()
