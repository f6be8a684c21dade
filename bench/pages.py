"""Server time and query count of the public pages, at two sizes of data.

Prints, per page and size: median and 95th-percentile milliseconds over 30 requests, and the
number of SQL queries of one request (which must not grow with the data).
"""

import statistics
import time

from _setup import start

SIZES = (10, 200)
REPEAT = 30


def populate(size: int) -> dict:
    import datetime as dt

    from django.utils import timezone

    from consultations import services as polls
    from consultations.models import Poll
    from tests.factories import (
        CallFactory,
        CommitteeMemberFactory,
        CouncilFactory,
        MeetingFactory,
        MinutesFactory,
        PollFactory,
        ProposalFactory,
        UserFactory,
        WorkingGroupFactory,
    )

    council = CouncilFactory()
    CommitteeMemberFactory.create_batch(size // 5 + 1, council=council)
    group = WorkingGroupFactory(council=council, slug="energy")
    for n in range(size):
        MinutesFactory(
            meeting=MeetingFactory(
                council=council,
                group=group,
                status="held",
                starts_at=timezone.now() - dt.timedelta(days=n + 1),
                published_at=timezone.now() - dt.timedelta(days=n + 9),
            ),
            status="published",
            published_at=timezone.now(),
            body=f"회의 {n}: 태양광 협동조합 현장 점검",
        )
    call = CallFactory(slug="bench")
    ProposalFactory.create_batch(size, call=call)
    poll = PollFactory(slug="bench", results=Poll.Results.LIVE)
    for n in range(size):
        polls.poll_vote(
            poll=poll,
            user=UserFactory(username=f"voter{size}-{n}"),
            option_ids=[poll.options.first().pk],
        )
    return {
        "home": "/",
        "committee": "/council/committee/",
        "group": group.get_absolute_url(),
        "call": call.get_absolute_url(),
        "poll": poll.get_absolute_url(),
        "tracker": "/transparency/",
        "open data (meetings.json)": "/data/meetings.json",
        "search": "/search/?q=태양광",
    }


def measure(urls: dict, size: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for name, url in urls.items():
        client.get(url)  # warm up
        timings = []
        for _ in range(REPEAT):
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{size:>5} {name:<28} median {statistics.median(timings):7.1f} ms  "
            f"p95 {p95:7.1f} ms  queries {len(queries):3d}"
        )


def main() -> None:
    runner, old = start()
    from django.core.management import call_command

    try:
        print(f"{'size':>5} {'page':<28} (ms per request, {REPEAT} requests)")
        for size in SIZES:
            call_command("flush", interactive=False, verbosity=0)
            measure(populate(size), size)
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
