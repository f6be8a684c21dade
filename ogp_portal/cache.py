"""The shared cache: Redis, or this process's memory while Redis cannot be reached.

Rate limits, the open-data dates and the anonymous pages live in the cache. When Redis is down
they carry on in each process's memory (limits count per process, dates restart) instead of
failing the request; the outage is logged, and Redis is tried again every few seconds.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, how long every call goes straight to memory before Redis is tried again.
RETRY_AFTER_SECONDS = 5


class RedisWithFallbackCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._memory = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    def _fall_back(self, error: Exception) -> None:
        logger.warning("Redis cache unreachable (%s); using process memory.", error)
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS


def _redis_or_memory(name: str):
    def method(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                self._fall_back(error)
        return getattr(self._memory, name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisWithFallbackCache, _name, _redis_or_memory(_name))


# The anonymous page cache (see `middleware.AnonymousPageCacheMiddleware`): every stored page
# carries the version of the public record it was rendered from, and is served only while that
# version is current. A change to the record draws a new version (random, so that a version
# lost from the cache can never come back and revive old pages).
PAGE_VERSION_KEY = "pages:version"
# Pages just served by this process are also kept in its memory for a second, so that a busy
# page costs no round trip to Redis either; a change made in this process empties it at once,
# one made in another process shows here within that second.
PAGE_MEMORY_SECONDS = 1
PAGE_MEMORY_MAX_BYTES = 256 * 1024
page_memory = LocMemCache(
    "pages-memory", {"TIMEOUT": PAGE_MEMORY_SECONDS, "OPTIONS": {"MAX_ENTRIES": 200}}
)


def page_version_bump() -> str:
    """A record shown on public pages changed: every cached page is out of date."""
    version = uuid.uuid4().hex
    cache.set(PAGE_VERSION_KEY, version, timeout=None)
    page_memory.clear()
    return version


def pages_outdate() -> None:
    """Outdates the cached pages now, and again once the change is committed.

    The second bump drops a page that another request rendered and stored from the data as it
    stood before the commit.
    """
    page_version_bump()
    transaction.on_commit(page_version_bump)


def page_version_current() -> str:
    """The version pages are stored under now (a first one is drawn when there is none)."""
    version = cache.get(PAGE_VERSION_KEY)
    if version is None:
        cache.add(PAGE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(PAGE_VERSION_KEY)
    return version or ""
