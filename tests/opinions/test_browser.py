"""Browser journey: voting through the demo opinion map's statements, in Korean and English."""

import pytest

from opinions.models import Statement, StatementVote
from proposals.models import Debate
from tests.accessibility import Journey


@pytest.fixture
def demo_debate(demo_site):
    return Debate.objects.select_related("opinion_map").get(opinion_map__isnull=False)


@pytest.mark.browser
def test_voting_through_the_statements_in_both_languages(
    page, browser, live_server, demo_debate, screenshot, sign_in
):
    opinion_map = demo_debate.opinion_map
    total = opinion_map.statements.count()
    journey = Journey(page, "opinions-ko", screenshot)

    # Korean: from the debate to the map, every statement voted one at a time, one written.
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto(demo_debate.get_absolute_url())
    page.get_by_role("link", name="이 토론의 의견 지도").click()
    assert page.get_by_role("heading", name="모든 그룹이 동의하는 것").is_visible()
    assert page.get_by_role("img", name="의견 그룹").count() == 1
    journey.check("map")
    page.get_by_role("link", name="문장에 투표하기").click()
    page.locator("#statement").wait_for()
    journey.check("vote")
    buttons = ["동의", "반대", "보류 / 잘 모르겠음"]
    for n in range(total):
        page.get_by_role("button", name=buttons[n % 3], exact=True).click()
        page.wait_for_load_state()
    page.locator("#all-voted").wait_for()
    page.get_by_role("textbox", name="내 의견 문장").fill("발전 수익은 마을 도서관에도 쓰자.")
    page.get_by_role("button", name="문장 추가").click()
    page.get_by_text("문장이 추가되었습니다.").wait_for()
    journey.check("all-voted")
    assert StatementVote.objects.filter(user__email="citizen@ogp-demo.example").count() == total + 1

    # English: another person votes on the new statement first among others.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    english = context.new_page()
    english_journey = Journey(english, "opinions-en", screenshot)
    sign_in(english, "lead@ogp-demo.example", "ogp-lead-2021")
    english.goto(f"/en/opinions/{opinion_map.pk}/take-part/")
    english.get_by_role("heading", name="Vote on the statements").wait_for()
    assert english.get_by_text(f"{total + 1} statements left").is_visible()
    english_journey.check("vote")
    for _ in range(3):
        english.get_by_role("button", name="Agree", exact=True).click()
        english.wait_for_load_state()
    assert english.get_by_text(f"{total - 2} statements left").is_visible()
    english.get_by_role("link", name="See the opinion groups").click()
    assert english.get_by_role("heading", name="What unites the groups").is_visible()
    assert english.get_by_role("heading", name="How the groups are found").is_visible()
    english_journey.check("map")
    context.close()
    journey.finish()
    english_journey.finish()
    assert Statement.objects.filter(text="발전 수익은 마을 도서관에도 쓰자.").exists()
