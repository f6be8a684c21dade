"""The demo opinion map, on the demo proposal's debate: Korean statements, and the votes of
made-up participants who fall into three groups (`planted_votes`, which the tests and the
benchmark also use to know which group each participant should land in)."""

import datetime as dt

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from opinions.models import OpinionMap, Statement, StatementVote
from opinions.services import opinion_map_group
from proposals.models import Debate

# Each statement with the stance of the three demo groups (1 agree, -1 disagree, 0 unsure):
# A wants citizen solar power, B minds the city's money, C the residents near the roofs.
DEMO_STATEMENTS = [
    ("옥상 임대 기준과 선정 과정은 시민에게 모두 공개되어야 한다.", (1, 1, 1)),
    ("설치 전에 건물 안전 점검을 반드시 해야 한다.", (1, 1, 1)),
    ("주민 설명회를 열고 의견을 들은 뒤에 결정해야 한다.", (1, 1, 1)),
    ("공공건물 옥상은 시민 햇빛발전 협동조합에 우선 빌려줘야 한다.", (1, -1, 0)),
    ("재생에너지 확대는 기후위기 대응을 위해 더 미룰 수 없다.", (1, 0, 0)),
    ("협동조합 수익의 일부는 에너지 취약계층 지원에 써야 한다.", (1, -1, 1)),
    ("시민이 직접 발전소에 투자할 수 있어야 한다.", (1, 0, -1)),
    ("학교 옥상도 햇빛발전에 활용해야 한다.", (1, -1, -1)),
    ("햇빛발전 교육 프로그램을 함께 운영해야 한다.", (1, 0, 0)),
    ("임대료를 낮춰서라도 참여를 늘려야 한다.", (1, -1, 0)),
    ("2030년까지 모든 공공건물 옥상에 설치해야 한다.", (1, -1, -1)),
    ("임대료는 시장 가격으로 받아야 한다.", (-1, 1, 0)),
    ("시 예산이 들어가는 지원은 하지 않는 것이 좋다.", (-1, 1, 0)),
    ("민간 기업에도 똑같이 입찰 기회를 줘야 한다.", (-1, 1, 0)),
    ("발전 효율이 낮은 건물에는 설치하지 말아야 한다.", (0, 1, 0)),
    ("사업 성과를 매년 감사받아야 한다.", (0, 1, 1)),
    ("유지보수 비용은 협동조합이 전부 부담해야 한다.", (-1, 1, 1)),
    ("시범 사업으로 작게 시작해 효과를 본 뒤 넓혀야 한다.", (-1, 1, 1)),
    ("전기요금 인하 효과가 확인되지 않으면 확대하지 말아야 한다.", (-1, 1, 0)),
    ("협동조합 운영진의 자격 기준을 마련해야 한다.", (0, 1, 0)),
    ("태양광 패널의 반사광이 이웃 주민에게 피해를 줄 수 있다.", (-1, 0, 1)),
    ("주거지 가까운 건물은 주민 동의를 받아야 한다.", (0, 0, 1)),
    ("문화재 주변 건물에는 설치하지 말아야 한다.", (-1, 0, 1)),
    ("패널 폐기물 처리 계획이 먼저 마련되어야 한다.", (0, 1, 1)),
    ("전자파가 걱정되므로 어린이 시설은 제외해야 한다.", (-1, 0, 1)),
    ("도시 경관을 해치지 않는 디자인 기준이 필요하다.", (0, 0, 1)),
    ("화재 위험에 대비한 보험 가입을 의무로 해야 한다.", (0, 1, 1)),
    ("설치 공사 중 주민 불편에 대한 보상이 필요하다.", (-1, -1, 1)),
    ("옥상 녹화와 햇빛발전을 함께 할 방법을 찾아야 한다.", (1, 0, 1)),
    ("마을 단위로 발전 수익을 나누는 방식이 좋다.", (1, -1, 1)),
]
DEMO_GROUP_SIZES = (130, 100, 70)
DEMO_TITLE = "시민 햇빛발전소 확대 (데모)"


def planted_stances(*, groups: int, statements: int) -> np.ndarray:
    """Group × statement stances: statement 0 agreed by all (the consensus); each other one
    agreed by one group in turn and disagreed by the others."""
    stance = -np.ones((groups, statements), dtype=np.int8)
    for column in range(statements):
        stance[column % groups, column] = 1
    stance[:, 0] = 1
    return stance


def planted_votes(
    stance: np.ndarray, sizes, *, seen: float = 0.7, fidelity: float = 0.85, seed: int = 0
):
    """Votes of participants who each hold their group's stance: every participant sees a
    share `seen` of the statements and votes the group's stance with probability `fidelity`,
    otherwise one of the two other choices. Statement 0 is seen by everyone.

    Returns (participant, statement, choice) arrays and the planted group of each participant.
    """
    rng = np.random.default_rng(seed)
    planted = np.repeat(np.arange(len(sizes)), sizes)
    expected = stance[planted]
    seen_cells = rng.random(expected.shape) < seen
    seen_cells[:, 0] = True
    other = expected + rng.choice([1, 2], size=expected.shape)
    other = (other + 1) % 3 - 1  # one of the two other choices among -1, 0, 1
    choices = np.where(rng.random(expected.shape) < fidelity, expected, other)
    participants, statements = np.nonzero(seen_cells)
    return participants, statements, choices[participants, statements], planted


def load() -> OpinionMap | None:
    """The demo debate's opinion map, its statements and 300 participants' votes (once)."""
    debate = Debate.objects.filter(proposal__is_demo=True).order_by("pk").first()
    if debate is None or debate.opinion_map_id is not None:
        return None
    now = timezone.now()
    opinion_map = OpinionMap.objects.create(
        title=DEMO_TITLE,
        question="공공건물 옥상을 시민 햇빛발전에 빌려주는 제도, 어떻게 생각하시나요?",
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=27),
    )
    debate.opinion_map = opinion_map
    debate.save(update_fields=["opinion_map"])
    User = get_user_model()
    people = User.objects.bulk_create(
        [
            User(username=f"opinion-demo-{n:03}", display_name=f"참여자{n:03}(데모)")
            for n in range(sum(DEMO_GROUP_SIZES))
        ]
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(map=opinion_map, author=people[n * 7], text=text)
            for n, (text, _stance) in enumerate(DEMO_STATEMENTS)
        ]
    )
    stance = np.array([s for _text, s in DEMO_STATEMENTS], dtype=np.int8).T
    rows, columns, choices, _planted = planted_votes(stance, DEMO_GROUP_SIZES, seen=0.6)
    StatementVote.objects.bulk_create(
        [
            StatementVote(statement=statements[c], user=people[r], choice=int(v), voted_at=now)
            for r, c, v in zip(rows, columns, choices, strict=True)
        ],
        batch_size=2000,
    )
    opinion_map_group(opinion_map=opinion_map)
    return opinion_map
