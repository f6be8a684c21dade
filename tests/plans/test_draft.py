"""The draft plan's consultation: opening it, comments on a commitment, paragraph or passage,
their answers, moderation, adoption refused while a comment waits, the diff and the report."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opinions.models import OpinionMap
from plans import services
from plans.models import (
    ActionPlan,
    DraftComment,
    DraftConsultation,
    Milestone,
    Outcome,
    text_diff,
)
from proposals.models import Review
from tests.conftest import admin_action
from tests.factories import CommitmentFactory, ProposalFactory, UserFactory
from verification.models import Method

TEXT = "첫째 문단입니다. 시민과 함께 만듭니다.\n둘째 문단은 점검을 말합니다."


@pytest.fixture
def commitment(db):
    commitment = CommitmentFactory(description=TEXT, lead_agency="혁신소통기획관")
    Milestone.objects.create(commitment=commitment, title="현황 파악", department="혁신소통기획관")
    return commitment


@pytest.fixture
def plan(commitment):
    return commitment.plan


@pytest.fixture
def consultation(plan):
    now = timezone.now()
    return services.draft_open(
        consultation=DraftConsultation(
            plan=plan, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9)
        )
    )


@pytest.fixture
def draft(consultation):
    return consultation.commitments.get()


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.fixture
def comment(draft, citizen):
    return services.draft_comment_post(
        commitment=draft, author=citizen, body="점검 주기를 밝혀 주세요.", paragraph=1
    )


def close(consultation):
    DraftConsultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=10), closes_at=timezone.now()
    )
    consultation.refresh_from_db()


# Opening: the draft is a copy ----------------------------------------------------------------


def test_opening_copies_each_commitment_as_it_stands(draft, commitment):
    assert draft.commitment == commitment
    assert draft.description == TEXT and draft.lead_agency == "혁신소통기획관"
    assert draft.milestones == "현황 파악 · 혁신소통기획관"
    assert draft.paragraphs() == [
        "첫째 문단입니다. 시민과 함께 만듭니다.",
        "둘째 문단은 점검을 말합니다.",
    ]
    commitment.description = "바뀐 본문"
    commitment.save()
    draft.refresh_from_db()
    assert draft.description == TEXT  # the copy stays as the draft put it


def test_an_adopted_plan_or_a_plan_without_commitments_opens_no_draft(db):
    empty = ActionPlan.objects.create(
        title="빈 계획", slug="empty", starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2021, 12, 31)
    )
    window = {"opens_at": timezone.now(), "closes_at": timezone.now() + dt.timedelta(days=1)}
    with pytest.raises(ValidationError, match="이행과제가 없습니다"):
        services.draft_open(consultation=DraftConsultation(plan=empty, **window))
    adopted = CommitmentFactory().plan
    adopted.adopted_on = dt.date(2021, 3, 29)
    adopted.save()
    with pytest.raises(ValidationError, match="이미 채택"):
        services.draft_open(consultation=DraftConsultation(plan=adopted, **window))


def test_a_plan_opens_one_draft(consultation, plan):
    window = {"opens_at": timezone.now(), "closes_at": timezone.now() + dt.timedelta(days=1)}
    with pytest.raises(ValidationError):
        services.draft_open(consultation=DraftConsultation(plan=plan, **window))


# Comments -------------------------------------------------------------------------------------


def test_a_comment_on_a_passage_keeps_its_place(draft, citizen):
    comment = services.draft_comment_post(
        commitment=draft,
        author=citizen,
        body="좋습니다.",
        paragraph=0,
        quote="시민과 함께 만듭니다.",
        quote_start=0,  # wrong offsets: found again in the paragraph
        quote_end=3,
    )
    assert (comment.paragraph, comment.quote_start, comment.quote_end) == (0, 10, 22)
    assert draft.paragraphs()[0][comment.quote_start : comment.quote_end] == comment.quote


@pytest.mark.parametrize(
    ("paragraph", "quote", "refusal"),
    [
        (None, "시민과", "문단을 고르세요"),
        (5, "", "그런 문단이 없습니다"),
        (1, "시민과 함께", "고른 문단에 없습니다"),
    ],
)
def test_a_passage_must_be_in_the_draft(draft, citizen, paragraph, quote, refusal):
    with pytest.raises(ValidationError, match=refusal):
        services.draft_comment_post(
            commitment=draft, author=citizen, body="의견", paragraph=paragraph, quote=quote
        )
    assert not DraftComment.objects.exists()


def test_comments_wait_for_the_opening_and_stop_at_the_close(draft, consultation, citizen):
    close(consultation)
    with pytest.raises(ValidationError, match="의견을 받지 않습니다"):
        services.draft_comment_post(commitment=draft, author=citizen, body="늦은 의견")


def test_the_consultation_chooses_its_verification(draft, consultation, citizen):
    consultation.required_verification = Method.RESIDENT
    consultation.save()
    with pytest.raises(ValidationError, match="광주 주민"):
        services.draft_comment_post(commitment=draft, author=citizen, body="의견")


def test_the_database_refuses_an_incomplete_answer(comment):
    with pytest.raises(IntegrityError), transaction.atomic():
        DraftComment.objects.filter(pk=comment.pk).update(outcome=Outcome.ACCEPTED)


# Answers and adoption -------------------------------------------------------------------------


def test_adoption_waits_for_the_close_and_every_answer(plan, consultation, comment, secretariat):
    with pytest.raises(ValidationError, match="진행 중"):
        services.plan_adopt(plan=plan)
    close(consultation)
    with pytest.raises(ValidationError, match="1건이 답변을 기다립니다"):
        services.plan_adopt(plan=plan)
    with pytest.raises(ValidationError, match="이유를 적어"):
        services.draft_comment_answer(
            comment=comment, by=secretariat, outcome=Outcome.ACCEPTED, reasons=" "
        )
    services.draft_comment_answer(
        comment=comment, by=secretariat, outcome=Outcome.PARTLY, reasons="분기마다 점검합니다."
    )
    services.plan_adopt(plan=plan)
    plan.refresh_from_db()
    assert plan.adopted_on == timezone.localdate()
    with pytest.raises(ValidationError, match="채택되었습니다"):
        services.draft_comment_answer(
            comment=comment, by=secretariat, outcome=Outcome.ACCEPTED, reasons="다시"
        )


def test_the_database_refuses_adoption_while_a_comment_waits(plan, consultation, comment):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.filter(pk=plan.pk).update(adopted_on=timezone.localdate())
    DraftComment.objects.filter(pk=comment.pk).update(
        hidden_at=timezone.now(), hidden_reason="욕설"
    )
    ActionPlan.objects.filter(pk=plan.pk).update(adopted_on=timezone.localdate())


def test_a_hidden_comment_is_answered_by_its_reason(comment, secretariat):
    services.draft_comment_hide(comment=comment, by=secretariat, reason="개인정보가 담겨 있습니다.")
    assert not DraftComment.objects.unanswered().exists()
    with pytest.raises(ValidationError, match="가려진 의견"):
        services.draft_comment_answer(
            comment=comment, by=secretariat, outcome=Outcome.ACCEPTED, reasons="반영"
        )


def test_a_report_counts_once_and_not_by_the_author(comment, citizen):
    other = UserFactory(username="other")
    assert services.draft_comment_report(comment=comment, user=other, reason="광고")
    assert not services.draft_comment_report(comment=comment, user=other)
    with pytest.raises(ValidationError):
        services.draft_comment_report(comment=comment, user=citizen)
    comment.refresh_from_db()
    assert comment.report_count == 1


# The diff ------------------------------------------------------------------------------------


def test_the_diff_names_what_was_removed_and_added():
    parts = text_diff("분기마다 결과를 공개합니다.", "분기마다 회의록으로 공개합니다.")
    assert [(p.text, p.removed, p.added) for p in parts] == [
        ("분기마다 ", False, False),
        ("결과를", True, False),
        ("회의록으로", False, True),
        (" 공개합니다.", False, False),
    ]


def test_changes_compare_the_draft_with_the_commitment_now(draft, commitment):
    assert draft.changes() == []
    commitment.lead_agency = "기후환경정책과"
    commitment.save()
    Milestone.objects.create(commitment=commitment, title="점검", display_order=2)
    draft.refresh_from_db()
    labels = [str(label) for label, _parts in draft.changes()]
    assert labels == ["주관 기관", "세부 단계"]


# The admin -----------------------------------------------------------------------------------


def test_the_admin_opens_a_draft_and_refuses_adoption_with_the_reason(staff_client, plan):
    now = timezone.localtime()
    response = staff_client.post(
        reverse("admin:plans_draftconsultation_add"),
        {
            "plan": plan.pk,
            "opens_at_0": (now - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
            "opens_at_1": "09:00:00",
            "closes_at_0": (now + dt.timedelta(days=9)).strftime("%Y-%m-%d"),
            "closes_at_1": "18:00:00",
            "required_verification": Method.EMAIL,
            "introduction": "",
            "commitments-TOTAL_FORMS": 0,
            "commitments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = DraftConsultation.objects.get(plan=plan)
    assert consultation.commitments.count() == 1
    draft = consultation.commitments.get()
    services.draft_comment_post(commitment=draft, author=UserFactory(), body="의견")
    close(consultation)
    response = admin_action(staff_client, "adopt", [plan], follow=True)
    assert "답변을 기다립니다" in response.content.decode()
    plan.refresh_from_db()
    assert plan.adopted_on is None
    form = {
        "title": plan.title,
        "slug": plan.slug,
        "adopted_on": "2021-03-29",
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "summary": "",
    }
    response = staff_client.post(reverse("admin:plans_actionplan_change", args=[plan.pk]), form)
    assert response.status_code == 200 and "답변을 기다립니다" in response.content.decode()


# Pages: who may do what ----------------------------------------------------------------------

ROLES = ["anonymous", "unverified", "citizen", "secretariat"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_draft_and_the_report(as_role, role, comment, consultation):
    client = as_role(role)
    slug = consultation.plan.slug
    page = client.get(reverse("proposals:draft", args=[slug])).content.decode()
    assert "점검 주기를 밝혀 주세요." in page
    can_comment = role in {"citizen", "secretariat"}
    link = f'href="/participate/draft-commitments/{comment.commitment_id}/comment/"'
    assert (link in page) == can_comment
    assert (reverse("proposals:draft_comment_answer", args=[comment.pk]) in page) == (
        role == "secretariat"
    )
    report = client.get(reverse("proposals:draft_report", args=[slug]))
    assert report.status_code == 200 and "점검 주기를 밝혀 주세요." in report.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("unverified", "verify"),
        ("citizen", "posted"),
        ("secretariat", "posted"),
    ],
)
def test_who_comments(as_role, role, expected, draft):
    client = as_role(role)
    url = reverse("proposals:draft_comment_create", args=[draft.pk])
    response = client.post(
        url, {"paragraph": "0", "quote": "시민과 함께 만듭니다.", "body": "좋아요"}
    )
    posted = DraftComment.objects.filter(body="좋아요")
    if expected == "posted":
        assert response.status_code == 302 and posted.get().quote_start == 10
    else:
        assert not posted.exists()
        assert ("/accounts/login/" if expected == "login" else "/accounts/email/") in response.url


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("unverified", 403), ("citizen", 403), ("secretariat", 302)],
)
def test_who_answers(as_role, role, status, comment):
    response = as_role(role).post(
        reverse("proposals:draft_comment_answer", args=[comment.pk]),
        {"outcome": Outcome.ACCEPTED, "reasons": "반영했습니다."},
    )
    assert response.status_code == status
    comment.refresh_from_db()
    assert comment.is_answered == (role == "secretariat")


def test_the_lead_departments_reviewer_answers_too(client, comment, commitment):
    reviewer = UserFactory(username="reviewer")
    commitment.proposal = ProposalFactory()
    commitment.save()
    Review.objects.create(
        proposal=commitment.proposal,
        department="혁신소통기획관",
        reviewer=reviewer,
        starts_on="2021-03-05",
        ends_on="2021-03-09",
    )
    client.force_login(reviewer)
    url = reverse("proposals:draft_comment_answer", args=[comment.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"outcome": Outcome.NOT_ACCEPTED, "reasons": "예산이 없습니다."})
    comment.refresh_from_db()
    assert comment.outcome == Outcome.NOT_ACCEPTED and comment.answered_by == reviewer


@pytest.mark.parametrize(
    ("role", "hidden"),
    [("anonymous", False), ("unverified", False), ("citizen", False), ("secretariat", True)],
)
def test_who_hides(as_role, role, hidden, comment):
    as_role(role).post(
        reverse("proposals:draft_comment_hide", args=[comment.pk]), {"reason": "욕설"}
    )
    comment.refresh_from_db()
    assert comment.is_hidden == hidden


@pytest.mark.parametrize(
    ("role", "reported"),
    [("anonymous", 0), ("unverified", 0), ("citizen", 0), ("secretariat", 1)],
)
def test_who_reports(as_role, role, reported, comment):
    # The citizen wrote the comment: an author does not report their own.
    as_role(role).post(reverse("proposals:draft_comment_report", args=[comment.pk]), {})
    comment.refresh_from_db()
    assert comment.report_count == reported


# Bad input: a clear refusal, never a 500 ------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"body": ""},
        {"body": "가" * 5_001},
        {"body": "a\x00b"},
        {"paragraph": "99", "body": "의견"},
        {"paragraph": "abc", "body": "의견"},
        {"paragraph": "1", "quote": "없는 문장", "body": "의견"},
        {"paragraph": "", "quote": "시민과", "body": "의견"},
        {"paragraph": "0", "quote_start": "-1", "quote_end": "9" * 30, "body": "의견"},
        {"paragraph": "0", "quote": "가" * 2_000, "body": "의견"},
    ],
)
def test_bad_comments_are_refused_in_words(client, citizen, draft, data):
    client.force_login(citizen)
    response = client.post(reverse("proposals:draft_comment_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert not DraftComment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"outcome": "maybe", "reasons": "이유"}, {"outcome": "accepted", "reasons": "a\x00b"}],
)
def test_bad_answers_are_refused_in_words(client, secretariat, comment, data):
    client.force_login(secretariat)
    response = client.post(reverse("proposals:draft_comment_answer", args=[comment.pk]), data)
    assert response.status_code == 200
    comment.refresh_from_db()
    assert not comment.is_answered


@pytest.mark.parametrize(
    "url",
    [
        "/participate/plans/no-such-plan/draft/",
        "/participate/plans/no-such-plan/draft/report.csv",
        "/participate/draft-commitments/999999/comment/",
        "/participate/draft-comments/999999/answer/",
        "/participate/draft-commitments/1/comment/?paragraph=abc&quote_start=x",
    ],
)
def test_unknown_addresses_are_not_found(client, secretariat, url):
    client.force_login(secretariat)
    assert client.get(url).status_code == 404


def test_the_form_fills_from_a_selection_and_survives_junk(client, citizen, draft):
    client.force_login(citizen)
    url = reverse("proposals:draft_comment_create", args=[draft.pk])
    page = client.get(url, {"paragraph": "0", "quote": "시민과", "quote_start": "10"})
    html = page.content.decode()
    assert 'value="시민과"' in html and 'value="10"' in html
    assert client.get(url, {"paragraph": "junk", "quote_end": "x" * 5000}).status_code == 200


# The report as CSV ----------------------------------------------------------------------------


def test_the_report_downloads_as_csv(client, comment, secretariat, consultation):
    services.draft_comment_answer(
        comment=comment, by=secretariat, outcome=Outcome.ACCEPTED, reasons="=반영했습니다"
    )
    response = client.get(reverse("proposals:draft_report_csv", args=[consultation.plan.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.splitlines()
    assert len(lines) == 2
    assert "점검 주기를 밝혀 주세요." in lines[1] and "반영" in lines[1]
    assert "'=반영했습니다" in lines[1]  # the formula guard
    assert "citizen" not in text  # no one's name or address


@pytest.mark.parametrize("size", [1, 5])
def test_draft_pages_query_counts(client, draft, django_assert_num_queries, size):
    for n in range(size):
        services.draft_comment_post(commitment=draft, author=UserFactory(), body=f"의견 {n}")
    slug = draft.consultation.plan.slug
    with django_assert_num_queries(3):
        client.get(reverse("proposals:draft", args=[slug]))
    with django_assert_num_queries(3):
        client.get(reverse("proposals:draft_report", args=[slug]))


# The OGP requirement tracker ------------------------------------------------------------------


def test_the_tracker_counts_every_comment_answered_from_live_data(
    comment, consultation, secretariat, django_assert_max_num_queries
):
    from public_site.transparency import _draft_comments_answered

    row = _draft_comments_answered()
    assert not row.met and "1건 중 1건" in row.finding
    assert row.evidence == [
        (consultation.plan.title, reverse("proposals:draft_report", args=[consultation.plan.slug]))
    ]
    services.draft_comment_answer(
        comment=comment, by=secretariat, outcome=Outcome.ACCEPTED, reasons="반영"
    )
    for n in range(5):
        services.draft_comment_post(commitment=comment.commitment, author=secretariat, body=f"{n}")
        DraftComment.objects.filter(body=f"{n}").update(hidden_at=timezone.now(), hidden_reason="x")
    with django_assert_max_num_queries(2):
        row = _draft_comments_answered()
    assert row.met and "6건 중 0건" in row.finding


def test_no_draft_put_to_comment_is_not_met(db):
    from public_site.transparency import _draft_comments_answered

    row = _draft_comments_answered()
    assert not row.met and row.evidence == []


# Open data ------------------------------------------------------------------------------------


def test_open_data_has_comments_and_answers_without_personal_data(client, comment, secretariat):
    services.draft_comment_answer(
        comment=comment, by=secretariat, outcome=Outcome.PARTLY, reasons="일부 반영"
    )
    hidden = services.draft_comment_post(
        commitment=comment.commitment, author=secretariat, body="전화 010-0000-0000"
    )
    services.draft_comment_hide(comment=hidden, by=secretariat, reason="개인정보")
    rows = client.get(reverse("opendata_dataset", args=["draft-comments", "json"])).json()
    first, second = rows["results"]
    assert first["comment"] == "점검 주기를 밝혀 주세요." and first["outcome"] == "partly"
    assert first["paragraph"] == 2 and first["reasons"] == "일부 반영"
    assert second["comment"] == "" and second["hidden_reason"] == "개인정보"
    text = str(rows)
    for personal in ("citizen", "secretariat", "@example.org", "010-0000-0000"):
        assert personal not in text


# Personal data --------------------------------------------------------------------------------


def test_a_person_gets_their_comments_and_their_reports_go_with_the_account(comment, citizen):
    from privacy.services import PARTS

    reporter = UserFactory(username="reporter")
    services.draft_comment_report(comment=comment, user=reporter, reason="광고")
    exported = PARTS["plans"].export(user=citizen)
    assert exported["draft_plan_comments"][0]["body"] == "점검 주기를 밝혀 주세요."
    PARTS["plans"].erase(user=reporter, now=timezone.now())
    assert not comment.reports.exists()
    assert DraftComment.objects.filter(pk=comment.pk).exists()


def test_a_draft_may_hold_an_opinion_map_its_page_links_to(client, consultation):
    """Item 3 of the co-creation issue: an opinion map in the draft's consultation too."""
    now = timezone.now()
    opinion_map = OpinionMap.objects.create(
        title="초안 의견 지도",
        question="이행과제의 우선순위는?",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9),
    )
    page = client.get(reverse("proposals:draft", args=[consultation.plan.slug])).content.decode()
    assert reverse("opinions:map", args=[opinion_map.pk]) not in page
    consultation.opinion_map = opinion_map
    consultation.save(update_fields=["opinion_map"])
    page = client.get(reverse("proposals:draft", args=[consultation.plan.slug])).content.decode()
    assert reverse("opinions:map", args=[opinion_map.pk]) in page
