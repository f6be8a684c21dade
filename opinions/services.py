"""Writing and voting on statements, hiding them, and grouping a map's participants."""

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.markdown import visible_text

from . import grouping
from .models import Choice, OpinionMap, OpinionMapResult, Statement, StatementVote

# Letters that name the groups on the page, biggest group first.
GROUP_LABELS = "ABCDE"


def _take_part_check(*, opinion_map: OpinionMap, user) -> None:
    if not opinion_map.is_open:
        raise ValidationError(_("This opinion map is not open."))
    refusal = opinion_map.requirement_refusal(user)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def statement_write(*, opinion_map: OpinionMap, user, text: str) -> Statement:
    """A participant's new statement; its author is counted as agreeing with it."""
    _take_part_check(opinion_map=opinion_map, user=user)
    text = " ".join(text.split())
    if not visible_text(text):  # blank, or only characters that show nothing
        raise ValidationError(_("Write the statement."))
    statement = Statement(map=opinion_map, author=user, text=text)
    statement.full_clean(exclude=["map", "author"])
    statement.save()
    StatementVote.objects.create(statement=statement, user=user, choice=Choice.AGREE)
    return statement


def statement_vote(*, statement: Statement, user, choice: int) -> None:
    """Agree, disagree or pass; a second vote on the same statement replaces the first (one
    statement: an insert that updates on conflict)."""
    if choice not in Choice.values:
        raise ValidationError(_("Choose agree, disagree or pass."))
    if statement.is_hidden:
        raise ValidationError(_("This statement is hidden; it takes no votes."))
    _take_part_check(opinion_map=statement.map, user=user)
    StatementVote.objects.bulk_create(
        [StatementVote(statement=statement, user=user, choice=choice, voted_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["statement", "user"],
        update_fields=["choice", "voted_at"],
    )


@transaction.atomic
def statement_hide(*, statement: Statement, by, reason: str) -> Statement:
    """The staff hide a statement: it is no longer shown nor voted on; the reason stays."""
    if not reason.strip():
        raise ValidationError(_("Say why the statement is hidden."))
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_hidden:
        raise ValidationError(_("This statement is hidden already."))
    statement.hide(by=by, reason=reason)
    return statement


def _map_votes(opinion_map: OpinionMap) -> np.ndarray:
    """Every vote of the map, on hidden statements too, as rows (person, statement, choice)."""
    rows = StatementVote.objects.filter(statement__map=opinion_map).values_list(
        "user_id", "statement_id", "choice"
    )
    return np.fromiter(
        (value for row in rows.iterator(chunk_size=20_000) for value in row), dtype=np.int64
    ).reshape(-1, 3)


def _mixed(values: np.ndarray) -> np.ndarray:
    """Unsigned 64-bit numbers spread evenly (splitmix64's finaliser)."""
    values = (values ^ (values >> 30)) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> 27)) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> 31)


def _vote_digests(votes: np.ndarray) -> bytes:
    """Each participant's id and a digest of all their votes (the same votes, in any order, give
    the same digest), as the bytes of two rows sorted by id."""
    people, rows = np.unique(votes[:, 0], return_inverse=True)
    digests = np.zeros(len(people), dtype=np.uint64)
    np.add.at(digests, rows, _mixed((votes[:, 1] * 3 + votes[:, 2] + 1).astype(np.uint64)))
    return np.stack([people.astype(np.uint64), digests]).tobytes()


def _changed_count(before, after: bytes) -> int:
    """Participants who voted for the first time, changed a vote or left between two digests."""
    old_people, old_digests = np.frombuffer(before, dtype=np.uint64).reshape(2, -1)
    new_people, new_digests = np.frombuffer(after, dtype=np.uint64).reshape(2, -1)
    common, old_at, new_at = np.intersect1d(
        old_people, new_people, assume_unique=True, return_indices=True
    )
    unchanged = int((old_digests[old_at] == new_digests[new_at]).sum())
    return len(old_people) + len(new_people) - len(common) - unchanged


