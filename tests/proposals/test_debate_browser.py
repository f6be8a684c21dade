"""Browser journey: a support opens the debate, a comment, a reply, and the reply's notice."""

import pytest
from django.contrib.auth import get_user_model

from outbox.models import Kind, Message
from proposals.models import Call, Proposal


@pytest.fixture
def fresh_proposal(demo_site):
    """A proposal of the demo call whose debate opens at its first support."""
    call = Call.objects.get(slug="ogp-demo-open")
    call.thresholds.filter(opens_debate=True).update(supports=1)
    lead = get_user_model().objects.get(email="lead@ogp-demo.example")
    lead.language = "en"
    lead.save(update_fields=["language"])
    return Proposal.objects.create(
        call=call,
        author=lead,
        title="골목 쉼터 만들기",
        problem="골목에 쉴 곳이 없습니다.",
        solution="빈 땅에 쉼터를 만듭니다.",
    )


@pytest.mark.browser
def test_support_opens_the_debate_then_a_comment_and_a_reply_notice(
    page, browser, live_server, fresh_proposal, screenshot, sign_in
):
    # Korean: a citizen supports, the debate opens, the citizen comments.
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto(fresh_proposal.get_absolute_url())
    assert page.get_by_role("link", name="토론방으로 가기").count() == 0
    page.get_by_role("button", name="이 제안에 공감").click()
    page.get_by_role("link", name="토론방으로 가기").click()
    page.locator("textarea[name=body]").fill("쉼터에 **그늘막**도 있으면 좋겠습니다.")
    page.get_by_role("button", name="의견 게시").click()
    page.get_by_text("의견을 게시했습니다.").wait_for()
    assert page.locator(".comment-body strong").inner_text() == "그늘막"
    assert "참여자 1명" in page.locator("main").inner_text()
    screenshot(page, "debate-ko")

    # English: the proposer replies to the comment.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    proposer = context.new_page()
    sign_in(proposer, "lead@ogp-demo.example", "ogp-lead-2021")
    proposer.goto(f"/en/participate/proposals/{fresh_proposal.pk}/debate/")
    proposer.locator(".comment").first.get_by_role("link", name="Reply").click()
    assert "그늘막" in proposer.locator("blockquote").inner_text()
    proposer.get_by_role("textbox", name="Your comment").fill(
        "좋은 생각입니다. 그늘막도 넣겠습니다."
    )
    proposer.get_by_role("button", name="Post the comment").click()
    proposer.get_by_text("Your comment is posted.").wait_for()
    assert "2 participants" in proposer.locator("main").inner_text()
    assert proposer.locator(".comment-reply").count() == 1
    screenshot(proposer, "debate-en")
    context.close()

    # The citizen hears of the reply, in Korean; the proposer heard of the comment in English.
    citizen = get_user_model().objects.get(email="citizen@ogp-demo.example")
    reply_notice = Message.objects.get(recipient=citizen, kind=Kind.REPLIES)
    assert "내 의견에 답글을 달았습니다" in reply_notice.subject
    proposer_notice = Message.objects.get(
        recipient=fresh_proposal.author, kind=Kind.MY_PROPOSALS, key__contains=":proposer"
    )
    assert "A new comment on your proposal" in proposer_notice.subject
