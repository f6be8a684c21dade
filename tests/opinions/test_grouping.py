"""Participants in three planted groups are found again, and what unites them comes first."""

import numpy as np
import pytest

from demo.opinions import planted_stances, planted_votes
from opinions import grouping
from opinions.models import OpinionMapResult
from opinions.services import opinion_map_group
from tests.opinions.conftest import plant, recovered_share

SIZES = (80, 60, 40)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_recovered(seed):
    stance = planted_stances(groups=3, statements=31)
    participants, statements, choices, planted = planted_votes(stance, SIZES, seed=seed)
    found = grouping.group_votes(
        participants, statements, choices, shape=(sum(SIZES), stance.shape[1])
    )
    assert found.group_count == 3
    assert recovered_share(found.labels, planted) >= 0.95
    assert grouping.consensus_order(found.agreement())[0] == 0


def test_too_few_votes_make_no_groups():
    found = grouping.group_votes(
        np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([1, -1, 1]), shape=(2, 2)
    )
    assert found.group_count == 0
    assert (found.labels == -1).all()


def test_the_stored_result_lists_the_planted_consensus_first(opinion_map):
    statements, _planted = plant(opinion_map, SIZES)
    result = opinion_map_group(opinion_map=opinion_map)
    assert [g["label"] for g in result.groups] == ["A", "B", "C"]
    sizes = [g["size"] for g in result.groups]
    assert all(abs(found - want) <= 0.05 * want for found, want in zip(sizes, SIZES, strict=True))
    assert result.participant_count == sum(SIZES)
    assert result.consensus[0] == statements[0].pk
    assert statements[0].pk not in result.divisive
    # Every other statement is agreed by one group and disagreed by the others.
    assert len(result.divisive) == len(statements) - 1
    counts = {row["id"]: row for row in result.statements}[statements[0].pk]
    assert sum(g["agree"] + g["disagree"] + g["pass"] for g in counts["groups"]) == sum(SIZES)


def test_a_group_below_the_minimum_size_is_not_stored(opinion_map):
    opinion_map.minimum_group_size = 50
    opinion_map.save(update_fields=["minimum_group_size"])
    plant(opinion_map, (80, 60, 12))
    result = opinion_map_group(opinion_map=opinion_map)
    assert result.groups and all(g["size"] >= 50 for g in result.groups)
    assert result.grouped_count == sum(g["size"] for g in result.groups) < 152
    assert all(len(row["groups"]) == len(result.groups) for row in result.statements)


def test_one_group_alone_is_not_shown(opinion_map):
    opinion_map.minimum_group_size = 70
    opinion_map.save(update_fields=["minimum_group_size"])
    plant(opinion_map, (80, 30, 20))
    result = opinion_map_group(opinion_map=opinion_map)
    assert result.groups == [] and result.consensus == [] and result.divisive == []


def test_grouping_again_replaces_the_result(opinion_map):
    plant(opinion_map, SIZES)
    first = opinion_map_group(opinion_map=opinion_map)
    second = opinion_map_group(opinion_map=opinion_map)
    assert OpinionMapResult.objects.count() == 1
    assert second.computed_at >= first.computed_at
    assert second.groups == first.groups


def test_a_map_without_votes_is_grouped_empty(opinion_map):
    result = opinion_map_group(opinion_map=opinion_map)
    assert result.participant_count == 0 and result.groups == []
