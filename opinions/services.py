"""Writing and voting on statements, hiding them, and grouping a map's participants."""

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
    if not text:
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


def _vote_matrix(opinion_map: OpinionMap):
    """The map's votes on its shown statements as (participant row, statement column, choice)
    arrays, with the statement ids of the columns."""
    statement_ids = np.array(
        Statement.objects.visible()
        .filter(map=opinion_map)
        .order_by("pk")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    rows = StatementVote.objects.filter(
        statement__map=opinion_map, statement__hidden_at__isnull=True
    ).values_list("user_id", "statement_id", "choice")
    votes = np.fromiter(
        (value for row in rows.iterator(chunk_size=20_000) for value in row), dtype=np.int64
    ).reshape(-1, 3)
    people, participants = np.unique(votes[:, 0], return_inverse=True)
    columns = np.searchsorted(statement_ids, votes[:, 1])
    return participants, columns, votes[:, 2], len(people), statement_ids


@transaction.atomic
def opinion_map_group(*, opinion_map: OpinionMap) -> OpinionMapResult:
    """Groups the map's participants by their votes and stores what its page shows: the groups
    of at least the minimum size, each group's votes per statement, and the statements that
    unite and divide the shown groups. Safe to run again at any time."""
    participants, columns, choices, people, statement_ids = _vote_matrix(opinion_map)
    found = grouping.group_votes(participants, columns, choices, shape=(people, len(statement_ids)))
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
    values = {
        "computed_at": timezone.now(),
        "participant_count": people,
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
    result, _created = OpinionMapResult.objects.update_or_create(map=opinion_map, defaults=values)
    return result


def opinion_maps_group() -> int:
    """Groups every map that is open, or closed since its last grouping; returns how many."""
    due = OpinionMap.objects.public().filter(
        Q(result__isnull=True) | Q(result__computed_at__lt=F("closes_at"))
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
    """Statements stay, under "Former member"; the votes go (the next grouping leaves them out)."""
    StatementVote.objects.filter(user=user).delete()
