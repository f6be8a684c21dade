import datetime as dt

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.opinions import planted_stances, planted_votes
from opinions.models import OpinionMap, Statement, StatementVote
from tests.factories import UserFactory


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.fixture
def opinion_map(db):
    now = timezone.now()
    return OpinionMap.objects.create(
        title="시민 햇빛발전소",
        question="공공건물 옥상을 시민 햇빛발전에 빌려줄까요?",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )


@pytest.fixture
def statement(opinion_map, citizen):
    return Statement.objects.create(map=opinion_map, author=citizen, text="옥상 임대를 공개하자.")


def plant(opinion_map, sizes, *, statements=31, seed=0):
    """Participants in planted groups who vote on the map's statements as their group stands
    (statement 0 agreed by all). Returns the statements and each person's planted group."""
    User = get_user_model()
    people = User.objects.bulk_create(
        [User(username=f"planted-{seed}-{n}") for n in range(sum(sizes))]
    )
    author = people[0]
    rows = Statement.objects.bulk_create(
        [Statement(map=opinion_map, author=author, text=f"문장 {n}") for n in range(statements)]
    )
    stance = planted_stances(groups=len(sizes), statements=statements)
    participants, columns, choices, planted = planted_votes(stance, sizes, seed=seed)
    StatementVote.objects.bulk_create(
        [
            StatementVote(statement=rows[c], user=people[p], choice=int(v))
            for p, c, v in zip(participants, columns, choices, strict=True)
        ],
        batch_size=5000,
    )
    return rows, {person.pk: int(group) for person, group in zip(people, planted, strict=True)}


def recovered_share(found: np.ndarray, planted: np.ndarray) -> float:
    """Share of participants placed in the found group that stands for their planted group
    (the one most of that planted group landed in; each planted group needs its own)."""
    matched = {}
    for group in np.unique(planted):
        labels = found[planted == group]
        labels = labels[labels >= 0]
        matched[group] = int(np.bincount(labels).argmax()) if len(labels) else -1
    assert len(set(matched.values())) == len(matched), "two planted groups merged"
    return float(np.mean([found[i] == matched[g] for i, g in enumerate(planted)]))
