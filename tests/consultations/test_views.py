import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Poll
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory


def vote(client, poll, *labels):
    return client.post(
        reverse("consultations:poll_vote", args=[poll.slug]),
        {"option": option_ids(poll, *labels)},
    )


def test_a_verified_citizen_votes_and_sees_the_receipt_once(client, poll, citizen):
    client.force_login(citizen)
    response = vote(client, poll, "찬성")
    html = response.content.decode()
    receipt = Ballot.objects.get().receipt
    assert response.status_code == 200 and receipt in html
    assert response["Cache-Control"] == "no-store"
    page = client.get(poll.get_absolute_url()).content.decode()
    assert receipt not in page
    assert "이 투표에 참여하셨습니다. 투표 내용은 비밀이며" in page


@pytest.mark.parametrize(
    "form, message",
    [
        ({"option": ["999999"]}, "이 투표의 선택지 가운데서 골라 주세요."),
        ({"option": ["abc"]}, "이 투표의 선택지 가운데서 골라 주세요."),
        ({}, "이 투표의 선택지 가운데서 골라 주세요."),
    ],
)
def test_forged_ballots_get_a_message_never_a_500(client, poll, citizen, form, message):
    client.force_login(citizen)
    response = client.post(reverse("consultations:poll_vote", args=[poll.slug]), form, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_second_vote_is_refused_with_a_message(client, poll, citizen):
    client.force_login(citizen)
    vote(client, poll, "찬성")
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]),
        {"option": option_ids(poll, "반대")},
        follow=True,
    )
    assert "이미 이 투표에 참여하셨습니다." in response.content.decode()
    assert Ballot.objects.count() == 1


def test_a_closed_poll_refuses_in_english_too(client, poll, citizen):
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    client.force_login(citizen)
    url = reverse("consultations:poll_vote", args=[poll.slug])
    response = client.post("/en" + url, {"option": option_ids(poll, "찬성")}, follow=True)
    assert "Voting has closed." in response.content.decode()


def test_anonymous_people_sign_in_and_unverified_ones_verify_first(client, poll):
    response = vote(client, poll, "찬성")
    assert "/accounts/login/" in response.url
    client.force_login(UserFactory(verified=False))
    assert vote(client, poll, "찬성").url == reverse("account_email")
    assert not Ballot.objects.exists()


def test_unpublished_polls_are_not_found(client, db):
    poll = PollFactory(published_at=None)
    assert client.get(poll.get_absolute_url()).status_code == 404


def test_results_hide_until_closing_unless_live(client, poll, citizen):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "<svg" not in html and "투표가 끝나면 결과를 보여 드립니다." in html
    assert (
        client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).status_code
        == 404
    )
    poll.results = "live"
    poll.save(update_fields=["results"])
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "<svg" in html and "<table" in html


@pytest.fixture
def closed_poll(poll):
    for _ in range(3):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    services.polls_close()
    return poll


def test_the_result_page_has_a_chart_with_its_table_and_every_receipt(client, closed_poll):
    html = client.get(closed_poll.get_absolute_url()).content.decode()
    assert re.search(r'<svg role="img" aria-labelledby="chart-title-\d+"', html)
    assert '<table class="table table-sm result-table">' in html
    assert "75.0%" in html and "25.0%" in html
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt in html
    assert html.count("<code>") == 4


def test_no_request_counts_ballots(client, closed_poll, poll, citizen):
    live = PollFactory(results="live")
    client.force_login(citizen)
    with CaptureQueriesContext(connection) as captured:
        for url in [
            reverse("consultations:poll_list"),
            closed_poll.get_absolute_url(),
            live.get_absolute_url(),
            reverse("consultations:poll_download", args=[closed_poll.slug, "csv"]),
            reverse("consultations:poll_download", args=[live.slug, "json"]),
        ]:
            client.get(url)
        vote(client, live, "찬성")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "consultations_ballot" in sql  # the vote wrote one
    for query in captured.captured_queries:
        statement = query["sql"].upper()
        if "CONSULTATIONS_BALLOT" in statement or "CONSULTATIONS_PARTICIPATION" in statement:
            assert "COUNT(" not in statement, query["sql"]


@pytest.mark.parametrize("voters", [2, 12])
def test_poll_pages_query_counts(client, poll, voters, django_assert_num_queries):
    for _ in range(voters):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    PollFactory.create_batch(voters // 2)
    with django_assert_num_queries(2):
        client.get(reverse("consultations:poll_list"))
    with django_assert_num_queries(3):
        client.get(poll.get_absolute_url())


def test_an_absurd_option_id_is_a_message_not_a_500(client, db):
    poll = PollFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]), {"option": ["9" * 40]}, follow=True
    )
    assert response.status_code == 200
    assert "이 투표의 선택지 가운데서 골라 주세요." in response.content.decode()
