"""The council of the source document (혁신소통기획관-4000, 2021-05-04), in Korean as written."""

import datetime as dt
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from councils import services
from councils.models import (
    CommitteeMember,
    Council,
    Direction,
    Document,
    DocumentAttachment,
    Meeting,
    MeetingKind,
    MemberCategory,
    Minutes,
    TimelineEntry,
    WorkingGroup,
)
from ogp_portal.uploads import checked_upload

COUNCIL_NAME = "광주광역시 열린정부파트너십(OGP) 추진 협의회"
DOCUMENT_DATE = dt.date(2021, 5, 4)
# A one-page PDF, attached to the source document and to the demo minutes: stored files go
# through the same checks and naming as uploads (ogp_portal.uploads).
MATERIALS_PDF = Path(__file__).parent / "data" / "meeting-materials.pdf"


def materials(name: str) -> ContentFile:
    return ContentFile(MATERIALS_PDF.read_bytes(), name=name)


DIRECTIONS = [
    (
        "조직연계",
        "OGP 과정을 통한 시민 의견, 정책 수요가 市 주요정책에 반영될 수 있도록 "
        "탄소중립도시 추진 市 민관 거버넌스와 연계 구성",
    ),
    (
        "시민참여",
        "총괄 의사결정 기구인 운영위원회와 누구나 참여할 수 있는 워킹그룹으로 나누어 구성, "
        "일반시민의 참여 공간 확보",
    ),
    (
        "시민소통",
        "회의 결과 등 활동사항을 광주시 OGP 웹페이지에 투명하게 공개하고, "
        "일반 시민들의 의견을 수렴해 운영과정에 반영",
    ),
]

C = MemberCategory
# 붙임 1: 연번, 구분, 소속, 직위, 이름, 비고
MEMBERS = [
    (1, C.CITY, "혁신소통기획관", "기획관", "주재희", "총괄"),
    (2, C.CITY, "혁신소통기획관", "소통기획팀장", "손명희", "OGP담당"),
    (3, C.EXPERT_INSTITUTION, "(재)국제기후환경센터 교육협력실", "대리", "서승호", "OGP담당"),
    (4, C.EXPERT, "광주전남연구원", "수석연구위원", "김재철", "시민총회"),
    (5, C.EXPERT, "한백생태연구소", "부소장", "김영선", ""),
    (6, C.CIVIL_SOCIETY, "지속가능발전협의회", "사무총장", "윤희철", "기후위기 비상본부"),
    (7, C.CIVIL_SOCIETY, "지속가능발전협의회", "부장", "신석기", "기후위기 비상대응"),
    (8, C.CIVIL_SOCIETY, "광주 YMCA", "관장", "이운기", ""),
    (9, C.CIVIL_SOCIETY, "지역문제해결플랫폼", "실장", "박필순", "시민총회"),
    (10, C.CIVIL_SOCIETY, "(사)광주마당", "대표", "이민철", "시민총회"),
    (11, C.CIVIL_SOCIETY, "기후활동가", "시민활동가", "허지운", "제안자"),
    (12, C.CIVIL_SOCIETY, "광주지역에너지전환 네트워크", "운영위원장", "김종필", "에너지"),
    (13, C.CIVIL_SOCIETY, "(사)푸른길", "사무국장", "조준혁", "도시녹화"),
    (14, C.CIVIL_SOCIETY, "광주에코바이크", "사무국장", "김광훈", "수송분야"),
    (15, C.CIVIL_SOCIETY, "기후행동비건네트워크", "사무국장", "임혜정", "농축산분야"),
    (16, C.CIVIL_SOCIETY, "시민생활환경회의", "사무처장", "임수연", "자원순환"),
    (17, C.BUSINESS, "폴인사이트", "대표", "임형문", "여론조사"),
]
# The seat linked to the demo lead's account; its notices go to that account's address.
LEAD_ACCOUNT_MEMBER = "김종필"

