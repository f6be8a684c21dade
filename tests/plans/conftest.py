import pytest

from councils.models import MemberCategory
from tests.factories import (
    CallFactory,
    CommitmentFactory,
    CommitteeMemberFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def proposal(db):
    return ProposalFactory(
        call=CallFactory(slug="open"),
        author=UserFactory(username="proposer"),
        title="녹색아파트조성사업",
    )


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.fixture
def commitment(db):
    return CommitmentFactory()


@pytest.fixture
def lead(commitment):
    group = WorkingGroupFactory(
        lead=CommitteeMemberFactory(
            category=MemberCategory.CIVIL_SOCIETY, user=UserFactory(username="lead")
        )
    )
    commitment.working_groups.add(group)
    return group.lead.user
