import datetime as dt

import pytest
from django.utils import timezone

from proposals.models import ProposalStatus
from tests.factories import CallFactory, ProposalFactory, UserFactory


@pytest.fixture
def open_call(db):
    return CallFactory(slug="open")


@pytest.fixture
def closed_call(db):
    return CallFactory(
        slug="closed",
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() - dt.timedelta(days=10),
    )


@pytest.fixture
def proposer(db):
    return UserFactory(username="proposer")


@pytest.fixture
def proposal(open_call, proposer):
    return ProposalFactory(call=open_call, author=proposer, title="녹색아파트조성사업")


def walk(proposal, *statuses, by=None, response="검토 결과 채택합니다."):
    for status in statuses:
        final = status in {ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED}
        proposal.move_to(status, by=by, response=response if final else "")
    return proposal