# 워킹그룹: 운영위원회의 민간위원(단체)이 그룹의 장이 되는 분야별 그룹 (slug, 이름, 분야, 장, 목적)
GROUPS = [
    (
        "energy",
        "에너지 워킹그룹",
        "에너지",
        "김종필",
        "지역 에너지 전환을 위한 정책 제안을 발굴하고, "
        "실행계획의 에너지 분야 이행을 현장에서 점검합니다.",
    ),
    (
        "urban-greening",
        "도시녹화 워킹그룹",
        "도시녹화",
        "조준혁",
        "푸른길과 도시숲 등 도시녹화 과제를 시민과 함께 살피고 개선점을 제시합니다.",
    ),
    (
        "transport",
        "수송 워킹그룹",
        "수송",
        "김광훈",
        "자전거와 대중교통 등 탄소를 줄이는 이동 수단을 넓히기 위한 정책을 제안합니다.",
    ),
    (
        "agriculture",
        "농축산 워킹그룹",
        "농축산",
        "임혜정",
        "먹거리와 농축산 분야의 기후위기 대응 과제를 발굴하고 시민 인식을 높입니다.",
    ),
    (
        "resource-circulation",
        "자원순환 워킹그룹",
        "자원순환",
        "임수연",
        "쓰레기 줄이기와 재활용 등 자원순환 실천 과제를 점검하고 제안합니다.",
    ),
    (
        "citizens-assembly",
        "시민총회 워킹그룹",
        "시민총회",
        "박필순",
        "시민총회 실천의제(기후위기대응)의 이행 상황을 시민의 눈으로 점검합니다.",
    ),
    (
        "climate-emergency",
        "기후위기 대응 워킹그룹",
        "기후위기 대응",
        "윤희철",
        "기후위기 비상본부와 연계해 부서별 시민참여 사업의 추진 상황을 함께 살핍니다.",
    ),
]

FIRST_MEETING_TITLE = "제1차 광주광역시 OGP 추진협의회"

# 붙임 2: OGP 실행계획 수립 추진 사항 (내용, 시작, 끝, 계속, 정밀도, 세부)
TIMELINE = [
    ("광주시 OGP 가입", dt.date(2020, 10, 1), None, False, "month", ""),
    ("광주시 OGP 홈페이지 개설·운영", dt.date(2021, 1, 25), None, True, "day", ""),
    (
        "「OGP 실행계획」 기본계획 수립 참여기관 의견수렴",
        dt.date(2021, 2, 16),
        dt.date(2021, 2, 17),
        False,
        "day",
        "대상: 기후환경센터, 광주YMCA / 방법: 초안 이메일 송부, 검토 결과 유선 논의",
    ),
    ("「OGP 실행계획」 수립 기본계획 수립", dt.date(2021, 2, 18), None, False, "day", ""),
    (
        "OGP 이행과제 안건 공모(10일간 / 총 2건 접수)",
        dt.date(2021, 2, 22),
        dt.date(2021, 3, 3),
        False,
        "day",
        "보도자료 배포, 홈페이지 공고, OGP 홈페이지 홍보 및 접수",
    ),
    (
        "OGP 참여기관 간담회 개최",
        dt.date(2021, 2, 23),
        None,
        False,
        "day",
        "대상: 기후환경센터, 광주YMCA / 내용: OGP 안건공모 및 실행계획방향 등 논의",
    ),
    (
        "공모 접수 안건에 대한 부서 검토",
        dt.date(2021, 3, 5),
        dt.date(2021, 3, 9),
        False,
        "day",
        "검토안건(2건): 녹색아파트조성(기후환경정책과), '20년 시민총회 실천의제(혁신소통기획관)",
    ),
    (
        "「바로소통광주」 시민참여 독려 이벤트 추진",
        dt.date(2021, 3, 17),
        dt.date(2021, 3, 28),
        False,
        "day",
        "보도자료 배포, 市 SNS 및 OGP 광주 트위터, 국제기후환경센터 홈페이지 홍보 등",
    ),
    (
        "공모안건 「'20년 시민총회실천의제(기후위기대응)」 채택",
        dt.date(2021, 3, 29),
        None,
        False,
        "day",
        "「바로소통광주」 시민 의견 수렴 결과 (찬성 30명 / 반대 1명)",
    ),
    (
        "OGP 민관협의체 구성 자문을 위한 간담회 개최",
        dt.date(2021, 3, 29),
        None,
        False,
        "day",
        "박재철(광주전남연구원), 이민철((사)광주마당), 박필순(광주사회혁신플랫폼)",
    ),
    (
        "기후위기대응('20년 시민총회) 부서별 시민참여 사업 현황 파악",
        dt.date(2021, 3, 30),
        dt.date(2021, 4, 10),
        False,
        "day",
        "12개부서, 30개사업 (부서연계를 통한 실천과제 추진 어려움)",
    ),
]

