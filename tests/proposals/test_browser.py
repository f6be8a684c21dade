import pytest

from proposals.models import Proposal


@pytest.mark.browser
def test_a_citizen_submits_to_the_open_call_and_not_to_the_closed_one(
    page, demo_site, screenshot, sign_in
):
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto("/participate/calls/")
    screenshot(page, "calls-ko")
    page.get_by_role("link", name="OGP 실행계획 시민 제안 공모 (데모)").click()
    page.get_by_role("link", name="제안하기").click()
    page.fill("input[name=title]", "동네 자전거길 잇기")
    page.select_option("select[name=area]", label="수송")
    page.fill("textarea[name=problem]", "자전거길이 중간에 끊깁니다.")
    page.fill("textarea[name=solution]", "끊긴 구간을 이어 주세요.")
    page.get_by_role("button", name="제안 제출").click()
    page.get_by_text("감사합니다. 제안이 접수되었습니다.").wait_for()
    assert Proposal.objects.filter(title="동네 자전거길 잇기").exists()
    screenshot(page, "proposal-submitted")

    page.goto("/participate/calls/ogp-2021/propose/")
    assert "마감되어 제안을 더 이상 받지 않습니다" in page.locator("main").inner_text()
    page.fill("input[name=title]", "늦은 제안")
    page.fill("textarea[name=problem]", "문제")
    page.fill("textarea[name=solution]", "해결")
    page.get_by_role("button", name="제안 제출").click()
    summary = page.locator("#error-summary")
    summary.get_by_text("공모 기간이 아니어서 제안을 받을 수 없습니다.").wait_for()
    assert page.input_value("input[name=title]") == "늦은 제안"
    assert not Proposal.objects.filter(title="늦은 제안").exists()


@pytest.mark.browser
def test_the_2021_call_and_its_commitment(page, demo_site, screenshot):
    page.goto("/participate/calls/ogp-2021/")
    assert "이 공모의 모든 제안에 답변이 있습니다." in page.locator("main").inner_text()
    screenshot(page, "call-2021")
    page.get_by_role("link", name="녹색아파트조성사업").click()
    assert "포함되었습니다" in page.locator("main").inner_text()
    page.get_by_role("link", name="'20년 시민총회실천의제(기후위기대응) 추진").first.click()
    screenshot(page, "proposal-2021")
    page.get_by_role("link", name="기후위기 대응 시민총회 실천의제 이행").click()
    screenshot(page, "commitment-2021")
    assert "12개 부서" in page.locator("main").inner_text()


@pytest.mark.browser
def test_a_correction_by_the_secretariat_shows_on_the_proposal_s_page(page, demo_site, screenshot):
    from django.contrib.auth import get_user_model

    from proposals.services.pipeline import proposal_correct

    proposal = Proposal.objects.get(title="녹색아파트조성사업")
    secretariat = get_user_model().objects.get(email="secretariat@ogp-demo.example")
    proposal_correct(
        proposal=proposal,
        author=secretariat,
        reason="사업명 띄어쓰기를 바로잡았습니다.",
        title="녹색 아파트 조성 사업",
    )
    page.goto(proposal.get_absolute_url())
    main = page.locator("main")
    assert "사무국이 정정했습니다: 사업명 띄어쓰기를 바로잡았습니다." in main.inner_text()
    main.get_by_text("제안자가 처음 쓴 글").click()
    assert main.get_by_text("녹색아파트조성사업", exact=True).is_visible()
    screenshot(page, "proposal-corrected")
