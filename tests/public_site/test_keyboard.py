"""What axe leaves to people: focus rings, scrollable regions, refused forms, the site icon."""

import pytest
from django.urls import reverse

from tests.accessibility import focus_rings


@pytest.mark.browser
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/en/",
        reverse("councils:committee"),
        reverse("account_signup"),
        reverse("account_login"),
    ],
)
def test_every_focus_ring_is_visible_at_3_to_1(page, demo_site, url):
    page.goto(url)
    rings = focus_rings(page, 30)
    assert [r for r in rings if r["style"] == "none" or r["width"] < 2 or r["ratio"] < 3] == []


@pytest.mark.browser
def test_wide_tables_scroll_from_the_keyboard_at_320_pixels(browser, live_server, demo_site):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 800}, locale="ko-KR"
    )
    page = context.new_page()
    page.goto(reverse("councils:committee"))
    regions = page.locator(".krds-table-wrap").all()
    assert regions
    for region in regions:
        # Every table region is reachable by keyboard; one wider than the screen scrolls with it.
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        if not region.evaluate("element => element.scrollWidth > element.clientWidth"):
            continue
        region.focus()
        before = region.evaluate("element => element.scrollLeft")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert region.evaluate("element => element.scrollLeft") > before
    context.close()


@pytest.mark.browser
def test_a_refused_form_says_so_in_the_title_and_takes_the_focus_to_the_summary(
    page, transactional_db, screenshot
):
    page.goto(reverse("account_signup"))
    page.fill("input[name=email]", "not-an-address@")
    page.fill("input[name=password1]", "1234")
    page.fill("input[name=password2]", "12345")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.title().startswith("오류: ")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("document.activeElement.id") == target.removeprefix("#")
    screenshot(page, "form-error-summary")


def test_the_site_icon_is_found(client, db):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"].endswith(".svg")


@pytest.mark.browser
def test_public_pages_fit_a_phone_without_sideways_scrolling(browser, live_server, demo_site):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 800}, locale="ko-KR"
    )
    page = context.new_page()
    wide = {}
    for url in [
        "/",
        "/en/",
        reverse("opendata"),
        reverse("tracker"),
        reverse("repository"),
        reverse("councils:committee"),
        reverse("councils:group_list"),
        reverse("proposals:call_list"),
        reverse("consultations:poll_list"),
        reverse("search") + "?q=태양광",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[url] = width
    assert wide == {}
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_the_member_tables_stack_on_a_phone_and_clip_no_column(
    browser, live_server, demo_site, screenshot, width
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale="ko-KR"
    )
    page = context.new_page()
    page.goto(reverse("councils:committee"))
    regions = page.locator(".krds-table-wrap:has(.roster-table)")
    assert regions.count() >= 2
    for region in regions.all():
        assert region.evaluate("element => element.scrollWidth <= element.clientWidth")
    # The 비고 (role) column is read in full, labelled with its column's name.
    note = page.locator(".roster-table td[data-label='비고']:not(:empty)").first
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert note.evaluate("e => getComputedStyle(e, '::before').content").startswith('"비고')
    screenshot(page, f"committee-{width}")
    context.close()
