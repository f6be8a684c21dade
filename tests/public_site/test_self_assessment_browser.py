"""The self-assessment report, the tracker's completion, a figure's records and the secretariat's
level form, in Chromium, in Korean and English; the report printed as a document."""

import pytest
from django.conf import settings
from django.test import Client

from plans import services
from plans.models import Milestone
from tests.accessibility import Journey
from tests.conftest import second_factor
from tests.factories import UserFactory


@pytest.fixture
def overridden(demo_site):
    staff = second_factor(UserFactory(username="browser-secretariat", is_staff=True))
    milestone = Milestone.objects.get()
    services.milestone_completion_set(
        milestone=milestone, level="completed", reason="부서 결과보고서로 확인", by=staff
    )
    return staff, milestone


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_report_tracker_and_records_in_each_language(
    browser, live_server, overridden, screenshot, language
):
    context = browser.new_context(base_url=live_server.url, locale=f"{language}-KR")
    page = context.new_page()
    journey = Journey(page, f"self-assessment-{language}", screenshot)
    prefix = "" if language == "ko" else "/en"
    page.goto(f"{prefix}/transparency/self-assessment/")
    assert page.locator("html").get_attribute("lang") == language
    heading = "자체 평가 보고서" if language == "ko" else "Self-assessment report"
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.locator(".completion-override").first.is_visible()
    journey.check("report")
    page.emulate_media(media="print")
    assert not page.locator("#krds-header").is_visible()
    screenshot(page, f"self-assessment-print-{language}")
    page.emulate_media(media="screen")

    page.goto(f"{prefix}/transparency/#completion")
    assert page.locator("#completion .figure").count() == 5
    journey.check("tracker")
    page.locator('[data-figure="announced"] a').first.click()
    page.wait_for_url("**/transparency/records/announced/")
    assert page.locator(".figure-records li").count() >= 1
    journey.check("records")
    journey.finish()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_secretariat_sets_a_level(browser, live_server, overridden, screenshot, language):
    staff, milestone = overridden
    client = Client()
    client.force_login(staff)
    context = browser.new_context(base_url=live_server.url, locale=f"{language}-KR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    journey = Journey(page, f"milestone-completion-{language}", screenshot)
    prefix = "" if language == "ko" else "/en"
    page.goto(f"{prefix}{milestone.commitment.get_absolute_url()}")
    journey.check("commitment")
    page.goto(f"{prefix}/participate/milestones/{milestone.pk}/completion/")
    assert page.locator("textarea[name=reason]").is_visible()
    journey.check("form")
    page.select_option("select[name=level]", "")
    page.fill("textarea[name=reason]", "증거가 모두 등록됨")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: f"#milestone-{milestone.pk}" in url)
    assert page.locator("[role=status]").first.is_visible()
    milestone.refresh_from_db()
    assert not milestone.is_overridden
    journey.finish()
    context.close()
