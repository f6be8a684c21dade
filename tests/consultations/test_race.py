"""200 simultaneous submissions of one person into one poll, with real threads on PostgreSQL."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from consultations.models import Ballot, Option, Participation, Poll
from tests.consultations.conftest import option_ids
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
    start = threading.Barrier(SUBMISSIONS)
    answers, lock = [], threading.Lock()

    def submit(n: int) -> None:
        client = Client()
        client.cookies = signed_in.cookies
        try:
            start.wait()
            response = client.post(url, {"option": choices[n % 2]}, follow=True)
            page = response.content.decode()
            with lock:
                answers.append((response.status_code, page))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(answers) == SUBMISSIONS
    assert all(status == 200 for status, _ in answers), {s for s, _ in answers}
    receipts = [page for _, page in answers if 'id="receipt-code"' in page]
    refusals = [page for _, page in answers if "이미 이 투표에 참여하셨습니다." in page]
    assert len(receipts) == 1
    assert len(refusals) == SUBMISSIONS - 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1
    assert sum(Option.objects.filter(poll=poll).values_list("votes", flat=True)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sealing_leaves_no_storage_trace_between_voter_and_ballot(postgres):
    from django.db import connection

    from consultations import services

    poll = PollFactory(slug="sealed")
    for n in range(12):
        services.poll_vote(
            poll=poll,
            user=UserFactory(username=f"v{n}"),
            option_ids=option_ids(poll, "찬성" if n % 3 else "반대"),
        )

    def xmins(table: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text::bigint FROM {table}")  # noqa: S608 - fixed
            return [row[0] for row in cursor.fetchall()]

    def near(a: int, values: list[int]) -> bool:
        return any(abs(a - b) <= 2 for b in values)

    participations = xmins("consultations_participation")
    # Written in one transaction with its participation, a ballot first sits next to its voter.
    assert all(near(x, participations) for x in xmins("consultations_ballot"))
    assert services.polls_seal() == 12
    # Sealed, every ballot and every choice carries the one transaction id of the batch.
    assert len(set(xmins("consultations_ballot"))) == 1
    assert len(set(xmins("consultations_ballotchoice"))) == 1
    assert services.polls_seal() == 0
    assert services.polls_drift(polls=[poll]) == []
