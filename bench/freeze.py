"""Freezing a city-wide poll: the result of a box of a million ballots, every mark opened.

    .venv/bin/python bench/freeze.py --scale 1     # 1,000,000 ballots (and 100 padding)

On a scratch PostgreSQL database (BENCH_FREEZE_DATABASE_URL, default ogp_bench_freeze, made and
dropped here): writes one closed poll whose box holds the ballots as voting leaves them (each
with its sealed mark, real or padding; its participations; its counters and sealed counts),
then times `consultations.services.poll_freeze`, which checks the counters against the box by
opening every ballot's mark (`_real_marks`) and digests the receipts, beside
its parts and the floor of reading the box once (`count(*)`). The secretariat's "publish now"
runs it in a web request (gunicorn kills a request after GUNICORN_TIMEOUT, 30 s); beat's
`close_polls` in a worker.
"""

import argparse
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get(
    "BENCH_FREEZE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench_freeze"
)
PADDING = 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 0.01)),
        help="1.0 = 1,000,000 ballots in the box",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args()
    from bench.scratch import scratch_database

    with scratch_database(URL, keep=options.keep):
        poll = fill(max(int(1_000_000 * options.scale), 1_000))
        measure(poll)


def fill(ballots: int):
    import datetime as dt
    import secrets

    from django.db import connection
    from django.utils import timezone

    from bench.management.commands.bench_data import RECEIPT_TABLE, copy_rows
    from consultations.models import Ballot, BallotChoice, Option, Participation
    from tests.factories import PollFactory

    now = timezone.now()
    poll = PollFactory(
        opens_at=now - dt.timedelta(days=14), closes_at=now - dt.timedelta(minutes=5)
    )
    options = list(poll.options.order_by("display_order"))
    started = time.perf_counter()
    ids = [uuid.uuid4() for _ in range(ballots + PADDING)]
    padding = set(ids[ballots:])
    # For or against leans 62 : 38, real ballots and padding alike.
    chosen = [options[0] if b < 159 else options[1] for b in secrets.token_bytes(len(ids))]
    codes = secrets.token_bytes(12 * len(ids)).translate(RECEIPT_TABLE).decode()
    rows = []
    for n, pk in enumerate(ids):
        ballot = Ballot(pk=pk, poll=poll)
        ballot.mark(padding=pk in padding)
        code = codes[12 * n : 12 * n + 12]
        rows.append((pk, poll.pk, f"{code[:4]}-{code[4:8]}-{code[8:]}", ballot.seal))
    with connection.cursor() as cursor:
        copy_rows(cursor, Ballot, ["id", "poll", "receipt", "seal"], rows)
        copy_rows(
            cursor,
            BallotChoice,
            ["id", "ballot", "option"],
            ((uuid.uuid4(), pk, option.pk) for pk, option in zip(ids, chosen, strict=True)),
        )
        copy_rows(
            cursor,
            Participation,
            ["poll", "day"],
            ((poll.pk, (now - dt.timedelta(days=n % 14)).date()) for n in range(ballots)),
        )
    tally = Counter(option.pk for pk, option in zip(ids, chosen, strict=True) if pk not in padding)
    for option in options:
        Option.objects.filter(pk=option.pk).update(votes=tally[option.pk])
    type(poll).objects.filter(pk=poll.pk).update(
        ballot_count=ballots,
        tallied_ballot_count=ballots,
        shown_ballot_count=ballots,
        padding_count=PADDING,
        sealed_tally=poll.tally_seal(dict(tally)),
        sealed_marks=poll.marks_seal({1: ballots}),
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"box: {ballots:,} ballots and {PADDING} padding, sealed and written in "
        f"{time.perf_counter() - started:.0f} s"
    )
    poll.refresh_from_db()
    return poll


def measure(poll) -> None:
    from django.db import connection

    from consultations.models import Ballot
    from consultations.services import _real_marks, poll_freeze

    def timed(call):
        started = time.perf_counter()
        value = call()
        return value, time.perf_counter() - started

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM consultations_ballot WHERE poll_id = %s", [poll.pk]
            )
            return cursor.fetchone()[0]

    timed(floor)  # warm: the table in the database's cache
    boxed, floor_time = timed(floor)
    (padding, _counted, _sizes), marks_time = timed(lambda: _real_marks(poll))
    _digest, digest_time = timed(lambda: Ballot.objects.filter(poll=poll).receipts_sha256())
    result, freeze_time = timed(lambda: poll_freeze(poll=poll))
    print(f"reading the box once (count of {boxed:,}): {floor_time * 1000:,.0f} ms")
    print(
        f"  every mark opened, the real ballots' marks (_real_marks): {marks_time * 1000:,.0f} ms"
    )
    print(f"  digest of the receipts: {digest_time * 1000:,.0f} ms")
    print(f"poll_freeze, all of it: {freeze_time * 1000:,.0f} ms, {result.ballots:,} counted")
    assert len(padding) == PADDING, len(padding)
    verdict = "✓" if freeze_time < 30 else "✗"
    print(f"{verdict} within the web request's 30 s (the secretariat's 'publish now')")


if __name__ == "__main__":
    main()
