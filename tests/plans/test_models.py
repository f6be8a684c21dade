from plans.models import Commitment, Completion, Milestone
from tests.factories import CommitmentFactory


def test_progress_rolls_up_from_milestones(db):
    commitment = CommitmentFactory()
    for level in (
        Completion.COMPLETED,
        Completion.SUBSTANTIAL,
        Completion.NOT_STARTED,
        Completion.LIMITED,
    ):
        Milestone.objects.create(commitment=commitment, title=level, completion=level)
    assert Commitment.objects.with_progress().get().progress == 50
