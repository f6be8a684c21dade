"""Notice fan-out: publishing a meeting to N members, then delivering it to an SMTP sink.

    .venv/bin/python bench/fanout.py --members 10000

On a scratch PostgreSQL database (BENCH_FANOUT_DATABASE_URL, default ogp_bench_fanout, made
and dropped here): times the publishing request's work (the rows of the outbox are written by
one INSERT … SELECT), then one drain of the outbox, as one worker does it, to a local
aiosmtpd sink, and counts the SMTP connections it opened.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get(
    "BENCH_FANOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench_fanout"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    members = parser.parse_args().members
    from bench.scratch import scratch_database

    with scratch_database(URL):
        measure(members)


def measure(members: int) -> None:
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core.mail import get_connection
    from django.test import override_settings

    from councils import services
    from councils.models import GroupMembership, Meeting
    from outbox import services as outbox
    from tests.factories import MeetingFactory, WorkingGroupFactory
    from tests.faults.services import Sink

    User = get_user_model()
    group = WorkingGroupFactory()
    people = User.objects.bulk_create(
        User(username=f"m{n}", email=f"m{n}@example.org") for n in range(members - 1)
    )
    GroupMembership.objects.bulk_create(GroupMembership(group=group, user=p) for p in people)
    meeting = MeetingFactory(group=group)

    with mock.patch("outbox.services.drain_enqueue"):  # the worker drains below
        started = time.perf_counter()
        services.meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
        publish = time.perf_counter() - started
    opened = []

    def counting(*args, **kwargs):
        connection = get_connection(*args, **kwargs)
        opened.append(connection)
        return connection

    with (
        Sink() as sink,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
        ),
        mock.patch.object(outbox, "get_connection", counting),
    ):
        started = time.perf_counter()
        sent = 0
        while True:
            went = outbox.outbox_drain()
            sent += went
            if not went:
                break
        deliver = time.perf_counter() - started
        received = len(sink.received)
    print(f"members: {members}")
    print(f"publishing (the request's work): {publish * 1000:.0f} ms")
    print(
        f"delivery by one worker: {sent} sent, {received} received by the sink in "
        f"{deliver:.1f} s ({sent / deliver:.0f}/s), {len(opened)} SMTP connections "
        f"({sent / max(len(opened), 1):.0f} messages each)"
    )


if __name__ == "__main__":
    main()
