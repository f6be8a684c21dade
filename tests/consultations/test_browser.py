import pytest

from consultations.models import Ballot, Poll


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
    assert Ballot.objects.filter(receipt=code).exists()
    screenshot(page, "poll-receipt")
    page.go_back()
    page.reload()
    assert "이 투표에 참여하셨습니다" in page.locator("main").inner_text()


@pytest.mark.browser
def test_the_closed_2021_poll_shows_30_for_1_against_and_31_receipts(page, demo_site, screenshot):
    page.goto(Poll.objects.get(slug="baro-2021-ogp-action-plan").get_absolute_url())
    table = page.locator("table.result-table")
    assert table.locator("tbody tr").nth(0).inner_text().split() == ["찬성", "30", "96.8%"]
    assert table.locator("tbody tr").nth(1).inner_text().split() == ["반대", "1", "3.2%"]
    assert page.locator(".receipt-list li").count() == 31
    assert page.locator("svg[role=img] title").text_content() == "선택지별 득표"
    screenshot(page, "poll-2021")
    page.goto("/en" + Poll.objects.get(slug="baro-2021-ogp-action-plan").get_absolute_url())
    assert page.locator("svg[role=img] title").text_content() == "Votes per option"
    assert page.get_by_role("heading", name="Counted receipts").is_visible()
