"""One phone, one census entry: concurrent attempts from many accounts verify one (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from ogp_portal.verification import services
from ogp_portal.verification.models import Verification, phone_key
from tests.factories import UserFactory
from tests.ogp_portal.verification.conftest import KIM, RESIDENTS_CSV

ACCOUNTS = 20


def race(work, people) -> list[str]:
    start = threading.Barrier(len(people))
    outcomes, lock = [], threading.Lock()

    def attempt(person):
        try:
            start.wait()
            try:
                work(person)
                outcome = "verified"
            except ValidationError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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
