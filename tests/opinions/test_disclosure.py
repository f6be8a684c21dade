"""Differencing: two publications of a map's groups never differ by fewer participants than the
smallest group shown, so that nobody's votes are the difference between two of them."""

import datetime as dt
import re
from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from opinions.models import Choice, OpinionMapResult, StatementVote
from opinions.services import opinion_map_group, opinion_maps_group, personal_data_erase
from public_site import opendata
from tests.opinions.conftest import plant

SIZES = (30, 20, 15)


def newcomers(statements, count, *, name="newcomer"):
    """People who vote for the first time: agree with the first ten statements."""
    User = get_user_model()
    people = User.objects.bulk_create([User(username=f"{name}-{n}") for n in range(count)])
    StatementVote.objects.bulk_create(
        [
            StatementVote(statement=s, user=p, choice=Choice.AGREE)
            for p in people
            for s in statements[:10]
        ]
    )
    return people


def published_totals() -> Counter:
    """Per statement, agree / disagree / pass summed over the groups of the open data."""
    totals = Counter()
    for row in opendata.rows("opinion-groups"):
        for choice in ("agree", "disagree", "pass"):
            totals[row["statement_id"], choice] += row[choice]
    return totals


def counts_on_page(client, opinion_map) -> str:
    """ "Participants N, of whom M are in the groups shown", with the time of the grouping."""
    page = client.get(opinion_map.get_absolute_url()).content.decode()
    counts = re.search(r'id="groups-title".*?</h2>\s*<p>(.*?)</p>', page, re.DOTALL).group(1)
    assert "참여자" in counts
    return counts


def test_one_new_participant_between_two_groupings_changes_no_published_figure(client, opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    first = opinion_map_group(opinion_map=opinion_map)
    totals, page = published_totals(), counts_on_page(client, opinion_map)
    assert first.groups and totals

    newcomers(statements, 1)
    second = opinion_map_group(opinion_map=opinion_map)
    assert published_totals() == totals  # nothing to subtract: the newcomer's votes stay unseen
    assert counts_on_page(client, opinion_map) == page
    assert (second.computed_at, second.participant_count) == (
        first.computed_at,
        first.participant_count,
    )
    assert second.checked_at > first.checked_at


def test_the_minimum_group_size_of_new_participants_publishes_a_new_result(client, opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    first = opinion_map_group(opinion_map=opinion_map)
    totals = published_totals()
    assert f"참여자 {first.participant_count}명" in counts_on_page(client, opinion_map)
    k = opinion_map.minimum_group_size

    newcomers(statements, 1)
    opinion_map_group(opinion_map=opinion_map)
    newcomers(statements, k - 2, name="second")  # k - 1 since the publication: not yet
    assert opinion_map_group(opinion_map=opinion_map).computed_at == first.computed_at
    assert published_totals() == totals

    newcomers(statements, 1, name="third")  # k since the publication
    third = opinion_map_group(opinion_map=opinion_map)
    assert third.computed_at > first.computed_at
    assert third.participant_count == first.participant_count + k
    assert published_totals() != totals
    assert f"참여자 {third.participant_count}명" in counts_on_page(client, opinion_map)


def test_changed_votes_and_departures_count_as_changes(opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    first = opinion_map_group(opinion_map=opinion_map)
    k = opinion_map.minimum_group_size
    voters = list(
        StatementVote.objects.filter(statement=statements[1])
        .order_by("user")
        .values_list("user", flat=True)[:k]
    )
    changing, leaving = voters[: k // 2], voters[k // 2 :]
    for person in changing:
        vote = StatementVote.objects.get(statement=statements[1], user=person)
        vote.choice = Choice.PASS if vote.choice != Choice.PASS else Choice.AGREE
        vote.save(update_fields=["choice"])
    for person in leaving[:-1]:
        personal_data_erase(user=get_user_model().objects.get(pk=person), now=timezone.now())
    assert opinion_map_group(opinion_map=opinion_map).computed_at == first.computed_at

    # The same vote cast again changes nothing.
    StatementVote.objects.filter(statement=statements[1], user=changing[0]).update(
        voted_at=timezone.now()
    )
    assert opinion_map_group(opinion_map=opinion_map).computed_at == first.computed_at

    personal_data_erase(user=get_user_model().objects.get(pk=leaving[-1]), now=timezone.now())
    assert opinion_map_group(opinion_map=opinion_map).computed_at > first.computed_at


def test_a_result_published_before_the_rule_is_kept_until_enough_change(opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    first = opinion_map_group(opinion_map=opinion_map)
    OpinionMapResult.objects.filter(map=opinion_map).update(published_votes=None)
    newcomers(statements, 1)
    assert opinion_map_group(opinion_map=opinion_map).computed_at == first.computed_at
    newcomers(statements, opinion_map.minimum_group_size - 1, name="second")
    assert opinion_map_group(opinion_map=opinion_map).computed_at == first.computed_at
    newcomers(statements, 1, name="third")
    assert opinion_map_group(opinion_map=opinion_map).computed_at > first.computed_at


def test_a_closed_map_read_since_closing_is_not_grouped_again(opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    opinion_map_group(opinion_map=opinion_map)
    newcomers(statements, 1)
    OpinionMapResult.objects.update(checked_at=timezone.now() - dt.timedelta(minutes=2))
    opinion_map.closes_at = timezone.now() - dt.timedelta(minutes=1)
    opinion_map.save(update_fields=["closes_at"])
    assert opinion_maps_group() == 1  # its last votes are read once, and not published
    assert opinion_maps_group() == 0


def test_the_voting_page_shows_nothing_of_others_votes(client, citizen, opinion_map, statement):
    def page():
        body = client.get(reverse("opinions:take_part", args=[opinion_map.pk])).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

    client.force_login(citizen)
    before = page()
    others = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"other-{n}") for n in range(3)]
    )
    StatementVote.objects.bulk_create(
        [StatementVote(statement=statement, user=p, choice=Choice.DISAGREE) for p in others]
    )
    assert page() == before


def test_the_admin_shows_the_published_result_without_the_digests(staff_client, opinion_map):
    plant(opinion_map, SIZES)
    opinion_map_group(opinion_map=opinion_map)
    for url in [
        reverse("admin:opinions_opinionmap_changelist"),
        reverse("admin:opinions_opinionmapresult_changelist"),
        reverse("admin:opinions_opinionmapresult_change", args=[opinion_map.pk]),
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "published_votes" not in response.content.decode()