# The present-day demo meetings: (group, title, kind, online address or venue, days from today,
# (from hour, to hour), held, published days ago, agenda). The held one has minutes.
DEMO_MEETINGS = [
    (
        "energy",
        "에너지 워킹그룹 정기 점검 모임 (데모)",
        MeetingKind.AD_HOC,
        "https://meet.example/ogp-energy",
        -14,
        (19, 21),
        True,
        21,
        ["태양광 협동조합 현장 점검 결과 공유", "시민 에너지 교육 계획"],
    ),
    (
        "energy",
        "에너지 워킹그룹 수시회의 (데모)",
        MeetingKind.AD_HOC,
        "광주광역시청 1층 시민숲 회의실",
        7,
        (19, 21),
        False,
        0,
        ["시민 에너지 교육 계획안 검토", "햇빛발전소 참여 홍보 방안"],
    ),
    (
        None,
        "운영위원회 정기회의 (데모)",
        MeetingKind.REGULAR,
        "https://meet.example/ogp-committee",
        21,
        (15, 17),
        False,
        0,
        ["실행계획 이행 상황 점검", "워킹그룹 활동 보고"],
    ),
]

SOURCE_DOCUMENT = {
    "title": "열린정부파트너십(OGP) 민관협의회 구성 · 운영계획",
    "registration_number": "혁신소통기획관-4000",
    "date": dt.date(2021, 5, 4),
    "issuing_office": "광주광역시 혁신소통기획관",
    "drafter": "주무관 이여진",
    "reviewer": "소통기획팀장 손명희",
    "approver": "혁신소통기획관 주재희 (전결 2021. 5. 4.)",
    "summary": "OGP 민관협의회(광주광역시 열린정부파트너십(OGP) 추진 협의회)의 구성과 운영 "
    "계획: 운영위원회와 워킹그룹, 운영기간 '21. 5.~'22. 7., 제1차 협의회 개최 계획.",
}


def load(*, accounts: dict) -> Council:
    council, _ = Council.objects.update_or_create(
        slug="gwangju-ogp",
        defaults={
            "name": COUNCIL_NAME,
            "summary": (
                "광주광역시 열린정부파트너십(OGP) 민관협의회는 운영위원회와 누구나 참여할 수 있는 "
                "워킹그룹으로 구성되어 OGP 실행계획의 수립과 이행을 함께 점검합니다."
            ),
            "operating_start": dt.date(2021, 5, 1),
            "operating_end": dt.date(2022, 7, 31),
            "meeting_rules": (
                "정기회의(운영위원회): 분기별 1회, 실행계획 수립·이행 추진상황 점검 및 조정. "
                "수시회의(워킹그룹): 이행과제별 계획수립 및 이행상황 점검. "
                "회의는 코로나19 상황 등 여건에 맞추어 집합, 온라인, 서면회의 등 탄력적 운영."
            ),
        },
    )
    for order, (keyword, description) in enumerate(DIRECTIONS, start=1):
        Direction.objects.update_or_create(
            council=council,
            keyword=keyword,
            defaults={"description": description, "display_order": order},
        )
    for order, category, affiliation, position, name, note in MEMBERS:
        CommitteeMember.objects.update_or_create(
            council=council,
            name=name,
            affiliation=affiliation,
            term_start=DOCUMENT_DATE,
            defaults={
                "category": category,
                "position": position,
                "note": note,
                "display_order": order,
                "user": accounts["lead"] if name == LEAD_ACCOUNT_MEMBER else None,
                # Made-up addresses: members without an account are reached here.
                "contact_email": (
                    "" if name == LEAD_ACCOUNT_MEMBER else f"member{order:02d}@ogp-demo.example"
                ),
            },
        )
    _load_groups(council)
    _load_meetings(council, accounts=accounts)
    _load_record(council)
    return council


