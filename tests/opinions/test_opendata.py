"""The opinion maps' aggregates in open data: counts per statement and shown group, no person."""

import csv
import io

from django.urls import reverse

from opinions.services import opinion_map_group
from public_site import opendata
from tests.opinions.conftest import plant


def test_open_data_holds_counts_per_statement_and_group(client, opinion_map):
    opinion_map.minimum_group_size = 50
    opinion_map.save(update_fields=["minimum_group_size"])
    statements, _planted = plant(opinion_map, (80, 60, 12))
    result = opinion_map_group(opinion_map=opinion_map)
    rows = opendata.rows("opinion-groups")
    assert len(rows) == len(statements) * len(result.groups) == len(statements) * 2
    assert {row["group"] for row in rows} == {"A", "B"}  # the small group is not there
    consensus = [r for r in rows if r["statement_id"] == statements[0].pk]
    assert all(r["consensus_rank"] == 1 and r["agree_percent"] > 60 for r in consensus)
    for row in rows:
        assert set(row) >= {"group_size", "agree", "disagree", "pass"}
        assert not ({"user", "user_id", "author", "participant"} & set(row))
    body = client.get(reverse("opendata_dataset", args=["opinion-groups", "csv"])).content
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert "statement" in header and "group_size" in header
    assert "planted-" not in body.decode()


def test_a_hidden_statement_leaves_open_data(opinion_map, secretariat):
    statements, _planted = plant(opinion_map, (30, 20, 15))
    opinion_map_group(opinion_map=opinion_map)
    statements[1].hide(by=secretariat, reason="광고")
    assert statements[1].pk not in {row["statement_id"] for row in opendata.rows("opinion-groups")}


def test_a_map_not_grouped_yet_is_not_in_open_data(opinion_map, statement):
    assert opendata.rows("opinion-groups") == []
