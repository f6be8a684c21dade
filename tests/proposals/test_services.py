import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox import tasks as outbox_tasks
from outbox.models import Message
from proposals.models import Proposal, ProposalStatus, SupportThreshold, ThresholdReached
from proposals.services.calls import calls_announce
from proposals.services.pipeline import (
    proposal_fold,
    proposal_move,
    proposal_respond,
    proposal_submit,
    proposal_update,
)
from proposals.services.supports import proposal_support
from tests.factories import ProposalFactory, UserFactory


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Runs a service and delivers what it queued, as a worker would."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def new_proposal(call):
    return Proposal(call=call, title="시민 햇빛발전소", problem="문제", solution="해결책")


def test_submitting_to_an_open_call_thanks_the_proposer(open_call, proposer, send):
    proposal = send(proposal_submit, proposal=new_proposal(open_call), author=proposer)
    assert proposal.pk and proposal.status == ProposalStatus.SUBMITTED
    (message,) = mail.outbox
    assert message.to == [proposer.email]
    assert "시민 햇빛발전소" in message.subject


@pytest.mark.parametrize("which", ["closed_call", "upcoming"])
def test_nothing_is_accepted_outside_the_call(request, proposer, which):
    if which == "upcoming":
        call = request.getfixturevalue("open_call")
        call.opens_at = timezone.now() + dt.timedelta(days=1)
        call.save()
    else:
        call = request.getfixturevalue(which)
    with pytest.raises(ValidationError):
        proposal_submit(proposal=new_proposal(call), author=proposer)
    assert not Proposal.objects.exists()


def test_the_proposer_hears_of_every_step_and_of_the_response(proposal, secretariat, send):
    send(proposal_move, proposal=proposal, status="in_review", by=secretariat)
    send(proposal_move, proposal=proposal, status="in_poll", by=secretariat)
    send(
        proposal_respond, proposal=proposal, response="시민 투표 결과 채택", by=secretariat
    )
    send(proposal_move, proposal=proposal, status="adopted", by=secretariat)
    assert [m.to for m in mail.outbox] == [[proposal.author.email]] * 4
    assert "채택" in mail.outbox[-1].subject
    assert "시민 투표 결과 채택" in mail.outbox[-1].body


def test_one_support_per_person_counted_on_write(proposal, citizen):
    assert proposal_support(proposal=proposal, user=citizen)
    assert not proposal_support(proposal=proposal, user=citizen)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    with pytest.raises(ValidationError):
        proposal_support(proposal=proposal, user=proposal.author)


def test_reaching_a_rung_moves_the_proposal_and_tells_the_secretariat(proposal, secretariat, send):
    rung = SupportThreshold.objects.create(
        call=proposal.call, supports=3, within_days=30, consequence="공식 답변", starts_review=True
    )
    for n in range(3):
        send(proposal_support, proposal=proposal, user=UserFactory(username=f"s{n}"))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert ThresholdReached.objects.get().threshold == rung
    assert [secretariat.email] in [m.to for m in mail.outbox]
    assert "3" in proposal.transitions.get().note


def test_a_rung_counts_only_supports_within_its_days(proposal):
    SupportThreshold.objects.create(
        call=proposal.call, supports=1, within_days=30, consequence="답변", starts_review=True
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=31)
    )
    proposal.refresh_from_db()
    proposal_support(proposal=proposal, user=UserFactory())
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not ThresholdReached.objects.exists()


def test_folding_keeps_both_and_links_them(proposal, secretariat):
    parent = ProposalFactory(call=proposal.call, title="시민총회 실천의제")
    proposal_fold(proposal=proposal, parent=parent, reason="하위 분류", by=secretariat)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FOLDED and proposal.parent == parent
    assert list(parent.children.all()) == [proposal]
    assert proposal.response == "하위 분류"
    assert Proposal.objects.count() == 2
    with pytest.raises(ValidationError):
        proposal_fold(proposal=parent, parent=proposal, reason="x", by=secretariat)


def test_editing_stops_when_review_starts(proposal):
    proposal.title = "고친 제목"
    proposal_update(proposal=proposal, fields=["title"])
    proposal.move_to(ProposalStatus.IN_REVIEW, by=None)
    proposal.title = "또 고친 제목"
    with pytest.raises(ValidationError):
        proposal_update(proposal=proposal, fields=["title"])
    assert Proposal.objects.get(pk=proposal.pk).title == "고친 제목"


def test_followers_hear_once_when_a_call_opens_and_closes(open_call, citizen, send):
    open_call.followers.add(citizen)
    assert send(calls_announce) == 1
    assert send(calls_announce) == 0
    later = open_call.closes_at + dt.timedelta(minutes=1)
    assert send(calls_announce, now=later) == 1
    assert send(calls_announce, now=later) == 0
    assert len(mail.outbox) == 2
    assert "열렸" in mail.outbox[0].subject or "open" in mail.outbox[0].subject


def test_a_retried_delivery_never_mails_twice(proposal, secretariat, send):
    send(proposal_move, proposal=proposal, status="in_review", by=secretariat)
    email = Message.objects.get()
    outbox_tasks.drain_outbox.apply()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Message.Status.SENT


def test_a_call_for_residents_refuses_a_proposer_verified_only_by_email(open_call, proposer):
    from verification.models import Method

    open_call.required_verification = Method.RESIDENT
    open_call.save(update_fields=["required_verification"])
    with pytest.raises(ValidationError, match="광주 주민"):
        proposal_submit(proposal=new_proposal(open_call), author=proposer)
    assert not Proposal.objects.exists()
