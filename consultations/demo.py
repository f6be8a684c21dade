"""The 2021 「바로소통광주」 poll (30 for, 1 against), closed and published; an open demo poll."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from proposals.demo import CLIMATE_AGENDA
from proposals.models import Proposal

from . import services
from .models import Option, Poll, Result

FOR, AGAINST = "찬성", "반대"
VOTES_2021 = [FOR] * 30 + [AGAINST]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load() -> Poll:
    poll, created = Poll.objects.get_or_create(
        slug="baro-2021-ogp-action-plan",
        defaults={
            "question": "'20년 시민총회실천의제(기후위기대응)를 광주시 OGP 실행계획으로 "
            "수립하는 데 찬성하십니까?",
            "explanation": "「바로소통광주」 시민에게 묻습니다. OGP 이행과제 안건 공모에 접수된 "
            "안건으로 실행계획을 수립하는 데 대한 찬반을 묻습니다. 녹색아파트조성사업은 "
            "기후위기대응 하위 분류로, 시민총회실천의제에 포함해 의견을 수렴합니다.",
            "opens_at": _at(dt.date(2021, 3, 17), 0),
            "closes_at": _at(dt.date(2021, 3, 28), 23, 59),
            "promotion": "시민참여 독려 이벤트: 보도자료 배포, 市 SNS 및 OGP 광주 트위터, "
            "국제기후환경센터 홈페이지 홍보",
            "published_at": _at(dt.date(2021, 3, 17), 0),
        },
    )
    if created:
        poll.proposals.set(Proposal.objects.filter(title=CLIMATE_AGENDA))
        options = {
            label: Option.objects.create(poll=poll, label=label, display_order=order)
            for order, label in enumerate([FOR, AGAINST])
        }
        for number, choice in enumerate(VOTES_2021, start=1):
            voter = _demo_voter(number)
            services.poll_vote(
                poll=poll,
                user=voter,
                option_ids=[options[choice].pk],
                now=poll.opens_at + dt.timedelta(hours=7 * number),
            )
        services.poll_freeze(poll=poll)
        # Held on 「바로소통광주」, not on this portal: how many could vote is not known.
        Result.objects.filter(poll=poll).update(frozen_at=poll.closes_at, eligible=None)
    _load_open_poll()
    return poll


def _demo_voter(number: int):
    user, created = get_user_model().objects.get_or_create(
        username=f"voter-2021-{number:02d}",
        defaults={"first_name": f"2021 참여 시민 {number}(데모)", "is_active": False},
    )
    if created:
        EmailAddress.objects.create(
            user=user,
            email=f"voter-2021-{number:02d}@ogp-demo.example",
            verified=True,
            primary=True,
        )
    return user


def _load_open_poll() -> None:
    today = timezone.localdate()
    poll, created = Poll.objects.get_or_create(
        slug="demo-open-poll",
        defaults={
            "question": "광주시 OGP 포털에서 가장 먼저 공개했으면 하는 정보는 무엇입니까? (데모)",
            "explanation": "지금 누구나 시험해 볼 수 있는 데모 투표입니다. 회원가입과 이메일 "
            "인증 후 투표하면 영수증 코드를 받습니다.",
            "kind": Poll.Kind.SINGLE,
            "opens_at": _at(today - dt.timedelta(days=2), 0),
            "closes_at": _at(today + dt.timedelta(days=12), 0),
            "results": Poll.Results.LIVE,
            "is_demo": True,
            "published_at": timezone.now(),
        },
    )
    if created:
        for order, label in enumerate(
            ["회의록과 회의 자료", "이행과제 진행 상황", "예산 집행 내역", "시민 제안 처리 결과"]
        ):
            Option.objects.create(poll=poll, label=label, display_order=order)
