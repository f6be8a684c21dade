"""The shared cache: Redis, or this process's memory while Redis cannot be reached.

Rate limits and the open-data dates live in the cache. When Redis is down they carry on in
each process's memory (limits count per process, dates restart) instead of failing the
request; the outage is logged, and Redis is tried again every few seconds.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
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
