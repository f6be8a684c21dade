"""A slow database (every round trip 50 or 100 ms longer) under the image's worker model.

Fifty visitors at once, each on a page the cache cannot answer, against gunicorn run with
`deploy/gunicorn.conf.py` (threaded workers, a connection pool per process as large as its
threads) through a latency proxy on a port of its own: slow answers, never a 5xx.
"""

import runpy
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.factories import CouncilFactory, MeetingFactory, WorkingGroupFactory
from tests.faults.services import LatencyProxy, RedisServer, Site

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
GUNICORN = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
VISITORS = 50


def at_once(url: str, count: int) -> list[tuple[int, float]]:
    """`count` GETs released together; each one's status and seconds."""
    start = threading.Barrier(count)
    answers, lock = [], threading.Lock()

    def visit(n: int) -> None:
        start.wait()
        began = time.monotonic()
        try:
            status = requests.get(f"{url}/?visitor={n}", timeout=60).status_code
        except requests.RequestException:
            status = 599
        with lock:
            answers.append((status, time.monotonic() - began))

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize("delay", [0.05, 0.1])
@pytest.mark.django_db(transaction=True)
def test_fifty_visitors_on_a_slow_database_get_no_5xx(postgres, delay):
    council = CouncilFactory()
    for _ in range(3):
        MeetingFactory(group=WorkingGroupFactory(council=council))
    database = settings.DATABASES["default"]
    redis = RedisServer()
    redis.start()
    try:
        with (
            LatencyProxy(delay=delay, port=int(database["PORT"] or 5432)) as proxy,
            Site(
                shipped=True,
                REDIS_URL=redis.url,
                DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/"
                f"{database['NAME']}",
                DATABASE_POOL="true",
            ) as site,
        ):
            for _ in range(GUNICORN["workers"] * 2):  # the workers up, their pools opened
                requests.get(site.url + "/?warm", timeout=60)
            time.sleep(2)
            answers = at_once(site.url, VISITORS)
    finally:
        redis.stop()
    errors = [status for status, _ in answers if status >= 500]
    seconds = sorted(s for _, s in answers)
    print(
        f"{delay * 1000:.0f} ms a round trip, {GUNICORN['workers']} workers × "
        f"{GUNICORN['threads']} threads: {VISITORS} at once, {len(errors)} × 5xx, "
        f"median {seconds[len(seconds) // 2]:.2f} s, slowest {seconds[-1]:.2f} s"
    )
    assert len(answers) == VISITORS
    assert errors == []
