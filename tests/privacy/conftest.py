import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from consultations.services import poll_vote
from councils.models import MinutesComment
from councils.services import group_join, membership_name_show
from outbox.models import Message
from privacy.models import Consent
from privacy.services import consents_record
from proposals.services.supports import proposal_support
from tests.factories import (
    GroupMembershipFactory,
    MessageFactory,
    MinutesFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def person(db):
    """A citizen who did a bit of everything, with a name Kakao or Naver filled in."""
    user = UserFactory(username="hong", first_name="길동", last_name="홍", email="hong@example.org")
    consents_record(user=user, kinds=[Consent.Kind.TERMS, Consent.Kind.PRIVACY])
    group = WorkingGroupFactory(slug="energy", name="에너지 워킹그룹")
    group_join(group=group, user=user)
    membership_name_show(group=group, user=user, show=True)
    ProposalFactory(author=user, title="태양광 지붕 지도", contact="010-1234-5678")
    other = ProposalFactory(title="공원 그늘막")
    proposal_support(proposal=other, user=user)
    poll = PollFactory(question="자전거 도로를 넓힐까요?")
    user.receipt = poll_vote(poll=poll, user=user, option_ids=[poll.options.first().pk])
    minutes = MinutesFactory()
    MinutesComment.objects.create(minutes=minutes, author=user, body="3쪽 수치를 고쳐 주세요.")
    SocialAccount.objects.create(
        user=user, provider="kakao", uid="12345", extra_data={"id": "12345"}
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "s"})
    MessageFactory(key="test:pending", recipient=user, subject="회의 알림")
    MessageFactory(
        key="test:sent",
        recipient=user,
        subject="지난 알림",
        status=Message.Status.SENT,
        sent_at=timezone.now(),
    )
    return user


@pytest.fixture
def listed_member(db):
    membership = GroupMembershipFactory(user=UserFactory(first_name="공개회원"), show_name=True)
    return membership.user
