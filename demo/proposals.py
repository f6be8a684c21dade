"""The 2021 call, its two proposals, their review, folding and adoption.

Facts from the source document (혁신소통기획관-4000); the present-day call is marked as demo.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from proposals.models import (
    Area,
    Call,
    Comment,
    Debate,
    DebateParticipant,
    Proposal,
    ProposalStatus,
    Review,
    SupportThreshold,
)

CALL_SLUG = "ogp-2021"

AREAS = ["기후위기 대응", "에너지", "도시녹화", "수송", "농축산", "자원순환", "시민참여"]
GREEN_APARTMENTS = "녹색아파트조성사업"
CLIMATE_AGENDA = "'20년 시민총회실천의제(기후위기대응) 추진"
FOLD_REASON = "녹색아파트조성사업은 기후위기대응 하위 분류로, 시민총회실천의제에 포함해 의견 수렴"
ADOPTION_RESPONSE = (
    "「바로소통광주」 시민에게 묻습니다(2021. 3. 17. ~ 28.) 의견 수렴 결과 "
    "찬성 30명, 반대 1명으로 공모안건 「'20년 시민총회실천의제(기후위기대응)」를 "
    "OGP 실행계획으로 채택했습니다(2021. 3. 29.)."
)


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(*, accounts: dict) -> Call:
    areas = {
        name: Area.objects.update_or_create(name=name, defaults={"display_order": order})[0]
        for order, name in enumerate(AREAS, start=1)
    }
    # The 2021 steps were taken by the city's office, as the source records them (the demo's
    # staff account is today's secretariat, not the author of that history).
    office, _ = get_user_model().objects.get_or_create(
        username="city-office-2021",
        defaults={"first_name": "광주광역시 혁신소통기획관", "is_active": False},
    )
    proposer, _ = get_user_model().objects.get_or_create(
        username="proposer-2021", defaults={"first_name": "제안자(데모)", "is_active": False}
    )
    call, _ = Call.objects.update_or_create(
        slug=CALL_SLUG,
        defaults={
            "title": "OGP 이행과제 안건 공모",
            "description": (
                "광주광역시 OGP 실행계획에 담을 이행과제 안건을 시민과 단체로부터 10일간 "
                "공모합니다."
            ),
            "opens_at": _at(dt.date(2021, 2, 22), 0),
            "closes_at": _at(dt.date(2021, 3, 3), 23, 59),
            "promotion": "보도자료 배포, 홈페이지 공고, OGP 웹페이지 게시·접수",
            "opening_announced_at": _at(dt.date(2021, 2, 22), 0),
            "closing_announced_at": _at(dt.date(2021, 3, 3), 23, 59),
        },
    )
    call.areas.set([areas["기후위기 대응"], areas["에너지"], areas["시민참여"]])

    climate, created = Proposal.objects.get_or_create(
        call=call,
        title=CLIMATE_AGENDA,
        defaults={
            "author": proposer,
            "area": areas["기후위기 대응"],
            "problem": "2020년 광주 시민총회가 정한 기후위기 대응 실천의제를 시정에서 이행할 "
            "통로가 필요합니다.",
            "solution": "시민총회 실천의제(기후위기대응)를 OGP 실행계획의 이행과제로 삼아 "
            "부서별 시민참여 사업과 연계해 추진합니다.",
            "submitted_at": _at(dt.date(2021, 3, 2)),
        },
    )
    if created:
        climate.move_to(ProposalStatus.IN_REVIEW, by=office, at=_at(dt.date(2021, 3, 5)))
        climate.move_to(
            ProposalStatus.IN_POLL,
            by=office,
            at=_at(dt.date(2021, 3, 17)),
            note="「바로소통광주」 시민에게 묻습니다: 공모안건으로 실행계획 수립 찬반",
        )
        climate.move_to(
            ProposalStatus.ADOPTED,
            by=office,
            at=_at(dt.date(2021, 3, 29), 18),
            response=ADOPTION_RESPONSE,
        )
    green, created = Proposal.objects.get_or_create(
        call=call,
        title=GREEN_APARTMENTS,
        defaults={
            "author": proposer,
            "area": areas["에너지"],
            "problem": "공동주택의 에너지 사용과 온실가스 배출을 줄일 주민 참여 사업이 필요합니다.",
            "solution": "아파트 단지를 녹색아파트로 조성하는 사업을 추진합니다.",
            "submitted_at": _at(dt.date(2021, 2, 26)),
        },
    )
    if created:
        green.move_to(ProposalStatus.IN_REVIEW, by=office, at=_at(dt.date(2021, 3, 5)))
        green.parent = climate
        green.fold_reason = FOLD_REASON
        green.save(update_fields=["parent", "fold_reason"])
        green.move_to(
            ProposalStatus.FOLDED,
            by=office,
            at=_at(dt.date(2021, 3, 9), 18),
            note=FOLD_REASON,
            response=FOLD_REASON,
        )
    for proposal, department, recommendation, opinion in [
        (
            green,
            "기후환경정책과",
            Review.Recommendation.FOLD,
            "기후위기대응의 하위 분류로, 시민총회실천의제에 포함해 의견을 수렴함이 타당함.",
        ),
        (
            climate,
            "혁신소통기획관",
            Review.Recommendation.ADOPT,
            "공모안건으로 실행계획 수립 찬반을 「바로소통광주」에서 시민에게 묻기로 함.",
        ),
    ]:
        Review.objects.update_or_create(
            proposal=proposal,
            department=department,
            defaults={
                "starts_on": dt.date(2021, 3, 5),
                "ends_on": dt.date(2021, 3, 9),
                "recommendation": recommendation,
                "opinion": opinion,
            },
        )
    _load_demo_call(areas, accounts)
    return call


def _load_demo_call(areas: dict, accounts: dict) -> None:
    today = timezone.localdate()
    call, created = Call.objects.get_or_create(
        slug="ogp-demo-open",
        defaults={
            "title": "OGP 실행계획 시민 제안 공모 (데모)",
            "description": "지금 누구나 시험해 볼 수 있는 데모 공모입니다. 회원가입과 이메일 "
            "인증 후 제안을 올리고 다른 제안을 지지해 보세요.",
            "opens_at": _at(today - dt.timedelta(days=3), 0),
            "closes_at": _at(today + dt.timedelta(days=27), 0),
            "promotion": "OGP 웹페이지, 시 SNS",
            "is_demo": True,
        },
    )
    if created:
        call.areas.set(areas.values())
        SupportThreshold.objects.create(
            call=call,
            supports=50,
            within_days=30,
            starts_review=True,
            consequence="공식 답변 의무 (부서 검토 시작)",
        )
        SupportThreshold.objects.create(
            call=call,
            supports=10,
            within_days=30,
            opens_debate=True,
            consequence="토론방 개설",
        )
        Proposal.objects.create(
            call=call,
            author=accounts["lead"],
            title="시민 햇빛발전소 확대 (데모)",
            area=areas["에너지"],
            problem="공공건물 옥상이 비어 있고 시민이 재생에너지에 참여할 길이 좁습니다.",
            solution="공공건물 옥상을 시민 햇빛발전 협동조합에 빌려주는 제도를 만듭니다.",
            is_demo=True,
        )
    _load_demo_debate(call, accounts)


DEMO_DEBATE = [
    ("citizen", False, "우리 동네 주민센터 옥상도 비어 있습니다. **임대료**는 어떻게 정하나요?"),
    ("lead", False, "협동조합이 발전 수익의 일부를 임대료로 내는 방식을 생각하고 있습니다."),
    (
        "secretariat",
        True,
        "공유재산 임대 조례상 공공건물 옥상 임대가 가능합니다. 에너지정책과와 "
        "임대료 기준을 검토해 답변드리겠습니다.",
    ),
]


def _load_demo_debate(call: Call, accounts: dict) -> None:
    """The demo proposal's debate: open, a few comments, a reply and an official answer.

    Written as records, not through the services: loading the demo sends no e-mail."""
    proposal = call.proposals.filter(is_demo=True).order_by("pk").first()
    if proposal is None:
        return
    debate, created = Debate.objects.get_or_create(proposal=proposal)
    if not created:
        return
    first = None
    for role, official, body in DEMO_DEBATE:
        comment = Comment(
            debate=debate,
            author=accounts[role],
            is_official=official,
            parent=first if role == "lead" else None,
        )
        comment.write(body)
        comment.save()
        first = first or comment
        DebateParticipant.objects.get_or_create(debate=debate, user=accounts[role])
    debate.participant_count = debate.participants.count()
    debate.save(update_fields=["participant_count"])
