"""Many clicks at once on one row, with real threads on PostgreSQL: one change, one e-mail."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from councils import services as councils
from councils.models import Meeting
from outbox.models import Message
from proposals.models import Proposal, ProposalStatus, Transition
from proposals.services.debate import comment_post, debate_open
from proposals.services.pipeline import proposal_move
from tests import conftest
from tests.factories import GroupMembershipFactory, MeetingFactory, ProposalFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(count: int, work) -> list:
    """Runs `work(n)` in `count` threads released together; returns what each raised."""
    outcomes = conftest.at_once(*[partial(work, n) for n in range(count)])
    # A refusal in words is what the losers of a race should get.
    return [
        outcome
        for outcome in outcomes
        if isinstance(outcome, Exception) and not isinstance(outcome, ValidationError)
    ]


def test_twenty_clicks_on_a_transition_record_one_step_and_one_email(postgres):
    proposal = ProposalFactory()
    staff = UserFactory(is_staff=True)
    Message.objects.all().delete()

    def move(status):
        def work(n):
            stale = Proposal.objects.get(pk=proposal.pk)  # each click loaded the page before
            proposal_move(proposal=stale, status=status, by=staff)

        return work

    assert at_once(20, move(ProposalStatus.IN_REVIEW)) == []
    assert at_once(20, move(ProposalStatus.IN_POLL)) == []
    assert Transition.objects.filter(proposal=proposal).count() == 2
    assert Message.objects.filter(recipient=proposal.author).count() == 2
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_POLL


def test_twenty_clicks_on_postpone_change_the_meeting_once(postgres):
    meeting = MeetingFactory(published_at=None)
    councils.meeting_publish(meeting=Meeting.objects.get(pk=meeting.pk))
    GroupMembershipFactory(group=meeting.group)

    def postpone(n):
        councils.meeting_postpone(meeting=Meeting.objects.get(pk=meeting.pk))

    assert at_once(20, postpone) == []
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED and meeting.revision == 1


def test_fifty_joins_and_leaves_at_once_never_clash(postgres):
    person = UserFactory()
    group = GroupMembershipFactory().group

    def click(n):
        if n % 2:
            councils.group_join(group=group, user=person)
        else:
            councils.group_leave(group=group, user=person)

    assert at_once(50, click) == []
    assert group.memberships.active().filter(user=person).count() <= 1


def test_thirty_first_comments_at_once_count_thirty_and_start_one_review(postgres):
    from proposals.models import Debate, Review

    proposal = ProposalFactory()
    call = proposal.call
    call.debate_review_participants = 20
    call.save(update_fields=["debate_review_participants"])
    debate = debate_open(proposal=proposal)
    people = UserFactory.create_batch(30)

    def comment(n):
        comment_post(debate=debate, author=people[n], body=f"의견 {n}")

    assert at_once(30, comment) == []
    debate = Debate.objects.get(pk=debate.pk)
    assert debate.participant_count == 30 and debate.participants.count() == 30
    assert Review.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW
