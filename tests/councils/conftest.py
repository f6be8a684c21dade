import pytest

from tests.factories import (
    CommitteeMemberFactory,
    UserFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def other_lead(council):
    return WorkingGroupFactory(council=council, slug="transport").lead.user


@pytest.fixture
def committee_seat(council):
    return CommitteeMemberFactory(council=council, user=UserFactory(username="seat"))
