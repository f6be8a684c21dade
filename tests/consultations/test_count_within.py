"""Envelopes wait minutes, not a whole voting period: a time bound beside the batch size.

A small batch taken on the time bound is padded with the poll's earlier ballots, written again
with it, so that on disk (pageinspect, as in test_secrecy) every ballot still shares its
transaction id with the others and with no voter; the counters the pages show still move by a
batch at a time.
"""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Envelope, Option, Poll
from tests.consultations.conftest import option_ids
from tests.consultations.test_secrecy import TABLES, on_disk, voters_by_xmin
from tests.factories import PollFactory, UserFactory

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_3_voter_polls_envelopes_are_counted_within_10_minutes(postgres):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    start = timezone.now()
    poll = PollFactory(slug="small", opens_at=start - MINUTE)
    for n in range(3):
        services.poll_vote(
            poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대" if n else "찬성")
        )
        # Beat, every minute of the ten after this vote (the votes are ten minutes apart).
        for minute in range(10):
            services.polls_count(now=start + (10 * n + minute) * MINUTE)
        services.envelopes_vacuum()
        assert not Envelope.objects.exists()  # counted within 10 minutes of the vote
        assert on_disk(TABLES["envelope"]) == []
        # The box: every ballot written anew in the last count, none next to a voter.
        ballots = on_disk(TABLES["ballot"])
        assert len(ballots) == n + 1  # the old versions are vacuumed away
        assert len({xmin for xmin, _, _ in ballots}) == 1
        assert {xmin for xmin, _, _ in ballots}.isdisjoint(voters_by_xmin())
    poll.refresh_from_db()
    assert poll.ballot_count == 3 and Ballot.objects.count() == 3
    assert Counter(Option.objects.values_list("label", "votes")) == Counter(
        [("찬성", 1), ("반대", 2)]
    )
    # Fewer than a batch counted: the pages show none of it before the result.
    assert poll.shown_ballot_count == 0
    assert set(Option.objects.values_list("shown_votes", flat=True)) == {0}
    assert services.polls_drift(polls=[poll]) == []
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    assert dict(services.poll_freeze(poll=poll).counts) == {"찬성": 1, "반대": 2}


@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_within_the_time_bound_a_small_batch_still_waits(db):
    start = timezone.now()
    poll = PollFactory(opens_at=start - MINUTE)
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    assert services.polls_count(now=start + 2 * MINUTE) == 0  # 1 envelope, not overdue
    assert services.polls_count(now=start + 6 * MINUTE) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_busy_polls_first_ballot_does_not_keep_a_transaction_of_its_own(postgres):
    """The attack run voted once on a poll never counted (overdue at once), then 60 more: the
    first ballot stayed alone under its own transaction id for good, the later batches being
    big enough to need no padding, and it linked the first voter to their choice."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    start = timezone.now()
    poll = PollFactory(slug="busy", opens_at=start - 10 * MINUTE)
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    assert services.polls_count(now=start) == 1  # alone: nothing earlier to pad it with
    for _ in range(60):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    assert services.polls_count(now=start + MINUTE) == 35  # 25 kept for the next batch
    services.envelopes_vacuum()
    groups = Counter(xmin for xmin, _, _ in on_disk(TABLES["ballot"]))
    assert sorted(groups.values()) == [36]  # the first ballot went in again with the batch
    assert set(groups).isdisjoint(voters_by_xmin())
    assert services.polls_drift(polls=[poll]) == []
