"""Health of one web server, for load balancers, container health checks and operators.

`/healthz`: the process answers; nothing else is checked (a container's liveness).
`/readyz`: this server can serve. The database, the Redis cache, the Celery broker and the
object store are each asked at once, in threads; whatever has not answered within
`READY_SECONDS` counts as down, so the answer (503 when anything is down, 200 otherwise)
comes within that time whatever hangs. The JSON also gives the waiting work `READY_BACKLOG`
names (the age of the oldest due outbox message, the sealed envelopes not yet counted);
nothing personal.

Both are answered by `HealthMiddleware`, first in the stack: before the HTTPS redirect and the
host check (a balancer asks by address, over plain HTTP, inside the network), before the page
cache, sessions and everything else, so that they never touch what they check.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for

import psycopg
import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django_redis.cache import RedisCache

# The whole answer within this; each check also stops by itself soon after.
READY_SECONDS = 1.5
# One connection attempt, one reply: libpq waits at least 2 s for a connection.
CHECK_TIMEOUT = 1.0
HEALTH_PATHS = {"/healthz", "/readyz"}


def check_database() -> dict:
    """A fresh connection (not one of the pool, which may be busy) and `SELECT 1`."""
    database = connections["default"]
    if database.vendor != "postgresql":
        try:
            database.cursor().execute("SELECT 1")
        finally:
            database.close()
        return {}
    params = database.get_connection_params()
    params["connect_timeout"] = 2
    with psycopg.connect(**params) as connection:
        connection.execute("SET statement_timeout = 1000")
        connection.execute("SELECT 1")
    return {}


def check_cache() -> dict | None:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None  # the process's own memory: nothing to reach
    cache.client.get_client(write=True).ping()
    return {}


def check_broker() -> dict | None:
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return None  # tasks run in the caller
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=CHECK_TIMEOUT,
        socket_connect_timeout=CHECK_TIMEOUT,
    )
    try:
        client.ping()
    finally:
        client.close()
    return {}


def check_storage() -> dict | None:
    storage = storages["default"]
    if not hasattr(storage, "ping"):
        return None  # this server's disk or memory
    storage.ping(timeout=CHECK_TIMEOUT)
    return {}


def backlog() -> dict:
    """Work waiting, as `READY_BACKLOG` names it: {name: (model label, manager method)}."""
    try:
        return {
            name: getattr(apps.get_model(label)._default_manager, method)()
            for name, (label, method) in settings.READY_BACKLOG.items()
        }
    finally:
        connections.close_all()  # this thread's connections go back to the pool


CHECKS: dict[str, Callable[[], dict | None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def _timed(check: Callable[[], dict | None]) -> dict:
    started = time.monotonic()
    try:
        outcome = check()
    except Exception as error:  # any failure means "down", named by its type
        return {"ok": False, "error": type(error).__name__}
    if outcome is None:
        return {"ok": True, "used": False}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def readiness() -> tuple[bool, dict]:
    executor = ThreadPoolExecutor(max_workers=len(CHECKS) + 1, thread_name_prefix="readyz")
    futures = {name: executor.submit(_timed, check) for name, check in CHECKS.items()}
    numbers = executor.submit(backlog)
    done, _ = wait_for([*futures.values(), numbers], timeout=READY_SECONDS)
    # What has not answered is left to stop by its own timeout; the answer goes now.
    executor.shutdown(wait=False, cancel_futures=True)
    checks = {
        name: future.result() if future in done else {"ok": False, "error": "timeout"}
        for name, future in futures.items()
    }
    ready = all(check["ok"] for check in checks.values())
    body: dict = {"status": "ok" if ready else "unavailable", "checks": checks}
    if numbers in done and numbers.exception() is None:
        body.update(numbers.result())
    return ready, body


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        if request.path_info == "/healthz":
            response = HttpResponse("ok", content_type="text/plain")
        else:
            ready, body = readiness()
            response = JsonResponse(body, status=200 if ready else 503)
        response["Cache-Control"] = "no-store"
        return response
