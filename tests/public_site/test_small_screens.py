"""On a phone: Tab stays inside the open full menu; the result chart's text stays readable."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ko", "en"])
def test_tab_stays_inside_the_open_menu(browser, live_server, demo_site, prefix):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR"
    )
    page = context.new_page()
    page.goto(prefix + "/")
    page.locator(".menu-toggle").click()
    page.locator("#mobile-nav .gnb-main-trigger").first.wait_for(state="visible")
    inside = []
    for _ in range(40):
        page.keyboard.press("Tab")
        inside.append(
            page.evaluate("document.getElementById('mobile-nav').contains(document.activeElement)")
        )
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        inside.append(
            page.evaluate("document.getElementById('mobile-nav').contains(document.activeElement)")
        )
    assert all(inside)
    page.keyboard.press("Escape")
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "false"
    context.close()


def test_the_result_charts_smallest_text_is_readable_at_320_pixels(browser, live_server, demo_site):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 800}, locale="ko-KR"
    )
    page = context.new_page()
    page.goto(reverse("consultations:poll_detail", args=["demo-2021-onsite"]))
    sizes = page.evaluate(
        """[...document.querySelectorAll('.result-chart span')]
             .map((e) => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert sizes and min(sizes) >= 14
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
