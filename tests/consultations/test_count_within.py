"""Envelopes wait minutes, not a whole voting period: a time bound beside the batch size.

Every batch, and so a small one taken on the time bound, takes a batch's worth of blank ballots
of random choices, so that on disk (pageinspect, as in test_secrecy) every ballot shares its
transaction id with a batch's worth and with no voter, and no ballot is ever written twice. The
option counters move only by a batch at a time, every option in one statement, and the pages
show them one step behind, so that the final result minus the last live figures holds at least
a whole batch.
"""

import datetime as dt
from collections import Counter

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Envelope, Option, Poll
from consultations.results import counts_of
from tests.consultations.conftest import option_ids, real_ballots
from tests.consultations.test_secrecy import TABLES, on_disk, voters_by_xmin
from tests.factories import PollFactory, UserFactory

MINUTE = dt.timedelta(minutes=1)


def clean_box() -> None:
    """What pageinspect reads, from this test alone: the rows earlier tests rolled back still
    lie in the pages until a VACUUM."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(f"VACUUM {TABLES['ballot']}, {Option._meta.db_table}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_3_voter_polls_envelopes_are_counted_within_10_minutes(postgres):
    clean_box()
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
        # The box: each vote went in with 25 blank ballots under one transaction id, none
        # next to a voter; nothing was written twice, so there is no old version to vacuum.
        groups = Counter(xmin for xmin, _, _ in on_disk(TABLES["ballot"]))
        assert sorted(groups.values()) == [26] * (n + 1)
        assert set(groups).isdisjoint(voters_by_xmin())
    poll.refresh_from_db()
    assert poll.ballot_count == 3 and len(real_ballots(poll)) == 3 and poll.padding_count == 75
    # Fewer than a batch counted: the counters have not moved, so the pages show none of it
    # before the result, and no version of a counter holds what these three voters chose.
    assert poll.tallied_ballot_count == poll.shown_ballot_count == 0
    assert set(Option.objects.values_list("votes", "shown_votes")) == {(0, 0)}
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
    clean_box()
    start = timezone.now()
    poll = PollFactory(slug="busy", opens_at=start - 10 * MINUTE)
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    assert services.polls_count(now=start) == 1  # alone, with 25 blank ballots
    for _ in range(60):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    assert services.polls_count(now=start + MINUTE) == 35  # 25 kept for the next batch
    groups = Counter(xmin for xmin, _, _ in on_disk(TABLES["ballot"]))
    assert sorted(groups.values()) == [26, 60]  # 35 and their 25 blank
    assert set(groups).isdisjoint(voters_by_xmin())
    assert services.polls_drift(polls=[poll]) == []


def totals() -> tuple[int, int]:
    """The counters' sum, and the sum the pages show."""
    rows = Option.objects.values_list("votes", "shown_votes")
    return sum(votes for votes, _ in rows), sum(shown for _, shown in rows)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_count_of_one_ballot_moves_no_counter(postgres):
    """The fourth attack run counted one late ballot on the time bound: only the chosen option's
    counter was written, so its row's transaction id and its dead version (or a log of
    statements) told which option that voter chose. Now the counters wait for a whole batch,
    then every option's row is written by one statement."""
    clean_box()
    start = timezone.now()
    poll = PollFactory(slug="late", opens_at=start)
    table = Option._meta.db_table
    for n in range(60):
        services.poll_vote(
            poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대" if n % 3 else "찬성")
        )
    assert services.polls_count(now=start) == 35
    services.envelopes_vacuum()
    written = on_disk(table)
    assert len({xmin for xmin, _, _ in written}) == 1  # both rows, one statement
    assert totals() == (0, 0)  # the pages: one step behind; the counters: only the final
    # One more voter, counted alone on the time bound with the 25 waiting.
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    assert services.polls_count(now=start + 6 * MINUTE) == 26
    services.envelopes_vacuum()
    assert on_disk(table) != written  # a step: 26 ballots, every row rewritten together
    assert len({xmin for xmin, _, _ in on_disk(table)}) == 1
    assert totals() == (0, 35)
    # And the next late voter alone: no counter row is written at all.
    before = on_disk(table)
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    assert services.polls_count(now=start + 12 * MINUTE) == 1
    services.envelopes_vacuum()
    assert on_disk(table) == before
    assert services.polls_drift(polls=[poll]) == []


