"""In Chromium, in Korean and English: a closed poll waits as "closed · counting", then shows
its turnout with each figure labelled; a person names themselves. Every state is audited."""

import pytest
from django.urls import reverse
from django.utils import translation

from consultations import services
from tests.accessibility import Journey
from tests.consultations.test_turnout import ON_SITE, resident
from tests.factories import PollFactory
from tests.verification.conftest import KIM
from verification.models import Method

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_citizen_sees_counting_then_the_labelled_turnout(
    page, transactional_db, screenshot, language
):
    from consultations.models import Booth
    from tests.consultations.conftest import option_ids

    journey = Journey(page, f"poll-closing-{language}", screenshot)
    poll = PollFactory(required_verification=Method.RESIDENT, minimum_age=14)
    services.poll_vote(poll=poll, user=resident(1), option_ids=option_ids(poll, "찬성"))
    resident(2)  # may vote, stays home
    booth = Booth.objects.create(poll=poll, name="용봉동", place="북구", opening_hours="9–18")
    for person in [KIM, *ON_SITE[:2]]:
        services.booth_participation_record(booth=booth, **person, id_checked=True)
    assert services.poll_close_now(poll=poll) is None  # the booth's totals are missing
    with translation.override(language):
        url = poll.get_absolute_url()
    page.goto(url)
    badge = {"ko": "마감 · 집계 중", "en": "Closed · counting"}[language]
    assert badge in page.locator("main").inner_text()
    assert page.locator("#counting").is_visible()
    journey.check("counting")

    yes, no = option_ids(poll, "찬성", "반대")
    services.booth_totals_enter(booth=booth, ballots=3, invalid=0, votes={yes: 1, no: 2})
    assert services.polls_close() == 1
    page.goto(url)
    turnout = page.locator("#turnout").inner_text()
    # 4 ballots ÷ (1 resident online + 1 who stayed home + 3 on site) = 80.0 %
    assert "80.0%" in turnout and "5" in turnout
    journey.check("published")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"poll-closing-{language}-320")
    journey.finish()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_person_changes_their_public_name(page, transactional_db, screenshot, language):
    from tests.factories import UserFactory

    person = UserFactory(display_name="햇살민지")
    person.set_password("a-long-name-password-7")
    person.save(update_fields=["password"])
    journey = Journey(page, f"public-name-{language}", screenshot)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", "a-long-name-password-7")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/")
    with translation.override(language):
        page.goto(reverse("account_public_name"))
    journey.check("public-name")
    page.fill("input[name=display_name]", "김민지")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "김민지" in page.locator("[role=status], .krds-alert, .alert").first.inner_text()
    journey.check("public-name-saved")
    journey.finish()
