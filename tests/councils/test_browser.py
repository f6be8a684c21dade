import pytest


@pytest.mark.browser
def test_committee_roster_shows_the_17_members_by_category(page, demo_site, screenshot):
    page.goto("/council/committee/")
    assert page.locator("h1").inner_text() == "운영위원회"
    assert page.locator(".roster-table tbody tr").count() == 17
    headings = page.locator("main h2").all_inner_texts()
    assert [h.split()[0] for h in headings[1:6]] == ["시", "전문기관", "전문가", "시민단체", "기업"]
    assert "현직 위원 17명: 정부 2명, 비정부 15명." in page.locator("main").inner_text()
    screenshot(page, "committee-ko")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/council/committee/")
    assert page.locator("h1").inner_text() == "Steering committee"
    assert page.get_by_role("heading", name="Civil society 11").is_visible()
    screenshot(page, "committee-en")


@pytest.mark.browser
def test_working_groups_and_demo_minutes_are_readable(page, demo_site, screenshot):
    page.goto("/council/groups/")
    assert page.locator("article").count() == 7
    screenshot(page, "groups-ko")
    page.get_by_role("link", name="에너지 워킹그룹").click()
    page.get_by_role("link", name="에너지 워킹그룹 정기 점검 모임 (데모)").click()
    assert "태양광" in page.locator("#minutes").inner_text()
    screenshot(page, "demo-minutes-ko")