def _load_record(council: Council) -> None:
    for order, (title, starts, ends, ongoing, precision, details) in enumerate(TIMELINE, 1):
        TimelineEntry.objects.update_or_create(
            council=council,
            display_order=order,
            defaults={
                "title": title,
                "starts_on": starts,
                "ends_on": ends,
                "ongoing": ongoing,
                "precision": precision,
                "details": details,
            },
        )
    text_file = Path(__file__).parent / "data" / "ogp-council-plan-2021.ko.txt"
    document, _ = Document.objects.update_or_create(
        registration_number=SOURCE_DOCUMENT["registration_number"],
        defaults={
            **SOURCE_DOCUMENT,
            "council": council,
            "disclosure": Document.Disclosure.PUBLIC,
            "body": text_file.read_text(encoding="utf-8").strip(),
        },
    )
    if not document.attachments.exists():
        DocumentAttachment.objects.create(
            document=document,
            title="협의회 구성·운영 계획 (요약)",
            **checked_upload(materials("광주광역시 OGP 추진 협의회 구성·운영 계획.pdf")),
        )


def _load_groups(council: Council) -> None:
    for slug, name, area, lead_name, purpose in GROUPS:
        WorkingGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "council": council,
                "name": name,
                "area": area,
                "purpose": purpose,
                "lead": CommitteeMember.objects.get(council=council, name=lead_name),
            },
        )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _load_meetings(council: Council, *, accounts: dict) -> None:
    # 행정사항: 제1차 협의회, 2021. 5월 초, 장소미정; 실행계획 수립 추진 방향 및 일정.
    first, created = Meeting.objects.get_or_create(
        council=council,
        group=None,
        title=FIRST_MEETING_TITLE,
        defaults={
            "kind": Meeting.Kind.REGULAR,
            "format": Meeting.Format.IN_PERSON,
            "starts_at": _at(dt.date(2021, 5, 6), 14),
            "ends_at": _at(dt.date(2021, 5, 6), 16),
            "venue": "",
            "published_at": _at(DOCUMENT_DATE, 9),
        },
    )
    if created:
        first.set_agenda(["실행계획 수립 추진 방향 논의", "추진 일정 계획"])

    # Present-day layer, marked as demo, so that a visitor can try everything today.
    today = timezone.localdate()
    for slug, title, kind, place, days, hours, held, published_ago, agenda in DEMO_MEETINGS:
        online = place.startswith("https://")
        meeting, created = Meeting.objects.get_or_create(
            council=council,
            group=WorkingGroup.objects.get(slug=slug) if slug else None,
            title=title,
            is_demo=True,
            defaults={
                "kind": kind,
                "format": Meeting.Format.ONLINE if online else Meeting.Format.IN_PERSON,
                "online_url" if online else "venue": place,
                "starts_at": _at(today + dt.timedelta(days=days), hours[0]),
                "ends_at": _at(today + dt.timedelta(days=days), hours[1]),
                "status": Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                "published_at": timezone.now() - dt.timedelta(days=published_ago),
            },
        )
        if created:
            meeting.set_agenda(agenda)
            if held:
                _load_minutes(meeting, author=accounts["lead"])


def _load_minutes(meeting: Meeting, *, author) -> None:
    minutes = Minutes.objects.create(
        meeting=meeting,
        author=author,
        status=Minutes.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=10),
        body=(
            "## 논의 내용\n\n"
            "- 광산구 **태양광** 협동조합 현장 점검 결과를 공유했습니다.\n"
            "- 공공건물 옥상 태양광 확대와 시민 햇빛발전소 참여 방안을 논의했습니다.\n"
        ),
        decisions="- 다음 달까지 시민 에너지 교육 계획안을 마련한다.",
        action_items="- 김종필: 교육 계획안 초안 작성\n- 사무국: 교육 장소 확인",
    )
    services.minutes_attach(
        minutes=minutes, title="회의 자료", upload=materials("에너지 워킹그룹 회의 자료.pdf")
    )
