"""Signed-in pages at the cost of anonymous ones: what a page shows the same to everyone is
computed once per change of the public records (`ogp_portal.cache.shared`), and files and feeds
come from the page cache whoever asks (`ogp_portal.cache.same_for_everyone`)."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CallFactory, MeetingFactory, MinutesFactory, ProposalFactory

# Queries of a signed-in page once its shared parts are computed, whatever the size of the data:
# the session and the person.
SIGNED_IN_QUERIES = 2

PAGES = [
    "/",
    "/en/",
    "/transparency/",
    "/search/?q=" + quote("태양광"),
    "/data/",
]
SAME_FOR_EVERYONE = ["/council/meetings.ics", "/feeds/news.atom", "/data/proposals.json"]


@pytest.fixture
def closed_call(db):
    now = timezone.now()
    return CallFactory(
        slug="closed", opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1)
    )


def add_records(council, call, size: int) -> None:
    """Proposals owed a response, and meetings with minutes, `size` times ten."""
    now = timezone.now()
    ProposalFactory.create_batch(10 * size, call=call, title="태양광 제안")
    for n in range(10 * size):
        MinutesFactory(
            meeting__group=None,
            meeting__council=council,
            meeting__starts_at=now - dt.timedelta(days=40 * n + 3),
            status="published",
            published_at=now - dt.timedelta(days=40 * n),
        )
        MeetingFactory(group=None, council=council, starts_at=now + dt.timedelta(days=n + 1))


def signed_in_queries(client, url: str) -> int:
    client.get(url)  # the shared parts are computed for everyone at the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_page_costs_the_same_few_queries_whatever_the_data(
    client, council, citizen, closed_call, url
):
    client.force_login(citizen)
    add_records(council, closed_call, 1)
    small = signed_in_queries(client, url)
    add_records(council, closed_call, 3)
    larger = signed_in_queries(client, url)
    assert small == larger <= SIGNED_IN_QUERIES


@pytest.mark.parametrize("url", SAME_FOR_EVERYONE)
def test_files_and_feeds_come_from_the_page_cache_for_signed_in_people_too(
    client, council, citizen, closed_call, url, django_assert_num_queries
):
    add_records(council, closed_call, 1)
    client.force_login(citizen)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert not again.cookies


def test_a_new_proposal_shows_on_the_next_signed_in_request(
    client, council, citizen, closed_call, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    search = "/search/?q=" + quote("풍력")
    assert "풍력 발전 제안" not in client.get(search).content.decode()
    assert "풍력 발전 제안" not in client.get("/transparency/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ProposalFactory(call=closed_call, title="풍력 발전 제안")
    assert "풍력 발전 제안" in client.get(search).content.decode()
    assert "풍력 발전 제안" in client.get("/transparency/").content.decode()


def test_the_tracker_counts_the_proposals_owed_a_response_in_two_queries(
    council, closed_call, django_assert_num_queries
):
    from public_site.transparency import _proposals_answered

    ProposalFactory.create_batch(12, call=closed_call)
    ProposalFactory(call=closed_call, response="채택하지 않습니다: 이유.")
    ProposalFactory(call=CallFactory(slug="open"))
    # The first few waiting with how many in all (from the index of the waiting ones), and
    # the number of proposals of closed calls (the self-assessment's figure).
    with django_assert_num_queries(2):
        requirement = _proposals_answered()
    assert "12" in requirement.finding
    assert len(requirement.evidence) == 10
