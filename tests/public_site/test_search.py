"""Search by Korean morphemes and English stems: the same results on SQLite and PostgreSQL.

The suite runs on whichever database DATABASE_URL names; CI runs this file on both.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ogp_portal.morphemes import Query, words
from proposals.models import Proposal
from public_site.search import search
from tests.factories import CallFactory, MeetingFactory, MinutesFactory, ProposalFactory

# (title of a record, a word inside it that a visitor searches for)
COMPOUNDS = [
    ("녹색아파트조성사업", "아파트"),  # the source's own proposal titles
    ("시민총회실천의제(기후위기대응)", "위기"),
    ("시민총회실천의제(기후위기대응)", "기후"),
    ("태양광발전소를 늘리자", "발전소"),
    ("광주광역시 탄소중립지원센터 설립", "중립"),
    ("미세먼지저감대책 마련", "먼지"),
    ("자전거도로확충 요청", "도로"),
    ("청소년참여예산제 도입", "예산"),
    ("전기자동차충전소를 설치해 주세요", "충전소"),
    ("온실가스감축목표 공개", "가스"),
    ("에너지협동조합 지원", "협동"),
    ("주민참여예산으로", "참여"),
    ("공공데이터개방확대", "개방"),
    ("혁신소통기획관실의 답변", "소통"),
    ("빗물재이용시설을 늘려요", "재이용"),
    ("어린이보호구역안전강화", "보호구역"),
]


def titles(hits) -> list[str]:
    return [hit.record.title for hit in hits]


@pytest.mark.parametrize("title, word", COMPOUNDS)
def test_a_noun_inside_a_compound_word_of_a_title_is_found(db, title, word):
    ProposalFactory(title=title)
    ProposalFactory(title="관계없는 제안")
    assert titles(search(word)["proposals"]) == [title]


@pytest.mark.parametrize("title, word", COMPOUNDS[:6])
def test_a_noun_inside_a_compound_word_of_a_text_is_found(db, title, word):
    ProposalFactory(title="제안", problem=f"이 제안은 {title} 관련입니다.")
    MinutesFactory(status="published", published_at=timezone.now(), body=f"{title} 논의.")
    found = search(word)
    assert titles(found["proposals"]) == ["제안"]
    assert len(found["minutes"]) == 1


def test_the_whole_compound_and_a_word_with_its_particle_find_it_too(db):
    ProposalFactory(title="녹색아파트조성사업")
    ProposalFactory(title="태양광발전소를 늘리자")
    assert titles(search("녹색아파트조성사업")["proposals"]) == ["녹색아파트조성사업"]
    assert titles(search("아파트를")["proposals"]) == ["녹색아파트조성사업"]
    assert titles(search("태양광발전소")["proposals"]) == ["태양광발전소를 늘리자"]


def test_every_word_of_the_query_must_match(db):
    ProposalFactory(title="녹색아파트조성사업")
    ProposalFactory(title="아파트 주차장")
    assert titles(search("녹색 아파트")["proposals"]) == ["녹색아파트조성사업"]
    assert titles(search("아파트")["proposals"]) == ["아파트 주차장", "녹색아파트조성사업"]


def test_a_phrase_in_quotes_finds_its_words_together_and_in_order(db):
    ProposalFactory(title="녹색아파트조성사업")
    ProposalFactory(title="아파트 단지의 녹색 공간")
    assert titles(search('"녹색 아파트"')["proposals"]) == ["녹색아파트조성사업"]
    assert titles(search('"아파트 녹색"')["proposals"]) == []
    assert len(search("아파트 녹색")["proposals"]) == 2
    # A quote left open is ignored.
    assert len(search('"아파트 녹색')["proposals"]) == 2


def test_a_phrase_never_spans_the_title_and_the_text(db):
    ProposalFactory(title="녹색", problem="아파트")
    assert titles(search('"녹색 아파트"')["proposals"]) == []
    assert titles(search("녹색 아파트")["proposals"]) == ["녹색"]


def test_title_matches_come_first_then_the_newest(db):
    day = dt.timedelta(days=1)
    now = timezone.now()
    body_old = ProposalFactory(title="제안 A", problem="기후위기", submitted_at=now - 3 * day)
    title_old = ProposalFactory(title="기후위기 대응", submitted_at=now - 2 * day)
    body_new = ProposalFactory(title="제안 B", problem="기후위기", submitted_at=now - day)
    title_new = ProposalFactory(title="기후위기 교육", submitted_at=now)
    found = [hit.record for hit in search("위기")["proposals"]]
    assert found == [title_new, title_old, body_new, body_old]


def test_english_keeps_english_stemming(db):
    ProposalFactory(title="Open budget studies", problem="Councils publishing their budgets")
    assert titles(search("study")["proposals"]) == ["Open budget studies"]
    assert titles(search("BUDGET published")["proposals"]) == ["Open budget studies"]
    assert titles(search("studying council")["proposals"]) == ["Open budget studies"]
    assert titles(search("open data")["proposals"]) == []


def test_the_snippet_marks_the_matching_words_in_the_text(db):
    text = "광주의 오래된 단지를 녹색아파트조성사업으로 바꾸자는 제안입니다. " * 5
    ProposalFactory(title="제안", problem="<b>" + text)
    [hit] = search("아파트")["proposals"]
    assert "<mark>아파트</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "&lt;b&gt;" in hit.snippet
    assert len(hit.snippet) < 300
    ProposalFactory(title="Budget", problem="The budgets of " + "many " * 60 + "councils")
    [hit] = search("council")["proposals"]
    assert hit.snippet.startswith("…") and "<mark>councils</mark>" in hit.snippet


def test_the_search_page_shows_highlighted_snippets(client, db):
    ProposalFactory(title="녹색아파트조성사업", problem="노후 아파트 단지의 녹지를 늘립니다.")
    html = client.get(reverse("search"), {"q": "아파트"}).content.decode()
    assert "녹색아파트조성사업" in html
    assert "노후 <mark>아파트</mark> 단지의 녹지를 늘립니다." in html


@pytest.mark.parametrize("text", ['""', "()", "!!", "을를", "   "])
def test_a_query_without_words_finds_nothing(client, db, text):
    ProposalFactory(title="녹색아파트조성사업")
    assert not any(search(text).values())
    assert client.get(reverse("search"), {"q": text}).status_code == 200


def test_saving_a_record_keeps_its_words_current(db):
    proposal = ProposalFactory(title="녹색아파트조성사업")
    proposal.title = "태양광발전소 건립"
    proposal.save()
    assert titles(search("아파트")["proposals"]) == []
    assert titles(search("발전소")["proposals"]) == ["태양광발전소 건립"]
    proposal.response = "기후위기대응 예산으로 추진합니다."
    proposal.save(update_fields=["response", "search_index"])
    assert titles(search("위기")["proposals"]) == ["태양광발전소 건립"]


def test_the_command_fills_the_words_of_records_written_without_them(db):
    ProposalFactory(title="녹색아파트조성사업")
    CallFactory(title="기후위기대응 공모")
    Proposal.objects.update(search_index=None)  # as after the migration adding the column
    assert search("아파트")["proposals"] == []
    call_command("search_index", "--missing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert titles(search("아파트")["proposals"]) == ["녹색아파트조성사업"]
    assert titles(search("위기")["calls"]) == ["기후위기대응 공모"]
    Proposal.objects.update(title="미세먼지저감대책")  # update() saves no record
    call_command("search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert titles(search("먼지")["proposals"]) == ["미세먼지저감대책"]


@pytest.mark.parametrize("extra", [0, 8])
def test_search_query_count_does_not_grow(db, extra, django_assert_num_queries):
    for n in range(extra):
        ProposalFactory(title=f"녹색아파트조성사업 {n}")
        MinutesFactory(
            meeting=MeetingFactory(title=f"회의 {n}"),
            status="published",
            published_at=timezone.now(),
            body="아파트 녹지",
        )
    with django_assert_num_queries(9):  # one per source
        found = search("녹색 아파트")
    assert len(found["proposals"]) == extra


def test_records_and_queries_are_analysed_alike():
    assert words("녹색아파트조성사업 추진") == ["녹색", "아파트", "조성", "사업", "추진"]
    assert words("태양광발전소를") == ["태양광", "발전소"]
    assert words("에너지협동조합") == words("에너지 협동 조합")
    assert Query.parse('"녹색 아파트" 위기를').groups == (("녹색", "아파트"), ("위기",))
