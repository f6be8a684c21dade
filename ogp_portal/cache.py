"""The shared cache: Redis, or this process's memory while Redis cannot be reached.

Rate limits, the open-data dates and the anonymous pages live in the cache. When Redis is down
or stops answering they carry on in each process's memory (limits count per process, dates
restart) instead of failing the request: a call waits for Redis at most the socket timeouts of
the settings (a fraction of a second), and after one failure every thread of the process goes
straight to memory for `RETRY_AFTER_SECONDS` before Redis is tried again. Both are logged.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import translation
from django_redis.cache import RedisCache
from psycopg_pool import PoolTimeout
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# After a failure, how long every call goes straight to memory before Redis is tried again.
RETRY_AFTER_SECONDS = 5


class Circuit:
    """Whether a server is tried, per process (Django's cache objects are per thread)."""

    def __init__(self, name: str):
        self.name = name
        self.lock = threading.Lock()
        self.open_until = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def open(self, error: Exception) -> None:
        with self.lock:
            if not self.closed():
                return
            self.open_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning(
            "%s unreachable (%s); using process memory for %d s.",
            self.name,
            error or type(error).__name__,
            RETRY_AFTER_SECONDS,
        )

    def succeeded(self) -> None:
        if self.open_until:
            with self.lock:
                if not self.open_until:
                    return
                self.open_until = 0.0
            logger.warning("%s answers again.", self.name)


CIRCUITS: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(server: str) -> Circuit:
    with _circuits_lock:
        return CIRCUITS.setdefault(server, Circuit(f"Redis cache {server}"))


class RedisWithFallbackCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._memory = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._circuit = circuit_for(str(server))


def _redis_or_memory(name: str):
    def method(self, *args, **kwargs):
        if self._circuit.closed():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                self._circuit.open(error)
            else:
                self._circuit.succeeded()
                return result
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
# carries the version of the public records it was rendered from, and is served only while no
# later version exists. The version is the id of the last `PageChange`, a row written after each
# change commits: it never goes backwards, and a change made while Redis was away is in the
# database, not in one process's memory. The cache holds the version for `PAGE_VERSION_SECONDS`
# only (Redis counts that time while frozen too), so a version the cache missed is read from the
# database within that time: after an outage no page older than the last change is served.
PAGE_VERSION_KEY = "pages:version"
PAGE_VERSION_SECONDS = 1
# Rows of PageChange kept: the version needs the last one only.
PAGE_CHANGES_KEPT = 1000
# Pages just served by this process are also kept in its memory for a second, so that a busy
# page costs no round trip to Redis either; a change made in this process empties it at once,
# one made in another process shows here within that second.
PAGE_MEMORY_SECONDS = 1
PAGE_MEMORY_MAX_BYTES = 256 * 1024
page_memory = LocMemCache(
    "pages-memory", {"TIMEOUT": PAGE_MEMORY_SECONDS, "OPTIONS": {"MAX_ENTRIES": 200}}
)


def page_version_bump() -> int:
    """A record shown on public pages changed: every page cached until now is out of date."""
    from .models import PageChange

    version = PageChange.objects.create().pk
    if version % PAGE_CHANGES_KEPT == 0 and not transaction.get_connection().in_atomic_block:
        PageChange.objects.filter(pk__lte=version - PAGE_CHANGES_KEPT).delete()
    cache.set(PAGE_VERSION_KEY, version, timeout=PAGE_VERSION_SECONDS)
    page_memory.clear()
    return version


def pages_outdate() -> None:
    """Outdates the cached pages now, and again once the change is committed.

    The second bump drops a page that another request rendered and stored from the data as it
    stood before the commit (its version is drawn after the commit, hence higher than the
    version of any page rendered before).
    """
    page_version_bump()
    transaction.on_commit(page_version_bump, robust=True)


def page_version_current() -> int | None:
    """The version pages are stored under now; None when neither cache nor database can say."""
    return page_version_of(cache.get(PAGE_VERSION_KEY))


# After the database failed to give the version, this process does not ask it again for a
# second: a page holding several shared parts waits for one pool timeout, not one per part.
_version_unknown_until = 0.0


def page_version_of(cached) -> int | None:
    """The version, given what the cache holds under `PAGE_VERSION_KEY` (read from the database
    when that is nothing, or something else than a version)."""
    from .models import PageChange

    global _version_unknown_until
    if isinstance(cached, int):
        return cached
    if time.monotonic() < _version_unknown_until:
        return None  # the database just failed to say: not asked again within the second
    try:
        version = PageChange.objects.aggregate(version=Max("pk"))["version"] or 0
    except (DatabaseError, PoolTimeout) as error:
        _version_unknown_until = time.monotonic() + PAGE_VERSION_SECONDS
        logger.warning("Page version unknown (%s).", error)
        return None
    cache.add(PAGE_VERSION_KEY, version, timeout=PAGE_VERSION_SECONDS)
    return version


# What a page shows the same to everyone, signed in or not (the tracker, the front page's lists,
# search results), is computed once per version of the public records and shared: a signed-in
# person's page renders only its personal parts around it. Kept at most the page cache's
# lifetime, so that what changes with time alone (what is open now, what is late today) is seen
# as soon as on the anonymous pages.
SHARED_SECONDS = 60


def shared(name: str, compute: Callable[[], T], *, seconds: int = SHARED_SECONDS) -> T:
    """`compute()`, or what it returned for the current version of the public records, in
    this language, within `seconds`. `name` says what (and for which arguments) is computed."""
    key = f"shared:{translation.get_language()}:{name}"
    found = cache.get_many([PAGE_VERSION_KEY, key])
    version, entry = page_version_of(found.get(PAGE_VERSION_KEY)), found.get(key)
    if entry is not None and version is not None and entry[0] >= version and entry[1] > time.time():
        return entry[2]
    value = compute()
    if version is not None:
        cache.set(key, (version, time.time() + seconds, value), timeout=seconds)
    return value


def same_for_everyone(view):
    """Marks a view whose response is the same whoever asks (a file, a feed): the anonymous
    page cache serves it to signed-in people too (`middleware.AnonymousPageCacheMiddleware`)."""
    view.same_for_everyone = True
    return view
