"""A DBA's attacks on the secret ballot, on PostgreSQL: joins, transaction ids, physical order.

The DBA reads every tuple on disk with pageinspect, live or dead (old row versions that VACUUM
has not removed yet), with its transaction id (xmin) and its place (ctid). The test knows who
chose what, and counts the ballots that each attack ties to one voter: none.
"""

from collections import Counter

import pytest
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, BallotChoice, Envelope, Participation, Poll
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory

BATCH = 4
VOTERS = 16
TABLES = {
    "ballot": Ballot._meta.db_table,
    "choice": BallotChoice._meta.db_table,
    "envelope": Envelope._meta.db_table,
    "participation": Participation._meta.db_table,
}


def on_disk(table: str) -> list[tuple[int, tuple[int, int], bytes]]:
    """(xmin, (page, item), raw data) of every tuple version stored in the table's pages."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t_xmin::text::bigint, blk, lp, t_data "
            "FROM generate_series(0, pg_relation_size(%s) / current_setting('block_size')::int - 1)"
            " AS blk, LATERAL heap_page_items(get_raw_page(%s, blk::int)) "
            "WHERE t_data IS NOT NULL ORDER BY blk, lp",
            [table, table],
        )
        return [(xmin, (blk, lp), bytes(data)) for xmin, blk, lp, data in cursor.fetchall()]


def voters_by_xmin() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text::bigint, user_id FROM {TABLES['participation']}")  # noqa: S608
        return dict(cursor.fetchall())


def linked_by_xmin(ballot_xmins: list[int], participations: dict[int, int]) -> int:
    """Voters whose transaction id is equal or next to that of exactly one ballot."""
    linked = 0
    for xmin in participations:
        near = [b for b in ballot_xmins if abs(b - xmin) <= 2]
        linked += len(near) == 1
    return linked


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dba_links_no_ballot_to_its_voter(postgres, settings):
    settings.POLL_BALLOTS_PER_BATCH = BATCH
    settings.POLL_COUNT_WITHIN_SECONDS = 30 * 24 * 3600  # batches by size only, here
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    poll = PollFactory(slug="secret")
    people = [UserFactory(username=f"secret{n}") for n in range(VOTERS)]
    vote_order, chose = [], {}
    for n, person in enumerate(people):
        label = "찬성" if n < VOTERS // 2 else "반대"  # kept order would give every vote away
        receipt = services.poll_vote(poll=poll, user=person, option_ids=option_ids(poll, label))
        vote_order.append(receipt)
        chose[person.pk] = label

        # Right after the vote, before any count: no ballot exists anywhere on disk.
        assert on_disk(TABLES["ballot"]) == [] and on_disk(TABLES["choice"]) == []
        # The envelope shares the vote's transaction id, but holds nothing readable.
        xmin = next(x for x, user in voters_by_xmin().items() if user == person.pk)
        mine = [data for x, _, data in on_disk(TABLES["envelope"]) if x == xmin]
        assert len(mine) == 1
        assert receipt.encode() not in mine[0] and label.encode() not in mine[0]
        assert len({len(data) for _, _, data in on_disk(TABLES["envelope"])}) == 1

    # Beat's count: 16 envelopes wait, a random 12 go into the box, 4 wait for the next batch.
    assert services.polls_count() == VOTERS - BATCH
    services.envelopes_vacuum()
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    result = services.poll_freeze(poll=poll)
    services.envelopes_vacuum()
    assert result.ballots == VOTERS and services.polls_drift(polls=[poll]) == []

    participations = voters_by_xmin()
    ballots = on_disk(TABLES["ballot"])
    choices = on_disk(TABLES["choice"])
    # The voters' and two batches' blank ones; no dead version either: written once.
    assert len(ballots) == VOTERS + 2 * BATCH

    # 1. Same transaction id as a participation: none.
    assert {x for x, _, _ in ballots + choices}.isdisjoint(participations)
    # 2. A transaction id next to a voter's and to no other ballot's: none.
    assert linked_by_xmin([x for x, _, _ in ballots], participations) == 0
    assert linked_by_xmin([x for x, _, _ in choices], participations) == 0
    # 3. Every ballot shares its transaction id with at least a batch of others.
    assert min(Counter(x for x, _, _ in ballots).values()) >= BATCH
    # 4. The order in the table is not the order of voting.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT receipt FROM {TABLES['ballot']} ORDER BY ctid")  # noqa: S608
        stored = [receipt for (receipt,) in cursor.fetchall() if receipt in vote_order]
    assert sorted(stored) == sorted(vote_order)
    assert stored not in (vote_order, vote_order[::-1])
    # 5. The day of a participation meets no date on the ballot side.
    for table in ["ballot", "choice", "envelope"]:
        with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLES['participation']} p "  # noqa: S608
                f"JOIN {TABLES[table]} b ON b.day = p.day"
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name = ANY(%s) AND (data_type LIKE 'date%%' OR data_type LIKE 'time%%')",
            [[TABLES["ballot"], TABLES["choice"], TABLES["envelope"]]],
        )
        assert cursor.fetchall() == []
    # 6. Opened envelopes are gone from the disk, dead versions included.
    assert on_disk(TABLES["envelope"]) == []
    # What the box says is still right: the counts are those of the choices made.
    assert dict(result.counts) == dict(Counter(chose.values()))
