"""Browser journey, in Korean and in English: the secretariat opens a draft, a verified citizen
comments on a passage selected in the text, the plan refuses adoption while the comment waits,
the secretariat answers, the plan is adopted, and the citizen reads the answer and the diff."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionPlan, Commitment, DraftComment, DraftConsultation

pytestmark = pytest.mark.browser

LANGUAGES = pytest.mark.parametrize("prefix", ["", "/en"], ids=["ko", "en"])
SENTENCE = "골목마다 쉼터를 만듭니다."
TEXT = f"시민과 함께 기후 적응 계획을 세웁니다. {SENTENCE}\n분기마다 결과를 공개합니다."
WORDS = {
    "": {
        "selection": "선택한 문장에 의견 남기기",
        "posted": "의견을 게시했습니다.",
        "waits": "1건이 답변을 기다립니다",
        "adopted": "실행계획 1건을 채택했습니다.",
        "answered": "답변을 의견과 함께 공개했습니다.",
        "partly": "일부 반영",
        "removed": "삭제",
    },
    "/en": {
        "selection": "Comment on the selected passage",
        "posted": "Your comment is posted.",
        "waits": "1 comment on the draft awaits its answer",
        "adopted": "1 plan adopted.",
        "answered": "The answer is published with the comment.",
        "partly": "Partly accepted",
        "removed": "removed",
    },
}


def select_in_paragraph(page, paragraph_id: str, text: str) -> None:
    """Selects `text` inside the paragraph as a mouse would, and lets go of the button."""
    page.evaluate(
        """([id, text]) => {
            // English pages wrap Korean runs in <span lang="ko">: the first text node inside.
            const paragraph = document.getElementById(id);
            const node = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT).nextNode();
            const start = node.textContent.indexOf(text);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + text.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }""",
        [paragraph_id, text],
    )


def admin_action(page, prefix: str, model: str, pk: int, action: str) -> str:
    page.goto(prefix + reverse(f"admin:plans_{model}_changelist"))
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    return page.locator(".messagelist").inner_text()


@LANGUAGES
def test_a_draft_is_commented_answered_adopted_and_compared(
    page, browser, live_server, demo_site, screenshot, sign_in, settings, prefix
):
    settings.STAFF_MFA_REQUIRED = False  # the second factor has its own tests
    words, suffix = WORDS[prefix], prefix.replace("/", "-") or "-ko"
    plan = ActionPlan.objects.create(
        title=f"2023 실행계획 초안{suffix}",
        slug=f"gwangju-2023{suffix}",
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2024, 12, 31),
    )
    commitment = Commitment.objects.create(
        plan=plan,
        title="기후 적응 쉼터",
        lead_agency="기후환경정책과",
        problem="폭염에 쉴 곳이 없습니다.",
        description=TEXT,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
    )

    # The secretariat opens the draft for comment in the admin.
    sign_in(page, "secretariat@ogp-demo.example", "ogp-secretariat-2021")
    page.goto(prefix + reverse("admin:plans_draftconsultation_add"))
    page.select_option("#id_plan", str(plan.pk))
    now = timezone.localtime()
    page.fill("#id_opens_at_0", (now - dt.timedelta(days=1)).strftime("%Y-%m-%d"))
    page.fill("#id_opens_at_1", "09:00:00")
    page.fill("#id_closes_at_0", (now + dt.timedelta(days=14)).strftime("%Y-%m-%d"))
    page.fill("#id_closes_at_1", "18:00:00")
    page.select_option("#id_required_verification", "email")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    consultation = DraftConsultation.objects.get(plan=plan)
    draft = consultation.commitments.get()
    screenshot(page, f"draft-admin{suffix}")

    # A verified citizen selects a sentence of the commitment and comments on it.
    context = browser.new_context(base_url=live_server.url, locale="en-US" if prefix else "ko-KR")
    citizen = context.new_page()
    sign_in(citizen, "citizen@ogp-demo.example", "ogp-citizen-2021")
    citizen.goto(prefix + consultation.get_absolute_url())
    select_in_paragraph(citizen, f"draft-{draft.pk}-p0", SENTENCE)
    citizen.get_by_role("link", name=words["selection"]).click()
    citizen.wait_for_load_state()
    assert citizen.locator("input[name=quote]").input_value() == SENTENCE
    assert citizen.locator("select[name=paragraph]").input_value() == "0"
    screenshot(citizen, f"draft-comment-form{suffix}")
    citizen.locator("textarea[name=body]").fill("쉼터마다 그늘막과 식수대를 함께 두면 좋겠습니다.")
    citizen.locator("main form button[type=submit]").click()
    citizen.get_by_text(words["posted"]).wait_for()
    comment = DraftComment.objects.get(commitment=draft)
    assert (comment.paragraph, comment.quote) == (0, SENTENCE)
    assert TEXT.split("\n")[0][comment.quote_start : comment.quote_end] == SENTENCE
    screenshot(citizen, f"draft-page{suffix}")

    # The period ends; the plan refuses adoption while the comment waits for its answer.
    admin_action(page, prefix, "draftconsultation", consultation.pk, "close_now")
    refused = admin_action(page, prefix, "actionplan", plan.pk, "adopt")
    assert words["waits"] in refused
    plan.refresh_from_db()
    assert plan.adopted_on is None
    screenshot(page, f"draft-adoption-refused{suffix}")

    # The secretariat answers from the draft's page, and the commitment takes up the comment.
    page.goto(prefix + consultation.get_absolute_url())
    page.locator(f"#comment-{comment.pk} .comment-actions a").first.click()
    page.wait_for_load_state()
    page.locator("input[name=outcome][value=partly]").check()
    page.locator("textarea[name=reasons]").fill("그늘막은 반영하고, 식수대는 부서와 협의합니다.")
    screenshot(page, f"draft-answer-form{suffix}")
    page.locator("main form button[type=submit]").click()
    page.get_by_text(words["answered"]).wait_for()
    Commitment.objects.filter(pk=commitment.pk).update(
        description=TEXT.replace("골목마다 쉼터를", "그늘막이 있는 쉼터를")
    )
    adopted = admin_action(page, prefix, "actionplan", plan.pk, "adopt")
    assert words["adopted"] in adopted
    plan.refresh_from_db()
    assert plan.adopted_on == timezone.localdate()

    # The citizen reads the answer and what changed from the draft.
    citizen.goto(prefix + consultation.get_absolute_url())
    answer = citizen.locator(f"#comment-{comment.pk} .draft-answer").inner_text()
    assert words["partly"] in answer and "그늘막은 반영하고" in answer
    changes = citizen.locator(".draft-changes")
    assert "그늘막이 있는" in changes.locator("ins").first.inner_text()
    removed = changes.locator("del").first.inner_text()
    assert "골목마다" in removed and words["removed"] in removed
    screenshot(citizen, f"draft-adopted{suffix}")
    citizen.goto(prefix + reverse("proposals:draft_report", args=[plan.slug]))
    assert "그늘막은 반영하고" in citizen.locator("main").inner_text()
    screenshot(citizen, f"draft-report{suffix}")
    context.close()
