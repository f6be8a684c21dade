"""The padding is drawn as voters vote: as many options a ballot, and the same options.

Whoever reads the box without the key could otherwise tell padding from real ballots by the
number of options each marks (the padding used to mark between one and the most allowed,
evenly, while voters mostly mark one or two) or by which options. The count keeps, sealed, the
real ballots by number of marks (`Poll.sealed_marks`) beside their tally (`Poll.sealed_tally`)
and draws the padding from both, after a neutral prior worth a batch of ballots.
"""

import datetime as dt
import random
from collections import Counter

import pytest
from cryptography.exceptions import InvalidTag
from django.test import override_settings
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Poll
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory

MINUTE = dt.timedelta(minutes=1)
LABELS = ["가", "나", "다", "라", "마"]


def drawn(poll, *, tally, marks, n=2000) -> list[list[int]]:
    """The options of `n` padding ballots drawn for the box described, with a fixed seed."""
    ballots, choices = [], []
    services._padding(
        poll=poll,
        ballots=ballots,
        choices=choices,
        n=n,
        random=random.Random(24),
        tally=Counter(tally),
        marks=Counter(marks),
    )
    marked = {ballot.pk: [] for ballot in ballots}
    for choice in choices:
        marked[choice.ballot.pk].append(choice.option_id)
    return list(marked.values())


@override_settings(POLL_BALLOTS_PER_BATCH=25)
def test_the_padding_marks_as_many_options_as_voters_do(db):
    poll = PollFactory(kind=Poll.Kind.MULTIPLE, max_choices=5, options=LABELS)
    first, second = option_ids(poll, "가", "나")
    # An empty box: the prior, every number of marks alike (the old padding's spread).
    sizes = Counter(len(marked) for marked in drawn(poll, tally={}, marks={}))
    assert set(sizes) == {1, 2, 3, 4, 5} and all(300 < n < 500 for n in sizes.values())
    # 200 real ballots, each marking 가 and 나: the padding marks two, mostly those two.
    padding = drawn(poll, tally={first: 200, second: 200}, marks={2: 200})
    sizes = Counter(len(marked) for marked in padding)
    assert sizes[2] / len(padding) > 0.85  # (5 + 200) / 225 expected; evenly it was 0.2
    options = Counter(option for marked in padding for option in marked)
    assert (options[first] + options[second]) / options.total() > 0.8


@override_settings(POLL_BALLOTS_PER_BATCH=25)
def test_a_single_choice_polls_padding_follows_the_voters_choices(db):
    poll = PollFactory()
    yes, no = option_ids(poll, "찬성"), option_ids(poll, "반대")
    padding = drawn(poll, tally={yes[0]: 200}, marks={1: 200})
    assert {len(marked) for marked in padding} == {1}
    chose = Counter(marked[0] for marked in padding)
    assert chose[yes[0]] / len(padding) > 0.9 and chose[no[0]] > 0  # (12.5 + 200) / 225


def test_the_box_keeps_its_ballots_by_marks_sealed_and_freezing_checks_them(
    db, monkeypatch, settings
):
    settings.POLL_BALLOTS_PER_BATCH, settings.POLL_COUNT_WITHIN_SECONDS = 5, 300
    monkeypatch.setattr(services.secrets, "SystemRandom", lambda: random.Random(5))
    start = timezone.now()
    poll = PollFactory(kind=Poll.Kind.MULTIPLE, max_choices=3, opens_at=start, options=LABELS)
    for _n in range(40):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "가", "나"))
    assert services.polls_count(now=start + 6 * MINUTE) == 40  # and 5 blank, from the prior
    for late in range(10):  # each late voter alone on the time bound, with 5 blank ballots
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "가", "나"))
        assert services.polls_count(now=start + (12 + 6 * late) * MINUTE) == 1
        if late == 4:  # a poll counted before the marks were kept: they start from its box
            Poll.objects.filter(pk=poll.pk).update(sealed_marks=None)
    poll.refresh_from_db()
    padding = [ballot for ballot in Ballot.objects.filter(poll=poll) if ballot.is_padding]
    assert poll.padding_count == len(padding) == 55
    sizes = Counter(ballot.choices.count() for ballot in padding)
    assert sizes[2] >= 40  # about 48 of 55 expected; evenly over one to three it was 18
    # Sealed: nothing of it in the clear, the tally's length, only the site's key opens it.
    sealed = bytes(poll.sealed_marks)
    assert poll.marks_open(poll.sealed_marks) == {2: 50}
    assert b'"2": 50' not in sealed
    assert len(sealed) == len(bytes(poll.sealed_tally))
    key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-than-the-sites"
    with pytest.raises(InvalidTag):
        poll.marks_open(poll.sealed_marks)
    settings.SECRET_KEY = key
    # Beat checks the sealed count against the counters; freezing, against the box too.
    assert services.polls_drift(polls=[poll]) == []
    Poll.objects.filter(pk=poll.pk).update(sealed_marks=poll.marks_seal({2: 49, 3: 1}))
    assert len(services.polls_drift(polls=[poll])) == 1
    Poll.objects.filter(pk=poll.pk).update(sealed_marks=poll.marks_seal({1: 1, 2: 48, 3: 1}))
    assert services.polls_drift(polls=[poll]) == []  # as many ballots and marks: only the box
    box = f"{poll.slug}: sealed ballots by marks {{1: 1, 2: 48, 3: 1}}, box {{2: 50}}"
    assert box in services.polls_drift(polls=[poll], ballots=True)
    Poll.objects.filter(pk=poll.pk).update(
        sealed_marks=poll.marks_seal({2: 50}), closes_at=timezone.now()
    )
    assert dict(services.poll_freeze(poll=poll).counts) == {
        "가": 50,
        "나": 50,
        "다": 0,
        "라": 0,
        "마": 0,
    }
