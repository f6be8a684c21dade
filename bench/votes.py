"""Ballots per second with many voters at once, on PostgreSQL (one secret ballot each).

Prints the throughput and checks that the counters equal the ballots afterwards.
"""

import threading
import time

from _setup import start

VOTERS = 400
THREADS = 16


def main() -> None:
    runner, old = start()
    from django.db import connection, connections

    from consultations import services
    from consultations.models import Ballot, Poll
    from tests.factories import PollFactory, UserFactory

    try:
        if connection.vendor != "postgresql":
            raise SystemExit("Set DATABASE_URL to a PostgreSQL server.")
        poll = PollFactory(slug="bench")
        options = list(poll.options.values_list("pk", flat=True))
        voters = [UserFactory(username=f"bench-{n}") for n in range(VOTERS)]
        queue = list(enumerate(voters))
        lock = threading.Lock()

        def work():
            try:
                while True:
                    with lock:
                        if not queue:
                            return
                        n, voter = queue.pop()
                    services.poll_vote(poll=poll, user=voter, option_ids=[options[n % 2]])
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        poll = Poll.objects.get(pk=poll.pk)
        ballots = Ballot.objects.filter(poll=poll).count()
        print(
            f"{VOTERS} ballots by {THREADS} threads in {elapsed:.2f} s: "
            f"{VOTERS / elapsed:.0f} ballots/s"
        )
        drift = services.polls_drift(polls=[poll])
        print(f"counter {poll.ballot_count}, ballots {ballots}, drift {drift or 'none'}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
