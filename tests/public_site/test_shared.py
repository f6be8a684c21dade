"""Signed-in pages at the cost of anonymous ones: what a page shows the same to everyone is
computed once per change of the public records (`ogp_portal.cache.shared`), and files and feeds
come from the page cache whoever asks (`ogp_portal.cache.same_for_everyone`)."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    CallFactory,
    MeetingFactory,
    MinutesFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
)

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


WHOLE_PAGES = [
    "/",
    "/transparency/",
    "/search/?q=" + quote("태양광"),
    "/ask/",
    "poll",
    "call",
    "proposal",
    "meeting",
]


def whole_page_url(name: str, call) -> str:
    from councils.models import Meeting

    if name == "poll":
        return PollFactory().get_absolute_url()
    if name == "call":
        return call.get_absolute_url()
    if name == "proposal":
        return call.proposals.first().get_absolute_url()
    if name == "meeting":
        return Meeting.objects.filter(minutes__isnull=False).first().get_absolute_url()
    return name


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def csrf_of(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("name", WHOLE_PAGES)
def test_a_page_kept_whole_shows_each_person_their_own_parts(
    client, council, citizen, closed_call, name
):
    """base.html keeps the page whole ({% shared "page" %}): what is personal (the account links,
    the sign-out form's CSRF token, the receipts' owner, messages, a page's own personal parts)
    is rendered per request."""
    add_records(council, closed_call, 1)
    url = whole_page_url(name, closed_call)
    anonymous = Client().get(url).content.decode()
    client.force_login(citizen)
    first = client.get(url).content.decode()
    neighbour = UserFactory()
    other = Client()
    other.force_login(neighbour)
    second = other.get(url).content.decode()

    assert citizen.receipts_owner in first and citizen.receipts_owner not in second
    assert neighbour.receipts_owner in second
    assert csrf_of(first) != csrf_of(second)
    assert client.cookies["csrftoken"].value != other.cookies["csrftoken"].value
    assert "/accounts/logout/" in first and "/accounts/logout/" not in anonymous
    assert "\x00" not in first + second + anonymous
    # What is the same for everyone is the same: the main content of both, tokens aside.
    assert main_of(first).replace(csrf_of(first), "") == main_of(second).replace(
        csrf_of(second), ""
    )


def test_the_secretariat_s_link_stays_with_the_secretariat(client, citizen, secretariat):
    client.force_login(citizen)
    assert "/admin/" not in client.get("/transparency/").content.decode()
    client.force_login(secretariat)
    assert "/admin/" in client.get("/transparency/").content.decode()
    client.force_login(citizen)
    assert "/admin/" not in client.get("/transparency/").content.decode()


def test_a_meeting_s_organiser_gets_their_buttons_whoever_came_first(client, citizen, group, lead):
    meeting = MeetingFactory(group=group, published_at=timezone.now())
    url = meeting.get_absolute_url()
    client.force_login(citizen)
    assert "/edit/" not in main_of(client.get(url).content.decode())
    client.force_login(lead)
    organiser = main_of(client.get(url).content.decode())
    assert f"/council/meetings/{meeting.pk}/edit/" in organiser
    client.force_login(citizen)
    assert "/edit/" not in main_of(client.get(url).content.decode())


def test_a_message_shows_on_a_page_kept_whole_to_its_person_only(client, citizen, secretariat):
    client.force_login(citizen)
    client.get("/transparency/")  # the page is kept
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "여기 메시지")])
    assert "여기 메시지" in client.get("/transparency/").content.decode()
    other = Client()
    other.force_login(secretariat)
    assert "여기 메시지" not in other.get("/transparency/").content.decode()
    assert "여기 메시지" not in client.get("/transparency/").content.decode()  # shown once
