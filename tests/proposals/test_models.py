import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals.models import (
    TRANSITIONS,
    Call,
    Proposal,
    ProposalStatus,
)
from tests.factories import CallFactory, ProposalFactory
from tests.proposals.conftest import walk

PAIRS = list(itertools.product(ProposalStatus.values, repeat=2))
ROUTE = {
    ProposalStatus.SUBMITTED: [],
    ProposalStatus.IN_REVIEW: [ProposalStatus.IN_REVIEW],
    ProposalStatus.IN_POLL: [ProposalStatus.IN_REVIEW, ProposalStatus.IN_POLL],
}


def test_call_status_follows_its_dates(db):
    now = timezone.now()
    call = CallFactory(opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=11))
    assert call.status == Call.Status.UPCOMING
    assert call.status_at(now + dt.timedelta(days=2)) == Call.Status.OPEN
    assert call.status_at(now + dt.timedelta(days=11)) == Call.Status.CLOSED
    assert list(Call.objects.open(now + dt.timedelta(days=5))) == [call]


@pytest.mark.parametrize("source, target", [p for p in PAIRS if p[0] in ROUTE])
def test_the_model_allows_exactly_the_pipeline_steps(proposal, source, target):
    walk(proposal, *ROUTE[source])
    allowed = target in TRANSITIONS[source]
    if target == ProposalStatus.FOLDED:
        proposal.parent = ProposalFactory(call=proposal.call)
        proposal.fold_reason = "하위 분류"
        proposal.save()
    if allowed:
        proposal.move_to(target, by=None, response="사유")
        assert Proposal.objects.get(pk=proposal.pk).status == target
        assert proposal.transitions.last().to_status == target
    else:
        with pytest.raises(ValidationError):
            proposal.move_to(target, by=None, response="사유")
        assert Proposal.objects.get(pk=proposal.pk).status == source


@pytest.mark.parametrize("source, target", [p for p in PAIRS if p[0] in ROUTE and p[0] != p[1]])
def test_the_database_refuses_a_skipped_step(proposal, source, target):
    walk(proposal, *ROUTE[source])
    other = ProposalFactory(call=proposal.call)
    fields = {"status": target, "response": "사유", "parent": other, "fold_reason": "사유"}
    if target in TRANSITIONS[source]:
        Proposal.objects.filter(pk=proposal.pk).update(**fields)
        assert Proposal.objects.get(pk=proposal.pk).status == target
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            Proposal.objects.filter(pk=proposal.pk).update(**fields)


def test_a_proposal_is_born_submitted(open_call, proposer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            call=open_call,
            author=proposer,
            title="t",
            problem="p",
            solution="s",
            status=ProposalStatus.ADOPTED,
            response="r",
        )


def test_leaving_the_pipeline_needs_a_response(proposal):
    walk(proposal, ProposalStatus.IN_REVIEW, ProposalStatus.IN_POLL)
    with pytest.raises(ValidationError):
        proposal.move_to(ProposalStatus.ADOPTED, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ADOPTED)


def test_folding_needs_a_parent_and_a_reason_in_the_database(proposal):
    walk(proposal, ProposalStatus.IN_REVIEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status="folded", response="r")
