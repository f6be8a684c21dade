"""One threshold per step, named in one place (`Call.steps`) and shown the same on every page."""

import pytest
from django.urls import reverse
from django.utils import translation

from proposals.models import SupportThreshold
from tests.factories import ProposalFactory


@pytest.fixture
def ladder(open_call):
    SupportThreshold.objects.create(
        call=open_call, supports=50, within_days=30, starts_review=True, consequence="공식 답변"
    )
    SupportThreshold.objects.create(
        call=open_call, supports=10, within_days=30, opens_debate=True, consequence="토론방"
    )
    return open_call


def test_a_review_rung_is_the_reviews_one_threshold(ladder):
    assert ladder.review_rung().supports == 50
    assert ladder.review_participants() is None  # no second threshold through the debate
    assert [step["step"] for step in ladder.steps()] == ["debate", "review"]


def test_without_a_review_rung_the_debate_participants_are_the_threshold(open_call):
    assert open_call.review_participants() == open_call.debate_review_participants
    assert [step["step"] for step in open_call.steps()] == ["review"]


@pytest.mark.parametrize(
    "language,review",
    [
        ("ko", "지지 50명이 모이면 부서 검토가 시작되고"),
        ("en", "starts at 50 supports within 30 days"),
    ],
)
def test_the_call_and_the_debate_page_name_the_same_threshold(client, ladder, language, review):
    from proposals.models import Debate

    proposal = ProposalFactory(call=ladder)
    Debate.objects.create(proposal=proposal)
    with translation.override(language):
        pages = [
            client.get(ladder.get_absolute_url()).content.decode(),
            client.get(reverse("proposals:debate", args=[proposal.pk])).content.decode(),
        ]
    steps = [page[page.index('<ol class="call-steps">') :].split("</ol>")[0] for page in pages]
    assert steps[0] == steps[1] and review in steps[0]
    assert "1000" not in steps[0] and "1,000" not in steps[0]