def _grouped(opinion_map: OpinionMap, votes: np.ndarray) -> dict:
    """What the map's page shows, from its votes on its shown statements."""
    statement_ids = np.array(
        Statement.objects.visible()
        .filter(map=opinion_map)
        .order_by("pk")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    votes = votes[np.isin(votes[:, 1], statement_ids)]
    people, participants = np.unique(votes[:, 0], return_inverse=True)
    columns = np.searchsorted(statement_ids, votes[:, 1])
    choices = votes[:, 2]
    found = grouping.group_votes(
        participants, columns, choices, shape=(len(people), len(statement_ids))
    )
    sizes = np.bincount(found.labels[found.labels >= 0], minlength=found.group_count)
    shown = [
        g for g in np.argsort(-sizes, kind="stable") if sizes[g] >= opinion_map.minimum_group_size
    ]
    if len(shown) < 2:
        shown = []  # one group alone tells nothing about agreement across groups
    groups = [
        {
            "label": GROUP_LABELS[i],
            "size": int(sizes[g]),
            "x": round(float(found.positions[found.labels == g, 0].mean()), 3),
            "y": round(float(found.positions[found.labels == g, 1].mean()), 3),
        }
        for i, g in enumerate(shown)
    ]
    agreement = found.agreement()[shown] if shown else np.zeros((0, len(statement_ids)))
    votes_per_statement = np.bincount(columns, minlength=len(statement_ids))
    statements = [
        {
            "id": int(pk),
            "votes": int(votes_per_statement[column]),
            "groups": [
                {
                    "agree": int(found.agree[g, column]),
                    "disagree": int(found.disagree[g, column]),
                    "pass": int(found.passes[g, column]),
                }
                for g in shown
            ],
        }
        for column, pk in enumerate(statement_ids)
    ]
    return {
        "participant_count": len(people),
        "grouped_count": int(sum(sizes[g] for g in shown)),
        "groups": groups,
        "statements": statements,
        "consensus": [int(statement_ids[c]) for c in grouping.consensus_order(agreement)]
        if shown
        else [],
        "divisive": [int(statement_ids[c]) for c in grouping.divisive_order(agreement)]
        if shown
        else [],
    }


@transaction.atomic
def opinion_map_group(*, opinion_map: OpinionMap) -> OpinionMapResult:
    """Groups the map's participants by their votes and publishes what its page shows: the
    groups of at least the minimum size, each group's votes per statement, and the statements
    that unite and divide the shown groups. Safe to run again at any time.

    A new result replaces the published one only when at least the map's minimum group size of
    participants have voted, changed a vote or left since it was published; otherwise the
    published result stays as it is. Two publications thus never differ by fewer people than
    the smallest group shown, and nobody's votes are the difference between them."""
    now = timezone.now()
    votes = _map_votes(opinion_map)
    digests = _vote_digests(votes)
    published = OpinionMapResult.objects.select_for_update().filter(map=opinion_map).first()
    if published is not None and published.published_votes is None:
        # Published before the digests were kept: the votes as they stand are the baseline.
        published.published_votes = digests
    if (
        published is not None
        and _changed_count(published.published_votes, digests) < opinion_map.minimum_group_size
    ):
        published.checked_at = now
        published.save(update_fields=["checked_at", "published_votes"])
        return published
    values = {
        **_grouped(opinion_map, votes),
        "computed_at": now,
        "checked_at": now,
        "published_votes": digests,
    }
    result, _created = OpinionMapResult.objects.update_or_create(map=opinion_map, defaults=values)
    return result


def opinion_maps_group() -> int:
    """Groups every map that is open, or closed since its votes were last read; returns how
    many."""
    due = OpinionMap.objects.public().filter(
        Q(result__checked_at__isnull=True) | Q(result__checked_at__lt=F("closes_at"))
    )
    count = 0
    for opinion_map in due:
        opinion_map_group(opinion_map=opinion_map)
        count += 1
    return count


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "opinion_statements": [
            {"map": s.map.title, "text": s.text, "created_at": s.created_at}
            for s in Statement.objects.filter(author=user).select_related("map")
        ],
        "statement_votes": [
            {"statement": v.statement.text, "vote": Choice(v.choice).label, "voted_at": v.voted_at}
            for v in StatementVote.objects.filter(user=user).select_related("statement")
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Statements stay, under "Former member"; the votes go (the next published grouping leaves
    them out)."""
    StatementVote.objects.filter(user=user).delete()
