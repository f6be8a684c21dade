import pytest
from django.urls import reverse

from proposals.models import Proposal
from proposals.services.pipeline import proposal_fold
from tests.accessibility import contrasts
from tests.factories import CallFactory, ProposalFactory
from tests.proposals.conftest import walk


@pytest.mark.browser
def test_every_proposal_status_badge_is_readable(page, transactional_db, screenshot):
    S = Proposal.Status
    call = CallFactory()
    for path in [[], [S.IN_REVIEW], [S.IN_REVIEW, S.IN_POLL], [S.IN_REVIEW, S.IN_POLL, S.ADOPTED]]:
        walk(ProposalFactory(call=call), *path)
    walk(ProposalFactory(call=call), S.IN_REVIEW, S.NOT_ADOPTED)
    parent = ProposalFactory(call=call)
    proposal_fold(
        proposal=ProposalFactory(call=call), parent=parent, reason="같은 내용", by=None
    )

    page.goto(reverse("proposals:call_detail", args=[call.slug]))
    statuses = contrasts(page, ".proposal-status")
    assert {s["text"] for s in statuses} == {str(label) for label in S.labels}
    assert all(badge["text"] for badge in statuses)
    # Every badge of the page, the statuses and the others, reads at 4.5:1 or more.
    assert [b for b in contrasts(page, ".krds-badge") if b["ratio"] < 4.5] == []
    screenshot(page, "proposal-status-badges")
