"""The opinion map's pages by role, bad input, and what the results page shows and costs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opinions.models import Choice, OpinionMapResult, Statement, StatementVote
from opinions.services import opinion_map_group
from tests.conftest import admin_action
from tests.opinions.conftest import plant

ROLES = ["anonymous", "unverified", "citizen", "secretariat"]
TAKING_PART = {"citizen", "secretariat"}


def refused_as(response, role):
    if role == "anonymous":
        return response.status_code == 302 and response.url.startswith(reverse("account_login"))
    if role == "unverified":
        return response.status_code == 302 and response.url == reverse("account_email")
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_list_is_public(as_role, role, opinion_map):
    response = as_role(role).get(reverse("opinions:map_list"))
    assert response.status_code == 200
    assert opinion_map.title in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_results_page_is_public(as_role, role, opinion_map):
    response = as_role(role).get(opinion_map.get_absolute_url())
    assert response.status_code == 200
    assert "주성분 분석" in response.content.decode()  # the method, explained


@pytest.mark.parametrize("role", ROLES)
def test_take_part_page(as_role, role, opinion_map, statement):
    response = as_role(role).get(reverse("opinions:take_part", args=[opinion_map.pk]))
    if role in TAKING_PART:
        assert response.status_code == 200
        assert statement.text in response.content.decode()
    else:
        assert refused_as(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_voting(as_role, role, opinion_map, statement):
    response = as_role(role).post(
        reverse("opinions:statement_vote", args=[statement.pk]), {"choice": Choice.DISAGREE}
    )
    voted = StatementVote.objects.filter(statement=statement, choice=Choice.DISAGREE)
    assert voted.exists() == (role in TAKING_PART)
    if role in TAKING_PART:
        assert response.url == reverse("opinions:take_part", args=[opinion_map.pk])
    else:
        assert refused_as(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_writing(as_role, role, opinion_map):
    response = as_role(role).post(
        reverse("opinions:statement_create", args=[opinion_map.pk]), {"text": "  설명회를 열자.  "}
    )
    written = Statement.objects.filter(map=opinion_map, text="설명회를 열자.")
    assert written.exists() == (role in TAKING_PART)
    if role in TAKING_PART:
        assert response.url == reverse("opinions:take_part", args=[opinion_map.pk])
        # Its author agrees with it.
        assert written.get().votes.get().choice == Choice.AGREE
    else:
        assert refused_as(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_hide_page(as_role, role, statement):
    response = as_role(role).get(reverse("opinions:statement_hide", args=[statement.pk]))
    if role == "secretariat":
        assert response.status_code == 200 and statement.text in response.content.decode()
    elif role == "anonymous":
        assert refused_as(response, role)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_hiding(as_role, role, statement):
    url = reverse("opinions:statement_hide", args=[statement.pk])
    response = as_role(role).post(url, {"reason": "욕설"})
    statement.refresh_from_db()
    assert statement.is_hidden == (role == "secretariat")
    if role == "secretariat":
        assert statement.hidden_reason == "욕설"
        assert response.url == statement.map.get_absolute_url()
    elif role == "anonymous":
        assert refused_as(response, role)
    else:
        assert response.status_code == 403


def test_a_second_vote_replaces_the_first(client, citizen, statement):
    client.force_login(citizen)
    url = reverse("opinions:statement_vote", args=[statement.pk])
    client.post(url, {"choice": Choice.AGREE})
    client.post(url, {"choice": Choice.PASS})
    assert list(StatementVote.objects.values_list("choice", flat=True)) == [Choice.PASS]


def test_voting_costs_what_a_support_costs(
    client, citizen, statement, django_assert_max_num_queries
):
    client.force_login(citizen)
    url = reverse("opinions:statement_vote", args=[statement.pk])
    # The session and its person, the statement with its map, the verified address, the vote.
    with django_assert_max_num_queries(5):
        client.post(url, {"choice": Choice.AGREE})
    assert StatementVote.objects.filter(user=citizen).count() == 1


def test_statements_come_one_at_a_time_until_all_are_voted(client, citizen, opinion_map):
    texts = {f"문장 {n}" for n in range(3)}
    for text in texts:
        Statement.objects.create(map=opinion_map, author=citizen, text=text)
    client.force_login(citizen)
    take_part = reverse("opinions:take_part", args=[opinion_map.pk])
    seen = set()
    for _ in texts:
        page = client.get(take_part)
        statement = page.context["statement"]
        seen.add(statement.text)
        client.post(reverse("opinions:statement_vote", args=[statement.pk]), {"choice": 1})
    assert seen == texts
    assert client.get(take_part).context["statement"] is None


@pytest.mark.parametrize(
    "data", [{}, {"choice": "2"}, {"choice": "agree"}, {"choice": "1" * 40}, {"choice": ""}]
)
def test_a_bad_vote_is_refused_with_a_message(client, citizen, statement, data):
    client.force_login(citizen)
    response = client.post(
        reverse("opinions:statement_vote", args=[statement.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert not StatementVote.objects.exists()
    assert "동의, 반대 또는 보류를 고르세요" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    # …and statements of which nothing shows: a zero-width space, a Hangul filler, the blank
    # braille cell
    ["", "   ", "가" * 141, "\x00", "\u200b", "\u3164\u200b", "\u2800"],
)
def test_a_bad_statement_is_refused_on_the_form(client, citizen, opinion_map, text):
    client.force_login(citizen)
    response = client.post(
        reverse("opinions:statement_create", args=[opinion_map.pk]), {"text": text}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Statement.objects.exists()


def test_a_hidden_statement_takes_no_vote(client, citizen, secretariat, statement):
    statement.hide(by=secretariat, reason="광고")
    client.force_login(citizen)
    client.post(reverse("opinions:statement_vote", args=[statement.pk]), {"choice": 1})
    assert not StatementVote.objects.exists()
    page = client.get(reverse("opinions:take_part", args=[statement.map_id]))
    assert page.context["statement"] is None


def test_a_closed_map_takes_no_vote(client, citizen, opinion_map, statement):
    opinion_map.closes_at = timezone.now() - dt.timedelta(minutes=1)
    opinion_map.save(update_fields=["closes_at"])
    client.force_login(citizen)
    response = client.post(reverse("opinions:statement_vote", args=[statement.pk]), {"choice": 1})
    assert response.status_code == 403
    assert not StatementVote.objects.exists()


def test_a_requirement_not_met_is_explained(client, citizen, opinion_map, statement):
    opinion_map.required_verification = "resident"
    opinion_map.save(update_fields=["required_verification"])
    client.force_login(citizen)
    page = client.get(reverse("opinions:take_part", args=[opinion_map.pk]))
    assert page.context["refusal"]
    assert statement.text not in page.content.decode()
    client.post(reverse("opinions:statement_vote", args=[statement.pk]), {"choice": 1})
    assert not StatementVote.objects.exists()


@pytest.mark.parametrize("url", ["/opinions/999999/", "/opinions/999999/take-part/"])
def test_unknown_maps_are_not_found(client, citizen, url):
    client.force_login(citizen)
    assert client.get(url).status_code == 404


def test_a_map_not_yet_open_is_not_found(client, opinion_map):
    opinion_map.opens_at = timezone.now() + dt.timedelta(days=1)
    opinion_map.closes_at = timezone.now() + dt.timedelta(days=2)
    opinion_map.save(update_fields=["opens_at", "closes_at"])
    assert client.get(opinion_map.get_absolute_url()).status_code == 404


def test_the_page_shows_groups_numbers_and_no_vote(client, opinion_map):
    statements, _planted = plant(opinion_map, (80, 60, 40))
    opinion_map_group(opinion_map=opinion_map)
    page = client.get(opinion_map.get_absolute_url()).content.decode()
    assert "<svg" in page and "<title" in page and "<desc" in page
    assert "그룹 A" in page and "그룹 C" in page
    consensus = page.index("모든 그룹이 동의하는 것")
    assert page.index(statements[0].text + "<", consensus) < page.index("그룹을 나누는 것")
    assert "planted-0-" not in page  # nobody is named


def test_a_small_group_is_not_on_the_page(client, opinion_map):
    opinion_map.minimum_group_size = 50
    opinion_map.save(update_fields=["minimum_group_size"])
    plant(opinion_map, (80, 60, 12))
    result = opinion_map_group(opinion_map=opinion_map)
    page = client.get(opinion_map.get_absolute_url()).content.decode()
    assert len(result.groups) == 2
    assert "그룹 C" not in page


@pytest.mark.parametrize("sizes", [(20, 15, 12), (80, 60, 40)])
def test_the_page_reads_the_stored_result(
    client, opinion_map, sizes, django_assert_max_num_queries
):
    plant(opinion_map, sizes)
    opinion_map_group(opinion_map=opinion_map)
    with django_assert_max_num_queries(4):
        response = client.get(opinion_map.get_absolute_url())
    assert response.context["picture"]


def test_staff_group_a_map_again_from_the_admin(staff_client, opinion_map):
    plant(opinion_map, (30, 20, 15))
    admin_action(staff_client, "group_again", [opinion_map])
    assert OpinionMapResult.objects.get(map=opinion_map).groups


def test_the_debate_links_its_opinion_map(client, opinion_map):
    from proposals.models import Debate
    from tests.factories import ProposalFactory

    debate = Debate.objects.create(proposal=ProposalFactory(), opinion_map=opinion_map)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert opinion_map.get_absolute_url() in page
