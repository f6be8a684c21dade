import pytest


@pytest.mark.browser
def test_home_page_in_korean_and_english(page, demo_site, screenshot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "광주광역시 열린정부파트너십(OGP) 추진 협의회" in page.locator("h1").inner_text()
    screenshot(page, "home-ko")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Timeline of the action plan").is_visible()
    assert page.get_by_role("heading", name="Open now").is_visible()
    screenshot(page, "home-en")


@pytest.mark.browser
def test_home_page_on_a_phone(browser, live_server, demo_site, screenshot):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR"
    )
    page = context.new_page()
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    screenshot(page, "home-ko-phone")
    context.close()
