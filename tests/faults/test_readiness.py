"""/readyz answers 503 within 2 s while Redis or the database is unreachable, 200 once back."""

import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings

from tests.faults.services import RedisServer, Relay, Site, port_open, wait_for

pytestmark = [pytest.mark.faults]

LIMIT = 2.0


def timed(get) -> tuple[int, dict, float]:
    started = time.monotonic()
    status, body = get()
    return status, body, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_or_killed_gives_503_within_2_s_then_200(client, settings):
    redis = RedisServer()
    redis.start()
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "BACKEND": "ogp_portal.cache.RedisWithFallbackCache",
            "LOCATION": redis.url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = redis.url

    def get():
        response = client.get("/readyz")
        return response.status_code, response.json()

    try:
        assert get()[0] == 200
        os.kill(redis.process.pid, signal.SIGSTOP)  # accepts connections, answers nothing
        status, body, seconds = timed(get)
        assert (status, seconds < LIMIT) == (503, True), (body, seconds)
        assert not body["checks"]["cache"]["ok"] and not body["checks"]["broker"]["ok"]
        assert body["checks"]["database"]["ok"]
        os.kill(redis.process.pid, signal.SIGCONT)
        assert wait_for(lambda: get()[0] == 200, 10)

        redis.process.kill()  # refused at once
        redis.process.wait(10)
        status, body, seconds = timed(get)
        assert (status, seconds < LIMIT) == (503, True), (body, seconds)
        redis.start()
        assert wait_for(lambda: get()[0] == 200, 10)
    finally:
        if redis.process is not None:
            os.kill(redis.process.pid, signal.SIGCONT)
        redis.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_unreachable_gives_503_within_2_s_then_200(postgres):
    database = django_settings.DATABASES["default"]
    with Relay(target=(database["HOST"], int(database["PORT"]))) as relay:
        url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
        with Site(DATABASE_URL=url) as site:

            def get():
                try:
                    with urllib.request.urlopen(f"{site.url}/readyz", timeout=30) as response:  # noqa: S310
                        return response.status, json.load(response)
                except urllib.error.HTTPError as error:
                    return error.code, json.load(error)

            assert wait_for(lambda: port_open(site.port) and get()[0] == 200, 60)
            relay.cut()  # packets lost: connections hang
            status, body, seconds = timed(get)
            assert (status, seconds < LIMIT) == (503, True), (body, seconds)
            assert body["checks"]["database"] == {"ok": False, "error": "timeout"}
            assert body["checks"]["cache"]["ok"]
            relay.restore()
            assert wait_for(lambda: get()[0] == 200, 10)
