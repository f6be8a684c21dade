import pytest
from django.utils import timezone

from councils.models import Meeting
from plans.models import Milestone
from proposals.models import Review
from tests.factories import CommitmentFactory, MeetingFactory, MinutesFactory
from tests.proposals.conftest import walk


def test_the_commitment_page_links_back_to_its_whole_chain(client, proposal, group):
    Review.objects.create(
        proposal=proposal, department="혁신소통기획관", starts_on="2021-03-05", ends_on="2021-03-09"
    )
    walk(proposal, "in_review", "in_poll", "adopted", response="찬성 30 반대 1")
    minutes = MinutesFactory(meeting__group=group, status="published", published_at=timezone.now())
    commitment = CommitmentFactory(proposal=proposal)
    commitment.meetings.add(minutes.meeting)
    html = client.get(commitment.get_absolute_url()).content.decode()
    for url in (
        proposal.call.get_absolute_url(),
        proposal.get_absolute_url(),
        f"#review-{proposal.reviews.get().pk}",
        minutes.meeting.get_absolute_url(),
    ):
        assert url in html


@pytest.mark.parametrize("size", [1, 6])
def test_plan_and_commitment_query_counts(client, size, group, django_assert_num_queries):
    commitments = CommitmentFactory.create_batch(size)
    for c in commitments:
        for n in range(size):
            Milestone.objects.create(commitment=c, title=f"m{n}")
        c.working_groups.add(group)
        c.meetings.add(MeetingFactory(group=group, published_at=timezone.now()))
    with django_assert_num_queries(5):  # the plan, its commitments, its draft, completion
        client.get(commitments[0].plan.get_absolute_url())
    with django_assert_num_queries(7):
        client.get(commitments[0].get_absolute_url())
    assert Meeting.objects.count() == size


def test_the_commitment_page_links_to_its_poll(client, proposal):
    from tests.factories import PollFactory

    walk(proposal, "in_review", "in_poll")
    poll = PollFactory(question="실행계획으로 수립하는 데 찬성하십니까?")
    poll.proposals.add(proposal)
    walk(proposal, "adopted", response="찬성 30 반대 1")
    commitment = CommitmentFactory(proposal=proposal)
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert poll.get_absolute_url() in html
    assert poll.get_absolute_url() in client.get(proposal.get_absolute_url()).content.decode()


def test_the_proposal_page_names_the_commitment_it_became(client, proposal):
    assert (
        "/participate/commitments/" not in client.get(proposal.get_absolute_url()).content.decode()
    )
    walk(proposal, "in_review", "in_poll", "adopted", response="찬성 30 반대 1")
    commitment = CommitmentFactory(proposal=proposal)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert commitment.get_absolute_url() in html
