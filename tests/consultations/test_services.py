import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Envelope, Option, Participation, Poll, Result
from tests.consultations.conftest import count_all, option_ids, real_ballots
from tests.factories import PollFactory, UserFactory


def test_a_vote_counts_once_and_gives_a_receipt(poll, citizen):
    receipt = services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    # The vote writes a sealed envelope only: nothing readable, no ballot yet.
    envelope = Envelope.objects.get()
    assert receipt.encode() not in bytes(envelope.content)
    assert not Ballot.objects.exists() and Poll.objects.get().ballot_count == 0
    assert count_all(poll) == 1
    (ballot,) = real_ballots()
    assert ballot.receipt == receipt and len(receipt) == 14
    # It went in with a batch's worth of blank ballots of random choices, which count for no
    # option; nothing but the site's key tells them from it.
    assert Ballot.objects.count() == 26 == 1 + Poll.objects.get().padding_count
    assert {len(bytes(b.seal)) for b in Ballot.objects.all()} == {len(bytes(ballot.seal))}
    assert not Envelope.objects.exists()
    assert Option.objects.get(label="찬성").votes == 1
    assert Poll.objects.get().ballot_count == 1
    with pytest.raises(ValidationError, match="이미"):
        services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "반대"))
    assert count_all(poll) == 0
    assert len(real_ballots()) == 1 and Option.objects.get(label="반대").votes == 0


def test_envelopes_are_the_same_size_whatever_they_hold(db):
    poll = PollFactory(kind=Poll.Kind.MULTIPLE, max_choices=3, options=["가", "나", "다"])
    for labels in [["가"], ["가", "나", "다"], ["다"]]:
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, *labels))
    assert len({len(bytes(e.content)) for e in Envelope.objects.all()}) == 1


def test_envelopes_open_after_the_secret_key_changes(poll, settings):
    receipt = services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-site"
    assert count_all(poll) == 1
    assert [ballot.receipt for ballot in real_ballots()] == [receipt]


@override_settings(POLL_BALLOTS_PER_BATCH=3, POLL_COUNT_WITHIN_SECONDS=30 * 24 * 3600)
def test_the_count_moves_in_batches_and_leaves_some_envelopes_for_the_next(poll):
    def vote(n):
        for _ in range(n):
            services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))

    vote(5)
    assert services.polls_count() == 0  # fewer than 2 × 3 waiting: nothing moves
    assert Poll.objects.get().ballot_count == 0
    vote(1)
    assert services.polls_count() == 3  # a random 3 of the 6; 3 wait for the next batch
    # With the batch's three blank ballots: no batch holds real ballots only.
    assert Envelope.objects.count() == 3 and Ballot.objects.count() == 3 + 3
    # A step: the counters keep the final tally only; the pages, the step before (none yet).
    assert Poll.objects.get().ballot_count == 3 == Poll.objects.get().tallied_ballot_count
    assert Option.objects.get(label="찬성").shown_votes == 0
    assert services.polls_drift(polls=[poll]) == []
    vote(2)
    assert services.polls_count() == 0
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    result = services.poll_freeze(poll=poll)  # the last batch takes every envelope left
    assert result.ballots == 8 == result.participants and not Envelope.objects.exists()


@pytest.mark.parametrize(
    "case",
    ["before", "after", "forged", "other_poll", "empty", "garbage", "unverified", "unpublished"],
)
def test_every_refusal_is_a_clear_message_and_no_ballot(poll, citizen, case):
    user, ids, now = citizen, option_ids(poll, "찬성"), None
    if case == "before":
        now = poll.opens_at - dt.timedelta(minutes=1)
    elif case == "after":
        now = poll.closes_at
    elif case == "forged":
        ids = [max(Option.objects.values_list("pk", flat=True)) + 100]
    elif case == "other_poll":
        ids = option_ids(PollFactory(), "찬성")
    elif case == "empty":
        ids = []
    elif case == "garbage":
        ids = ["1 OR 1=1"]
    elif case == "unverified":
        user = UserFactory(verified=False)
    elif case == "unpublished":
        Poll.objects.filter(pk=poll.pk).update(published_at=None)
        poll.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.poll_vote(poll=poll, user=user, option_ids=ids, now=now)
    assert error.value.messages and error.value.messages[0]
    assert not Ballot.objects.filter(poll=poll).exists()
    assert not Participation.objects.filter(poll=poll).exists()


