import pytest

from tests.factories import (
    CommitteeMemberFactory,
    CouncilFactory,
    GroupMembershipFactory,
    UserFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def council(db):
    return CouncilFactory()


@pytest.fixture
def group(council):
    return WorkingGroupFactory(council=council, slug="energy", name="에너지 워킹그룹")


@pytest.fixture
def lead(group):
    return group.lead.user


@pytest.fixture
def member(group):
    person = UserFactory(username="member", first_name="참여시민")
    GroupMembershipFactory(group=group, user=person)
    return person


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")


@pytest.fixture
def other_lead(council):
    return WorkingGroupFactory(council=council, slug="transport").lead.user


@pytest.fixture
def secretariat(db):
    return UserFactory(username="secretariat", is_staff=True)


@pytest.fixture
def committee_seat(council):
    return CommitteeMemberFactory(council=council, user=UserFactory(username="seat"))
