"""The 2021 action plan: its commitment (the adopted climate agenda), a milestone and an update;
its draft, put to citizens on 「바로소통광주」 from 17 to 28 March 2021, with comments and the
answers they received.

Facts from the source document (혁신소통기획관-4000); the comments and answers are demo text.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from councils.models import Document, Meeting, Minutes, WorkingGroup
from plans.models import (
    ActionPlan,
    Commitment,
    DraftComment,
    DraftCommitment,
    DraftConsultation,
    Evidence,
    Milestone,
    Outcome,
    ProgressUpdate,
)
from proposals.models import Proposal
from verification.models import Method

from .councils import FIRST_MEETING_TITLE, SOURCE_DOCUMENT
from .proposals import CALL_SLUG, CLIMATE_AGENDA

# The draft as it was put to citizens: the adopted text added the council's check of each step.
DRAFT_DESCRIPTION = (
    "시민총회 실천의제(기후위기대응)를 OGP 실행계획의 이행과제로 삼아 추진합니다.\n"
    "부서별 시민참여 사업 현황을 파악하고 분기마다 결과를 공개합니다."
)
# (paragraph, quoted passage, comment, outcome, reasons): by the demo citizen.
DRAFT_COMMENTS = [
    (
        0,
        "OGP 실행계획의 이행과제로 삼아 추진합니다",
        "어느 부서가 어떤 사업을 맡는지 함께 밝혀 주세요. 부서와 연계하지 않으면 실천이 "
        "어렵습니다.",
        Outcome.ACCEPTED,
        "반영했습니다. 이행과제를 부서별 시민참여 사업과 연계해 추진하도록 본문을 고쳤습니다.",
    ),
    (
        1,
        "분기마다 결과를 공개합니다",
        "분기 공개와 함께 협의회가 이행을 점검했으면 합니다.",
        Outcome.PARTLY,
        "협의회 정기회의(분기 1회)에서 이행을 점검합니다. 별도 보고서 대신 회의록으로 공개합니다.",
    ),
    (
        None,
        "",
        "시민총회 참여자에게 진행 상황을 문자로 알려 주면 좋겠습니다.",
        Outcome.NOT_ACCEPTED,
        "개인 연락처를 새로 모으지 않기 위해 문자 안내는 하지 않습니다. 진행 상황은 포털의 "
        "실행계획 페이지와 알림 메일로 안내합니다.",
    ),
]


def load() -> ActionPlan:
    climate = Proposal.objects.get(call__slug=CALL_SLUG, title=CLIMATE_AGENDA)
    plan, _ = ActionPlan.objects.update_or_create(
        slug="gwangju-2021",
        defaults={
            "title": "광주광역시 OGP 실행계획",
            "adopted_on": dt.date(2021, 3, 29),
            "starts_on": dt.date(2021, 4, 1),
            "ends_on": dt.date(2022, 7, 31),
            "summary": "「OGP 실행계획」 수립 기본계획(2021. 2. 18.)에 따라 시민 공모와 "
            "「바로소통광주」 의견 수렴을 거쳐 채택한 실행계획입니다.",
        },
    )
    commitment, _ = Commitment.objects.update_or_create(
        proposal=climate,
        defaults={
            "plan": plan,
            "title": "기후위기 대응 시민총회 실천의제 이행",
            "area": climate.area,
            "lead_agency": "혁신소통기획관",
            "other_actors": "기후환경정책과 등 12개 부서, 시민사회단체, 워킹그룹",
            "problem": climate.problem,
            "description": climate.solution,
            "transparency": True,
            "participation": True,
            "accountability": True,
            "starts_on": dt.date(2021, 3, 30),
            "ends_on": dt.date(2022, 7, 31),
        },
    )
    commitment.working_groups.set(
        WorkingGroup.objects.filter(slug__in=["citizens-assembly", "climate-emergency"])
    )
    commitment.meetings.set(Meeting.objects.filter(title=FIRST_MEETING_TITLE, group=None))
    milestone, _ = Milestone.objects.update_or_create(
        commitment=commitment,
        title="부서별 시민참여 사업 현황 파악 (12개 부서, 30개 사업)",
        defaults={
            "department": "혁신소통기획관",
            "due_on": dt.date(2021, 4, 10),
            "display_order": 1,
        },
    )
    # Its evidence: the register's source document and the first meeting's decisions.
    document = Document.objects.get(registration_number=SOURCE_DOCUMENT["registration_number"])
    Evidence.objects.get_or_create(
        milestone=milestone, kind=Evidence.Kind.DOCUMENT, document=document
    )
    minutes = Minutes.objects.filter(meeting__title=FIRST_MEETING_TITLE, meeting__group=None)
    for record in minutes:
        Evidence.objects.get_or_create(
            milestone=milestone, kind=Evidence.Kind.DECISION, minutes=record
        )
    ProgressUpdate.objects.update_or_create(
        commitment=commitment,
        milestone=milestone,
        date=dt.date(2021, 4, 10),
        defaults={
            "text": "기후위기대응('20년 시민총회) 부서별 시민참여 사업 현황 파악: 12개 부서, "
            "30개 사업. 부서연계를 통한 실천과제 추진에 어려움이 있어 부서 간 협업 방안을 "
            "협의회에서 논의하기로 함.",
        },
    )
    _draft(plan, commitment)
    return plan


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _draft(plan: ActionPlan, commitment: Commitment) -> None:
    """The draft's consultation, closed before adoption, every comment answered."""
    consultation, _ = DraftConsultation.objects.update_or_create(
        plan=plan,
        defaults={
            "introduction": "실행계획 초안을 공개합니다. 이행과제 전체나 문단, 문장에 "
            "의견을 남겨 주세요. 모든 의견에 검토 결과와 이유를 답합니다.",
            "opens_at": _at(dt.date(2021, 3, 17), 9),
            "closes_at": _at(dt.date(2021, 3, 28), 18),
            "required_verification": Method.EMAIL,
        },
    )
    draft, _ = DraftCommitment.objects.update_or_create(
        consultation=consultation,
        commitment=commitment,
        defaults={
            "title": "기후위기 대응 시민총회 실천의제 이행",
            "lead_agency": "혁신소통기획관",
            "problem": commitment.problem,
            "description": DRAFT_DESCRIPTION,
            "milestones": "부서별 시민참여 사업 현황 파악 · 혁신소통기획관",
        },
    )
    people = get_user_model().objects
    citizen = people.get(email="citizen@ogp-demo.example")
    secretariat = people.get(email="secretariat@ogp-demo.example")
    for number, (paragraph, quote, body, outcome, reasons) in enumerate(DRAFT_COMMENTS):
        start = None if not quote else draft.paragraphs()[paragraph].find(quote)
        DraftComment.objects.update_or_create(
            commitment=draft,
            created_at=_at(dt.date(2021, 3, 18 + number), 10),
            defaults={
                "author": citizen,
                "paragraph": paragraph,
                "quote": quote,
                "quote_start": start,
                "quote_end": None if start is None else start + len(quote),
                "body": body,
                "outcome": outcome,
                "reasons": reasons,
                "answered_by": secretariat,
                "answered_at": _at(dt.date(2021, 3, 29), 9),
            },
        )
