import hashlib

import pytest

from consultations.models import Ballot, Poll
from consultations.services import polls_count


@pytest.mark.browser
def test_a_verified_citizen_votes_and_sees_the_receipt(page, demo_site, screenshot, sign_in):
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto("/ask/")
    page.get_by_role(
        "link", name="광주시 OGP 포털에서 가장 먼저 공개했으면 하는 정보는 무엇입니까? (데모)"
    ).click()
    page.get_by_label("이행과제 진행 상황").check()
    page.get_by_role("button", name="비밀 투표하기").click()
    code = page.locator("#receipt-code").inner_text()
    assert not Ballot.objects.filter(receipt=code).exists()  # sealed until the count
    polls_count()
    assert not Ballot.objects.filter(receipt=code).exists()  # one envelope is not a batch
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
def test_the_closed_2021_poll_shows_30_for_1_against_and_checks_a_receipt(
    page, demo_site, screenshot
):
    poll = Poll.objects.get(slug="baro-2021-ogp-action-plan")
    page.goto(poll.get_absolute_url())
    table = page.locator("table.result-table")
    assert table.locator("tbody tr").nth(0).inner_text().split() == ["찬성", "30", "96.8%"]
    assert table.locator("tbody tr").nth(1).inner_text().split() == ["반대", "1", "3.2%"]
    assert "영수증 코드 31개" in page.locator("#receipts-title + p").inner_text()
    assert page.locator("svg[role=img] title").text_content() == "선택지별 득표"
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
    assert page.locator("svg[role=img] title").text_content() == "Votes per option"
    assert page.get_by_role("heading", name="Counted receipts").is_visible()