def test_multiple_choice_respects_its_limit(db, citizen):
    poll = PollFactory(kind=Poll.Kind.MULTIPLE, max_choices=2, options=["가", "나", "다"])
    with pytest.raises(ValidationError):
        services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "가", "나", "다"))
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "가", "다"))
    count_all(poll)
    assert [o.votes for o in poll.options.all()] == [1, 0, 1]


def test_freezing_publishes_once_with_every_receipt(poll, django_capture_on_commit_callbacks):
    follower = UserFactory(username="follower")
    poll.followers.add(follower)
    receipts = [
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, label))
        for label in ["찬성", "찬성", "반대"]
    ]
    with pytest.raises(ValidationError):
        services.poll_freeze(poll=poll)  # still open
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_close() == 1
        assert services.polls_close() == 0
    result = Result.objects.get()
    assert result.counts == [["찬성", 2], ["반대", 1]]
    # The published list holds every receipt in the box: the voters' and the padding's.
    codes = sorted(Ballot.objects.values_list("receipt", flat=True))
    assert set(receipts) <= set(codes) and len(codes) == 3 + Poll.objects.get().padding_count
    listed = "".join(f"{code}\n" for code in codes).encode()
    assert result.receipts_sha256 == hashlib.sha256(listed).hexdigest()
    assert result.ballots == 3 == result.participants
    (message,) = mail.outbox
    assert message.to == [follower.email] and "찬성: 2" in message.body
    assert services.poll_freeze(poll=poll) == result


def test_drift_between_counters_and_ballots_raises_the_alarm(
    poll, citizen, django_capture_on_commit_callbacks
):
    staff = UserFactory(username="staff", is_staff=True)
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    assert services.polls_reconcile() == []  # an envelope waiting is no drift
    count_all(poll)
    assert services.polls_reconcile() == []
    Option.objects.filter(label="반대").update(votes=5)
    with django_capture_on_commit_callbacks(execute=True):
        problems = services.polls_reconcile()
    assert problems and "반대" in problems[0]
    assert mail.outbox[0].to == [staff.email]
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    with pytest.raises(ValidationError):
        services.poll_freeze(poll=poll)  # a drifted result is never published


def test_a_drift_found_again_mails_once_until_resolved_or_a_day_later(
    poll, django_capture_on_commit_callbacks
):
    UserFactory(username="staff", is_staff=True)
    Option.objects.filter(label="반대").update(votes=5)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_reconcile(now=now)
        assert services.polls_reconcile(now=now + dt.timedelta(minutes=10))
    assert len(mail.outbox) == 1  # two checks, one mail
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_reconcile(now=now + dt.timedelta(days=1, minutes=1))
    assert len(mail.outbox) == 2  # still there a day later: mailed again
    Option.objects.filter(label="반대").update(votes=0)
    assert services.polls_reconcile(now=now + dt.timedelta(days=1, minutes=2)) == []
    Option.objects.filter(label="반대").update(votes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_reconcile(now=now + dt.timedelta(days=1, minutes=3))
    assert len(mail.outbox) == 3  # resolved, then back: mailed again


def test_followers_hear_once_when_a_poll_opens(poll, django_capture_on_commit_callbacks):
    poll.followers.add(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_announce() == 1
        assert services.polls_announce() == 0
    assert len(mail.outbox) == 1


def test_an_unpublished_poll_announces_nothing(poll, django_capture_on_commit_callbacks):
    Poll.objects.filter(pk=poll.pk).update(published_at=None)
    poll.followers.add(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.polls_announce() == 0
        Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
        assert services.polls_close() == 0
    assert mail.outbox == []


def test_no_ballot_after_the_result_is_frozen(db):
    poll = PollFactory()
    services.poll_close_now(poll=poll)
    Poll = type(poll)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    poll.refresh_from_db()
    with pytest.raises(ValidationError, match="마감"):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
