"""Search speed in process: every source searched for two-word Korean queries.

    .venv/bin/python bench/search.py --scale 1     # 10,000 proposals, 2,000 minutes

On a scratch PostgreSQL database (BENCH_SEARCH_DATABASE_URL, default ogp_bench_search, made and
dropped here): writes the proposals and published minutes with compound words in their titles
and texts, each saved (so its search words are computed as a save computes them; the time per
record is printed), then times `public_site.search.search()` (all nine sources, one query
each, plus the snippets) for two-word queries and prints p50, p95 and the slowest.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get(
    "BENCH_SEARCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench_search"
)
TOPICS = [
    "녹색아파트조성사업",
    "시민총회실천의제(기후위기대응)",
    "태양광발전소",
    "미세먼지저감대책",
    "자전거도로확충",
    "청소년참여예산제",
    "전기자동차충전소",
    "온실가스감축목표",
    "공공데이터개방확대",
    "도시숲가꾸기",
    "분리배출교육",
    "버스노선개편",
]
QUERIES = ["기후 위기", "아파트 녹색", "발전소 태양광", "시민 의견", "먼지 대책", "예산 참여"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 0.01)),
        help="1.0 = 10,000 proposals and 2,000 published minutes, as bench_data writes",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args()
    from bench.scratch import scratch_database

    with scratch_database(URL, keep=options.keep):
        fill(max(int(10_000 * options.scale), 100), max(int(2_000 * options.scale), 20))
        measure(options.runs)


def fill(proposals: int, minutes: int) -> None:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from councils.models import Meeting, Minutes
    from proposals.models import Proposal
    from tests.factories import CallFactory, UserFactory, WorkingGroupFactory

    now = timezone.now()
    call, author, group = CallFactory(), UserFactory(), WorkingGroupFactory()
    started = time.perf_counter()
    Proposal.objects.bulk_create(
        (
            Proposal(
                call=call,
                author=author,
                title=f"{TOPICS[i % len(TOPICS)]} 제안 {i}",
                problem=f"{TOPICS[(i * 7) % len(TOPICS)]} 정책이 시민에게 충분히 알려지지 "
                "않았습니다. " + "현장의 목소리와 시민 의견을 들어 주세요. " * 4,
                solution=f"동네마다 {TOPICS[(i * 5) % len(TOPICS)]} 설명회를 열고 참여 예산을 "
                "배정합니다.",
                submitted_at=now - dt.timedelta(minutes=i),
            )
            for i in range(proposals)
        ),
        batch_size=500,
    )
    per_proposal = (time.perf_counter() - started) / proposals
    meetings = Meeting.objects.bulk_create(
        Meeting(
            council=group.council,
            group=group,
            title=f"{TOPICS[i % len(TOPICS)]} 워킹그룹 회의 {i}",
            starts_at=now - dt.timedelta(days=i + 2),
            ends_at=now - dt.timedelta(days=i + 2) + dt.timedelta(hours=2),
            venue="광주광역시청",
            status=Meeting.Status.HELD,
            published_at=now - dt.timedelta(days=i + 9),
        )
        for i in range(minutes)
    )
    started = time.perf_counter()
    Minutes.objects.bulk_create(
        (
            Minutes(
                meeting=meeting,
                author=author,
                status=Minutes.Status.PUBLISHED,
                published_at=meeting.starts_at + dt.timedelta(days=5),
                body=f"## 회의 내용\n\n{meeting.title}에서 {TOPICS[(i * 3) % len(TOPICS)]} 확대와 "
                f"{TOPICS[(i * 5) % len(TOPICS)]} 개선 방안을 논의했습니다. 참석자들은 시민 "
                "의견을 모아 다음 회의에서 실행 계획을 점검하기로 했습니다. "
                + "시민참여와 투명성을 높이는 방안을 함께 검토했습니다. "
                * 6,
                decisions=f"- {TOPICS[i % len(TOPICS)]} 과제 채택",
                action_items="- 사무국: 결과 공유",
            )
            for i, meeting in enumerate(meetings)
        ),
        batch_size=500,
    )
    per_minutes = (time.perf_counter() - started) / minutes
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"proposals: {proposals}, published minutes: {minutes}")
    print(
        f"saving with search words: {per_proposal * 1000:.1f} ms a proposal, "
        f"{per_minutes * 1000:.1f} ms a minutes (bulk_create, analysis included)"
    )


def measure(runs: int) -> None:
    from public_site.search import search

    for query in QUERIES:  # warm: the analyser's model, the database's cache
        search(query)
    times, found = [], {}
    for n in range(runs):
        query = QUERIES[n % len(QUERIES)]
        started = time.perf_counter()
        results = search(query)
        times.append(time.perf_counter() - started)
        found[query] = sum(len(hits) for hits in results.values())
    cuts = statistics.quantiles(times, n=100)
    print(f"two-word queries: {', '.join(f'{q!r} {n} shown' for q, n in found.items())}")
    p95 = cuts[94] * 1000
    print(
        f"search() over every source, {runs} runs: p50 {cuts[49] * 1000:.1f} ms, "
        f"p95 {p95:.1f} ms, slowest {max(times) * 1000:.1f} ms"
    )
    print(f"Issue 28's yardstick: {'✓' if p95 < 50 else '✗'} two-word search p95 under 50 ms")


if __name__ == "__main__":
    main()
