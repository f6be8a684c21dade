import hashlib

import pytest

from consultations.models import Ballot, Poll
from consultations.services import polls_count

RECEIPTS = "() => window.localStorage.getItem('ogp-portal:receipts')"


def vote_in_the_demo_poll(page):
    page.goto("/ask/")
    page.get_by_role(
        "link", name="광주시 OGP 포털에서 가장 먼저 공개했으면 하는 정보는 무엇입니까? (데모)"
    ).click()
    page.get_by_label("이행과제 진행 상황").check()
    page.get_by_role("button", name="비밀 투표하기").click()
    return page.locator("#receipt-code").inner_text()


@pytest.mark.browser
def test_a_verified_citizen_votes_and_sees_the_receipt(page, demo_site, screenshot, sign_in):
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    code = vote_in_the_demo_poll(page)
    assert not Ballot.objects.filter(receipt=code).exists()  # sealed until the count
    polls_count()  # within minutes, the envelope goes into the box, mixed with earlier ballots
    assert Ballot.objects.filter(receipt=code).exists()
    screenshot(page, "poll-receipt")
    with page.expect_download() as download:
        page.get_by_role("link", name="영수증 내려받기(텍스트)").click()
    assert code in open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert page.get_by_role("button", name="영수증 인쇄").is_visible()

    # Reload shows the poll with the receipt kept in this browser, not the ballot again.
    page.reload()
    assert "투표에 참여하셨으므로" in page.locator("#voted-note").inner_text()
    assert page.locator("[data-receipt-slot] [data-receipt-code]").inner_text() == code
    assert page.get_by_role("button", name="비밀 투표하기").count() == 0
    screenshot(page, "poll-after-reload")
    # Back never shows a stale ballot form: the ballot page is not kept by the browser.
    page.go_back()
    assert page.get_by_role("button", name="비밀 투표하기").count() == 0
    page.goto("/me/")
    assert page.locator("[data-receipt-slot] [data-receipt-code]").inner_text() == code
    page.get_by_role("button", name="이 기기에 보관된 영수증 지우기").click()
    page.reload()
    assert page.locator("[data-receipt-slot]").is_hidden()


@pytest.mark.browser
def test_signing_out_forgets_the_receipts_kept_in_the_browser(page, demo_site, sign_in):
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    code = vote_in_the_demo_poll(page)
    assert code in page.evaluate(RECEIPTS)
    with page.expect_navigation():
        page.get_by_role("button", name="로그아웃").click()
    assert page.evaluate(RECEIPTS) is None


@pytest.mark.browser
def test_a_session_that_ends_otherwise_leaves_no_receipt_to_the_next_person(
    page, demo_site, sign_in
):
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    code = vote_in_the_demo_poll(page)
    page.goto("/me/")
    assert page.locator("[data-receipt-slot] [data-receipt-code]").inner_text() == code
    # The session expires or its cookie goes with the browser's closing: no sign-out happens.
    page.context.clear_cookies()
    page.goto("/ask/")
    assert page.evaluate(RECEIPTS) is None
    # Nor does the next person who signs in see them.
    sign_in(page, "lead@ogp-demo.example", "ogp-lead-2021")
    page.goto("/me/")
    assert page.evaluate(RECEIPTS) is None


@pytest.mark.browser
def test_the_closed_2021_poll_shows_30_for_1_against_and_checks_a_receipt(
    page, demo_site, screenshot
):
    poll = Poll.objects.get(slug="baro-2021-ogp-action-plan")
    page.goto(poll.get_absolute_url())
    table = page.locator("table.result-table")
    assert table.locator("tbody tr").nth(0).inner_text().split() == ["찬성", "30", "96.8%"]
    assert table.locator("tbody tr").nth(1).inner_text().split() == ["반대", "1", "3.2%"]
    assert "영수증 코드 31개" in page.locator("#receipts-title + p").inner_text()
    assert page.locator("table.result-table caption").text_content() == "선택지별 득표"
    screenshot(page, "poll-2021")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="집계된 모든 영수증 코드 내려받기(텍스트, 한 줄에 하나)"
        ).click()
    body = open(download.value.path(), "rb").read()  # noqa: SIM115 - a temporary file
    assert hashlib.sha256(body).hexdigest() == page.locator("#receipts-sha256").inner_text()
    code = body.decode().splitlines()[7]
    page.get_by_label("영수증 코드").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="조회").click()
    assert f"집계됨: 영수증 {code}" in page.locator("#receipt-answer").inner_text()
    page.get_by_label("영수증 코드").fill("1234")
    page.get_by_role("button", name="조회").click()
    assert "12자의 영문 대문자와 숫자" in page.locator("#receipt-code-error").inner_text()
    screenshot(page, "poll-2021-receipt-check")
    page.goto("/en" + poll.get_absolute_url())
    assert page.locator("table.result-table caption").text_content() == "Votes per option"
    assert page.get_by_role("heading", name="Counted receipts").is_visible()


OFFICER = {
    "ko": {
        "prefix": "",
        "page": "투표 관리원 페이지",
        "name": "이름",
        "birth": "생년월일",
        "district": "자치구",
        "record": "기록하고 투표용지 주기",
        "recorded": "1명을 기록했습니다",
        "ballots": "투표함의 투표용지 수",
        "invalid": "무효표",
        "enter": "집계 입력",
        "entered": "집계 입력됨",
        "mismatch": "다시 세어 주세요",
    },
    "en": {
        "prefix": "/en",
        "page": "Poll officer's page",
        "name": "Name",
        "birth": "Date of birth",
        "district": "District (gu)",
        "record": "Record and give a ballot",
        "recorded": "1 voter recorded",
        "ballots": "Ballots in the box",
        "invalid": "Invalid ballots",
        "enter": "Enter the totals",
        "entered": "Totals entered",
        "mismatch": "count again",
    },
}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_poll_officer_records_a_voter_and_enters_the_totals(
    page, demo_site, sign_in, screenshot, language
):
    text = OFFICER[language]
    poll = Poll.objects.get(slug="demo-resident-poll")
    sign_in(page, "lead@ogp-demo.example", "ogp-lead-2021")
    page.goto(f"{text['prefix']}{poll.get_absolute_url()}")
    page.get_by_role("link", name=text["page"]).click()
    page.get_by_label(text["name"]).fill("홍길동")
    page.get_by_label(text["birth"]).fill("1990-01-01")
    page.get_by_label(text["district"]).select_option("buk")
    page.get_by_role("button", name=text["record"]).click()
    assert text["recorded"] in page.locator("#recorded").inner_text()
    page.get_by_label(text["ballots"]).fill("2")
    page.get_by_label(text["invalid"]).fill("0")
    page.get_by_label("찬성").fill("2")
    page.get_by_label("반대").fill("0")
    page.get_by_role("button", name=text["enter"]).click()
    assert text["mismatch"] in page.locator("body").inner_text()  # 2 ballots, 1 voter: refused
    page.get_by_label(text["ballots"]).fill("1")
    page.get_by_label("찬성").fill("1")
    page.get_by_role("button", name=text["enter"]).click()
    assert text["entered"] in page.locator("main").inner_text()
    screenshot(page, f"booth-officer-{language}")
    booth = poll.booths.get()
    assert booth.ballots == 1 and booth.participations.count() == 1
