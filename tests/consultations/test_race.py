"""Races with real threads on PostgreSQL: one person in many tabs; votes against freezing."""

import threading
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Envelope, Option, Participation, Poll, Result
from tests.conftest import at_once
from tests.consultations.conftest import count_all, option_ids, real_ballots
from tests.factories import PollFactory, UserFactory

SUBMISSIONS = 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_many_tabs_one_ballot(postgres, settings):
    # The race itself, not the rate limit (tests/ogp_portal/test_rate_limits.py), is tested.
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "vote": "1000/m/user,1000/m/ip"}
    poll = PollFactory(slug="race")
    person = UserFactory(username="many-tabs")
    signed_in = Client()
    signed_in.force_login(person)
    url = reverse("consultations:poll_vote", args=[poll.slug])
    choices = [option_ids(poll, "찬성"), option_ids(poll, "반대")]

    def submit(n: int) -> tuple[int, str]:
        client = Client()
        client.cookies = signed_in.cookies
        response = client.post(url, {"option": choices[n % 2]}, follow=True)
        return response.status_code, response.content.decode()

    answers = at_once(*[partial(submit, n) for n in range(SUBMISSIONS)])
    assert len(answers) == SUBMISSIONS
    assert all(status == 200 for status, _ in answers), {s for s, _ in answers}
    receipts = [page for _, page in answers if 'id="receipt-code"' in page]
    # The tabs share one session, whose messages any tab's next page shows: the receipt page
    # may carry another tab's refusal too.
    refusals = [
        page
        for _, page in answers
        if "이미 이 투표에 참여하셨습니다." in page and 'id="receipt-code"' not in page
    ]
    assert len(receipts) == 1
    assert len(refusals) == SUBMISSIONS - 1
    assert count_all(poll) == 1
    assert len(real_ballots(poll)) == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1
    assert sum(Option.objects.filter(poll=poll).values_list("votes", flat=True)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_ballot_slips_in_while_the_result_is_frozen(postgres):
    """40 citizens vote while the secretariat closes the poll: each vote is counted or refused."""
    poll = PollFactory(slug="closing")
    people = [UserFactory(username=f"closing{n}") for n in range(40)]
    chosen = option_ids(poll, "찬성")
    votes = [partial(services.poll_vote, poll=poll, user=p, option_ids=chosen) for p in people]
    outcomes = at_once(*votes, lambda: services.poll_close_now(poll=Poll.objects.get(pk=poll.pk)))

    result = Result.objects.get(poll=poll)
    accepted = len([o for o in outcomes if isinstance(o, str)])  # a vote returns its receipt
    refused = len([o for o in outcomes if isinstance(o, ValidationError)])
    assert accepted + refused == len(people)
    assert result.ballots == accepted == len(real_ballots(poll))
    assert Participation.objects.filter(poll=poll).count() == accepted
    assert not Envelope.objects.filter(poll=poll).exists()
    assert services.polls_drift(polls=[poll]) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_do_not_wait_for_each_other_and_freezing_waits_for_them(postgres):
    """A vote left open holds the poll's shared lock: others vote past it, freezing cannot."""
    from django.db import OperationalError, connection, transaction

    poll = PollFactory(slug="no-queue")
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def open_vote() -> None:
        try:
            with transaction.atomic():
                services.poll_vote(
                    poll=poll,
                    user=UserFactory(username="slow"),
                    option_ids=option_ids(poll, "반대"),
                )
                held.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=open_vote)
    thread.start()
    assert held.wait(timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")
    # Another citizen votes at once: no poll-row lock to queue behind.
    for n in range(3):
        services.poll_vote(
            poll=poll, user=UserFactory(username=f"quick{n}"), option_ids=option_ids(poll, "찬성")
        )
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    with pytest.raises(OperationalError, match="lock timeout"):
        services.poll_freeze(poll=poll)  # waits for the vote still in flight
    release.set()
    assert done.wait(timeout=60)
    result = services.poll_freeze(poll=poll)
    assert result.ballots == 4 and result.counts == [["찬성", 3], ["반대", 1]]
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
