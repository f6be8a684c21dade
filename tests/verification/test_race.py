"""One phone, one census entry: concurrent attempts from many accounts verify one (PostgreSQL)."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import at_once
from tests.factories import UserFactory
from tests.verification.conftest import KIM, RESIDENTS_CSV
from verification import services
from verification.models import Verification, phone_key

ACCOUNTS = 20


def race(work, people) -> list[str]:
    """What each person's attempt came to, all made at once: "verified" or "refused"."""
    return [
        "refused"
        if isinstance(outcome, ValidationError)
        else repr(outcome)  # a failure, not an answer
        if isinstance(outcome, Exception)
        else "verified"
        for outcome in at_once(*[partial(work, person) for person in people], timeout=60)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_census_entry_verifies_one_of_many_accounts_at_once(postgres):
    services.residents_import(data=RESIDENTS_CSV)
    people = [UserFactory(username=f"census-{n}") for n in range(ACCOUNTS)]
    outcomes = race(lambda person: services.resident_verify(user=person, **KIM), people)
    assert sorted(outcomes) == ["refused"] * (ACCOUNTS - 1) + ["verified"]
    assert Verification.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_phone_verifies_one_of_many_accounts_at_once(postgres):
    key = phone_key("010-7777-8888")
    people = [UserFactory(username=f"phone-{n}") for n in range(ACCOUNTS)]
    outcomes = race(
        lambda person: services.verification_grant(user=person, method="phone", identity_key=key),
        people,
    )
    assert sorted(outcomes) == ["refused"] * (ACCOUNTS - 1) + ["verified"]
    assert Verification.objects.filter(identity_key=key).count() == 1
