"""The person's own page: proposals, supports, groups, follows and votes, theirs alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services as polls
from councils.models import GroupMembership
from proposals.services.debate import comment_post, debate_open
from proposals.services.supports import proposal_support
from tests.factories import (
    CallFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)

URL = reverse("my_participation")


def _take_part(person, n: int = 1) -> None:
    for _ in range(n):
        call = CallFactory()
        call.followers.add(person)
        ProposalFactory(call=call, author=person, title=f"내 제안 {call.pk}")
        supported = ProposalFactory(call=call)
        proposal_support(proposal=supported, user=person)
        debate = debate_open(proposal=supported)
        comment_post(debate=debate, author=person, body="의견")
        GroupMembership.objects.create(group=WorkingGroupFactory(), user=person)
        poll = PollFactory(options=["선택가", "선택나"])
        poll.followers.add(person)
        polls.poll_vote(poll=poll, user=person, option_ids=[poll.options.first().pk])


def test_visitors_are_asked_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_person_sees_all_they_took_part_in_and_nothing_of_others(client, citizen):
    _take_part(citizen)
    other = UserFactory()
    ProposalFactory(author=other, title="남의 제안")
    client.force_login(citizen)

    context = client.get(URL).context
    for name in ("proposals", "supports", "debates", "groups", "calls", "polls", "votes"):
        assert context[name]["total"] == 1, name
    page = client.get(URL).content.decode()
    assert "남의 제안" not in page
    assert "선택가" not in page  # what was chosen is nowhere


def test_the_page_costs_the_same_queries_and_rows_however_much_one_took_part(client, citizen):
    client.force_login(citizen)
    _take_part(citizen, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _take_part(citizen, 3)
    with CaptureQueriesContext(connection) as more:
        response = client.get(URL)
    assert len(more) == len(few)
    assert response.context["votes"]["total"] == 4


def test_long_lists_show_the_latest_and_say_how_many_there_are(client, citizen, monkeypatch):
    monkeypatch.setattr("public_site.views.participation.SHOWN", 2)
    _take_part(citizen, 3)
    client.force_login(citizen)
    response = client.get(URL)
    assert len(response.context["proposals"]["items"]) == 2
    assert "최근 2건 / 전체 3건" in response.content.decode()


@pytest.mark.browser
def test_a_citizen_finds_the_page_from_the_menu(page, transactional_db, sign_in, screenshot):
    person = UserFactory(email="me@example.org")
    _take_part(person)
    sign_in(page, person.email, "a-long-test-password")
    page.get_by_role("link", name="내 참여").click()
    assert page.get_by_role("heading", level=1).inner_text() == "내 참여"
    assert page.get_by_role("heading", name="투표한 시민투표").is_visible()
    screenshot(page, "my-participation")
