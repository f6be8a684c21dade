"""The council of the source document (혁신소통기획관-4000, 2021-05-04), in Korean as written."""

import datetime as dt

from .models import CommitteeMember, Council, Direction, MemberCategory

COUNCIL_NAME = "광주광역시 열린정부파트너십(OGP) 추진 협의회"
DOCUMENT_DATE = dt.date(2021, 5, 4)

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
LEAD_ACCOUNT_MEMBER = "김종필"


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
            },
        )
    return council
