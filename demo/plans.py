"""The 2021 action plan: its commitment (the adopted climate agenda), a milestone and an update.

Facts from the source document (혁신소통기획관-4000).
"""

import datetime as dt

from councils.models import Document, Meeting, Minutes, WorkingGroup
from plans.models import ActionPlan, Commitment, Evidence, Milestone, ProgressUpdate
from proposals.models import Proposal

from .councils import FIRST_MEETING_TITLE, SOURCE_DOCUMENT
from .proposals import CALL_SLUG, CLIMATE_AGENDA


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
    return plan
