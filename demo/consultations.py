"""The 2021 「바로소통광주」 poll (30 for, 1 against), closed and published; open demo polls.

Also a 2021-style poll voted online and at two community-centre booths, its result shown per
channel, and an open poll for Gwangju residents with a booth whose officer is the demo lead.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations import services
from consultations.models import Booth, Option, Poll, Result
from proposals.models import Proposal
from verification.models import Method

from .proposals import CLIMATE_AGENDA

FOR, AGAINST = "찬성", "반대"
VOTES_2021 = [FOR] * 30 + [AGAINST]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(*, accounts=None) -> Poll:
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
        Result.objects.filter(poll=poll).update(
            frozen_at=poll.closes_at, eligible=None, eligible_basis=""
        )
    _load_open_poll()
    _load_onsite_poll()
    _load_resident_poll(officer=(accounts or {}).get("lead"))
    return poll


def _demo_voter(number: int, prefix: str = "voter-2021"):
    user, created = get_user_model().objects.get_or_create(
        username=f"{prefix}-{number:02d}",
        defaults={"first_name": f"2021 참여 시민 {number}(데모)", "is_active": False},
    )
    if created:
        EmailAddress.objects.create(
            user=user,
            email=f"{prefix}-{number:02d}@ogp-demo.example",
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


# On site: (booth, place, [(made-up voter: name, date of birth, district)], (for, against)).
ONSITE_2021 = [
    (
        "용봉동 행정복지센터",
        "북구 용봉로 77",
        [
            ("주민갑", "1960-02-01", "buk"),
            ("주민을", "1971-06-12", "buk"),
            ("주민병", "1988-09-09", "buk"),
        ],
        (2, 1),
    ),
    (
        "수완동 행정복지센터",
        "광산구 장신로 82",
        [("주민정", "1999-03-30", "gwangsan"), ("주민무", "1966-11-11", "gwangsan")],
        (2, 0),
    ),
]
ONLINE_2021 = [FOR] * 6 + [AGAINST] * 2


def _load_onsite_poll() -> None:
    """A 2021-style poll voted online and at two booths; its result adds up per channel."""
    poll, created = Poll.objects.get_or_create(
        slug="demo-2021-onsite",
        defaults={
            "question": "광주 OGP 실행계획 시민 투표: 온라인과 행정복지센터 현장 투표 (데모)",
            "explanation": "2021년 방식의 시민 투표를 온라인과 행정복지센터 투표소에서 함께 "
            "진행한 데모입니다. 결과는 경로별(온라인, 투표소별)로 합산해 공개합니다.",
            "opens_at": _at(dt.date(2021, 4, 5), 9),
            "closes_at": _at(dt.date(2021, 4, 16), 18),
            "published_at": _at(dt.date(2021, 4, 5), 9),
            "is_demo": True,
            # Small enough for the demo's few voters to show one merged row of booths.
            "disclosure_minimum": 3,
        },
    )
    if not created:
        return
    options = {
        label: Option.objects.create(poll=poll, label=label, display_order=order)
        for order, label in enumerate([FOR, AGAINST])
    }
    for number, choice in enumerate(ONLINE_2021, start=1):
        services.poll_vote(
            poll=poll,
            user=_demo_voter(number, prefix="voter-2021-onsite"),
            option_ids=[options[choice].pk],
            now=poll.opens_at + dt.timedelta(hours=5 * number),
        )
    for name, place, voters, (votes_for, votes_against) in ONSITE_2021:
        booth = Booth.objects.create(
            poll=poll, name=name, place=place, opening_hours="평일 09:00–18:00"
        )
        for voter, born, district in voters:
            services.booth_participation_record(
                booth=booth,
                name=voter,
                birth_date=dt.date.fromisoformat(born),
                district=district,
                id_checked=True,
                now=poll.opens_at + dt.timedelta(days=2),
            )
        services.booth_totals_enter(
            booth=booth,
            ballots=len(voters),
            invalid=0,
            votes={options[FOR].pk: votes_for, options[AGAINST].pk: votes_against},
        )
    services.poll_freeze(poll=poll)
    Result.objects.filter(poll=poll).update(
        frozen_at=poll.closes_at, eligible=None, eligible_basis=""
    )


def _load_resident_poll(*, officer) -> None:
    """An open poll for Gwangju residents (from age 14), with a booth the demo lead runs."""
    today = timezone.localdate()
    poll, created = Poll.objects.get_or_create(
        slug="demo-resident-poll",
        defaults={
            "question": "광주천 산책로에 야간 조명을 늘리는 데 찬성하십니까? (광주 주민 데모)",
            "explanation": "광주 주민 확인을 한 분만 참여할 수 있는 데모 투표입니다. 본인 확인 "
            "페이지에서 주민 명부로 확인하거나, 행정복지센터 투표소에서 투표하세요.",
            "required_verification": Method.RESIDENT,
            "minimum_age": 14,
            "opens_at": _at(today - dt.timedelta(days=1), 0),
            "closes_at": _at(today + dt.timedelta(days=13), 0),
            "is_demo": True,
            "published_at": timezone.now(),
        },
    )
    if not created:
        return
    for order, label in enumerate([FOR, AGAINST]):
        Option.objects.create(poll=poll, label=label, display_order=order)
    booth = Booth.objects.create(
        poll=poll,
        name="충장동 행정복지센터",
        place="동구 충장로 88",
        opening_hours="평일 09:00–18:00",
    )
    if officer is not None:
        booth.officers.add(officer)