@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_the_final_result_minus_the_last_live_figures_holds_a_whole_batch(db):
    """The attack run subtracted the last live figures from the final result and read the one
    ballot counted after the last step. The pages show the step before the last one, so the
    difference always holds at least a batch."""
    start = timezone.now()
    poll = PollFactory(opens_at=start)
    for _n in range(50):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    services.polls_count(now=start)
    poll.refresh_from_db()
    assert poll.tallied_ballot_count == 25 and poll.shown_ballot_count == 0
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    services.polls_count(now=start + 6 * MINUTE)  # 26 more: a step
    poll.refresh_from_db()
    live = dict(counts_of(poll, None))
    assert poll.shown_ballot_count == 25 and live == {"찬성": 0, "반대": 25}
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    final = dict(services.poll_freeze(poll=poll).counts)
    assert final == {"찬성": 2, "반대": 50}
    assert sum(final.values()) - sum(live.values()) >= 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_copy_of_the_box_against_the_final_result_does_not_tell_a_late_ballot(postgres, settings):
    """The fifth attack run copied the database while voting and set the box against the
    published result: the one ballot counted after the copy showed its voter's choice, and the
    old versions of the ballots written again with it (VACUUM held back by a snapshot) named
    the new one. Now a late ballot goes in with 25 blank ballots of random choices, nothing is
    written twice, and only the site's key tells the real ballot from the padding. The seventh
    run then took the batches too big to need padding as all real, and the result less them
    as the late batch's real ballots: every batch holds blank ballots now."""
    clean_box()
    start = timezone.now()
    poll = PollFactory(slug="late-copy", opens_at=start)
    for _n in range(60):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    services.polls_count(now=start)
    copy = {ballot.pk for ballot in Ballot.objects.all()}  # the insider's copy of the box
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    services.polls_count(now=start + 6 * MINUTE)  # 25 waiting and the late one
    # The sixth run set the counters a copy holds right after a step against the result: no
    # tally stands in the clear but the one the pages show, a step behind.
    assert totals() == (0, 35)
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    before = {ballot.pk for ballot in Ballot.objects.all()}
    services.polls_count(now=start + 12 * MINUTE)  # the late one alone: padded
    late = Ballot.objects.exclude(pk__in=before)
    assert late.count() == 26
    # Without vacuum: no dead version anywhere, every ballot written once.
    assert len(on_disk(TABLES["ballot"])) == Ballot.objects.count()
    assert len(Counter(xmin for xmin, _, _ in on_disk(TABLES["ballot"]))) == 3
    # The marks are alike without the key; the site's key alone opens them.
    assert len({len(bytes(ballot.seal)) for ballot in Ballot.objects.all()}) == 1
    assert sum(not ballot.is_padding for ballot in late) == 1
    key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-than-the-sites"
    with pytest.raises(InvalidTag):
        late.first().is_padding  # noqa: B018
    settings.SECRET_KEY = key
    assert copy < before
    # The result counts the voters' ballots only, and every check agrees with it.
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    final = dict(services.poll_freeze(poll=poll).counts)
    assert final == {"찬성": 2, "반대": 60} and sum(final.values()) - 35 >= 25
    assert services.polls_drift(polls=[poll], ballots=True) == []
    poll.refresh_from_db()
    assert Ballot.objects.count() == 62 + poll.padding_count == 62 + 3 * 25
    # The seventh run's sum: the result less the choices of every other batch, read from the
    # box by transaction id. It was the late voter's choice; now it is no ballot at all, as
    # the other batches' 50 blank ballots are subtracted with them.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.xmin::text, o.label, b.id = ANY(%s) FROM {TABLES['ballot']} b "  # noqa: S608
            f"JOIN {TABLES['choice']} c ON c.ballot_id = b.id "
            f"JOIN {Option._meta.db_table} o ON o.id = c.option_id",
            [list(late.values_list("pk", flat=True))],
        )
        marked = cursor.fetchall()
    (late_batch,) = {xmin for xmin, _label, is_late in marked if is_late}
    others = Counter(label for xmin, label, _ in marked if xmin != late_batch)
    left = Counter(final)
    left.subtract(others)
    assert sum(left.values()) == 1 - 2 * 25 and left != Counter({"찬성": 1})


@override_settings(POLL_BALLOTS_PER_BATCH=25, POLL_COUNT_WITHIN_SECONDS=300)
def test_a_poll_whose_last_count_made_a_step_is_frozen(db):
    """Its counters were tallied up to the box but not final: freezing, finding no envelope,
    left them empty and refused the result as drifted."""
    start = timezone.now()
    poll = PollFactory(opens_at=start - 10 * MINUTE)
    for _n in range(25):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    assert services.polls_count(now=start) == 25  # a step, the last count
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    assert dict(services.poll_freeze(poll=poll).counts) == {"찬성": 0, "반대": 25}
