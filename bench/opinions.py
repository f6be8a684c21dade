"""Opinion map at scale: 10,000 participants × 500 statements, grouped by one worker.

    .venv/bin/python bench/opinions.py                # 10,000 × 500, each sees 20 %
    .venv/bin/python bench/opinions.py --seen 1       # everyone votes on every statement

In a scratch test database beside BENCH_OPINIONS_DATABASE_URL's (Django's "test_" copy, made
and dropped here; PostgreSQL), with BENCH_REDIS_URL's cache: writes the participants, the
statements and their votes in three planted groups (`demo.opinions.planted_votes`), then times
`opinion_map_group` (read the votes, group them, store the result) as the periodic job runs it,
checks that the groups were found, and times the map's page served from the stored result
(rendered each time, no page cache) with its query count.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_OPINIONS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PAGE_REQUESTS = 200


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--seen", type=float, default=0.2, help="share each participant votes on")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=URL,
        DATABASE_POOL="false",
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="ogp_portal.settings.test",
    )
    import django

    django.setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure(args)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def write_votes(args):
    import datetime as dt

    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from demo.opinions import planted_stances, planted_votes
    from opinions.models import OpinionMap, Statement

    User = get_user_model()
    sizes = np.diff(np.linspace(0, args.participants, 4).astype(int))
    people = User.objects.bulk_create(
        [User(username=f"p{n}") for n in range(args.participants)], batch_size=5000
    )
    now = timezone.now()
    opinion_map = OpinionMap.objects.create(
        title="bench", question="?", opens_at=now, closes_at=now + dt.timedelta(days=30)
    )
    statements = Statement.objects.bulk_create(
        [Statement(map=opinion_map, author=people[0], text=f"s{n}") for n in range(args.statements)]
    )
    stance = planted_stances(groups=3, statements=args.statements)
    rows, columns, choices, _planted = planted_votes(stance, sizes, seen=args.seen)
    user_ids = np.array([p.pk for p in people])[rows]
    statement_ids = np.array([s.pk for s in statements])[columns]
    buffer = io.StringIO()
    stamp = now.isoformat()
    for user, statement, choice in zip(user_ids, statement_ids, choices, strict=True):
        buffer.write(f"{statement}\t{user}\t{choice}\t{stamp}\n")
    with connection.cursor() as cursor:
        sql = "COPY opinions_statementvote (statement_id, user_id, choice, voted_at) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
        cursor.execute("ANALYZE opinions_statementvote")
    return opinion_map, statements, len(rows), sizes


def measure(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opinions.services import opinion_map_group

    started = time.perf_counter()
    opinion_map, statements, votes, sizes = write_votes(args)
    written = time.perf_counter() - started
    print(
        f"opinion map: {args.participants} participants × {args.statements} statements, "
        f"{votes} votes (each saw {args.seen:.0%}); written in {written:.1f} s"
    )

    started = time.perf_counter()
    result = opinion_map_group(opinion_map=opinion_map)
    grouping = time.perf_counter() - started
    found = sorted((g["size"] for g in result.groups), reverse=True)
    print(f"grouping by one worker (read votes, PCA, k-means k=2..5, store): {grouping:.1f} s")
    print(
        f"groups found: {found} (planted: {sorted(sizes.tolist(), reverse=True)}); "
        f"consensus first: {result.consensus[:1] == [statements[0].pk]}"
    )

    client = Client()
    url = opinion_map.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers={"cookie": "sessionid=none"})  # no page cache
    query_count = len(queries)  # read now: each request empties the log
    timings = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        response = client.get(url, headers={"cookie": "sessionid=none"})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"map page from the stored result: {query_count} queries, "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms ({PAGE_REQUESTS} requests)"
    )


if __name__ == "__main__":
    main()
