"""The step from the proposals' list into the action plan: adopted proposals become commitments."""

from plans.models import ActionPlan, Commitment
from proposals.models import Review
from tests.conftest import admin_action
from tests.proposals.conftest import walk


def act(client, action, proposals, **fields):
    return admin_action(client, action, proposals, fields, follow=True)


def test_an_adopted_proposal_becomes_a_commitment(staff_client, proposal):
    ActionPlan.objects.create(
        title="실행계획", slug="p", starts_on="2021-04-01", ends_on="2030-12-31"
    )
    page = act(staff_client, "make_commitment", [proposal]).content.decode()
    assert "채택된 제안만" in page and not Commitment.objects.exists()
    Review.objects.create(
        proposal=proposal, department="기후환경정책과", starts_on="2021-03-05", ends_on="2021-03-09"
    )
    walk(proposal, "in_review", "in_poll", "adopted", response="찬성 30 반대 1")
    act(staff_client, "make_commitment", [proposal])
    commitment = Commitment.objects.get()
    assert (commitment.proposal, commitment.lead_agency) == (proposal, "기후환경정책과")
    page = act(staff_client, "make_commitment", [proposal]).content.decode()
    assert "이미 이행과제" in page and Commitment.objects.count() == 1


def test_an_ended_plan_takes_no_new_commitment_and_the_staff_are_told_why(staff_client, proposal):
    ActionPlan.objects.create(
        title="2021 실행계획", slug="p", starts_on="2021-04-01", ends_on="2022-07-31"
    )
    walk(proposal, "in_review", "in_poll", "adopted", response="찬성 30 반대 1")
    answer = act(staff_client, "make_commitment", [proposal])
    assert answer.status_code == 200
    assert "2022-07-31에 끝났습니다" in answer.content.decode()
    assert not Commitment.objects.exists()
