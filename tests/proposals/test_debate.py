"""The debate room: opened by supports, a review started by participants, moderation, speed."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from outbox.models import Kind, Message
from proposals.models import (
    Comment,
    CommentRevision,
    Debate,
    DebateParticipant,
    ProposalStatus,
    Review,
    SupportThreshold,
)
from proposals.services.debate import (
    comment_edit,
    comment_hide,
    comment_post,
    comment_report,
    debate_open,
)
from proposals.services.supports import proposal_support
from tests.factories import UserFactory


@pytest.fixture
def ladder(open_call):
    """바로소통광주's ladder: 100 supports open the debate; 1,000 participants start a review."""
    SupportThreshold.objects.create(
        call=open_call, supports=3, within_days=30, consequence="토론방", opens_debate=True
    )
    open_call.debate_review_participants = 4
    open_call.debate_response_days = 30
    open_call.save()
    return open_call


@pytest.fixture
def debate(proposal):
    return debate_open(proposal=proposal)


def supporters(proposal, count):
    for _ in range(count):
        proposal_support(proposal=proposal, user=UserFactory())


def test_the_debate_opens_at_its_rung_and_a_review_starts_at_the_next(ladder, proposal):
    supporters(proposal, 2)
    assert not Debate.objects.filter(proposal=proposal).exists()
    supporters(proposal, 1)
    debate = Debate.objects.get(proposal=proposal)
    assert Message.objects.filter(key__startswith=f"proposal:{proposal.pk}:debate").exists()

    people = UserFactory.create_batch(4)
    first = comment_post(debate=debate, author=people[0], body="찬성합니다")
    comment_post(debate=debate, author=people[0], body="한 번 더", parent=first)
    comment_post(debate=debate, author=people[1], body="저도")
    comment_post(debate=debate, author=people[2], body="반대")
    debate.refresh_from_db()
    assert debate.participant_count == 3  # distinct people, not comments
    assert not Review.objects.filter(proposal=proposal).exists()

    comment_post(debate=debate, author=people[3], body="검토해 주세요")
    debate.refresh_from_db()
    proposal.refresh_from_db()
    review = Review.objects.get(proposal=proposal)
    assert debate.participant_count == 4 and debate.review_started_at is not None
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert review.ends_on == timezone.localdate() + dt.timedelta(days=30)
    # A fifth participant starts nothing more.
    comment_post(debate=debate, author=UserFactory(), body="다섯째")
    assert Review.objects.filter(proposal=proposal).count() == 1


def test_replies_have_one_level(debate, citizen):
    comment = comment_post(debate=debate, author=citizen, body="의견")
    reply = comment_post(debate=debate, author=UserFactory(), body="답", parent=comment)
    with pytest.raises(ValidationError):
        comment_post(debate=debate, author=citizen, body="답의 답", parent=reply)


def test_a_reply_tells_the_author_of_the_comment_and_the_proposer(debate, citizen, proposer):
    comment = comment_post(debate=debate, author=citizen, body="의견")
    other = UserFactory()
    reply = comment_post(debate=debate, author=other, body="답글", parent=comment)
    told = Message.objects.filter(key__startswith=f"comment:{reply.pk}:")
    assert {(m.recipient, m.kind) for m in told} == {
        (citizen, Kind.REPLIES),
        (proposer, Kind.MY_PROPOSALS),
    }


def test_a_closed_debate_takes_no_comment(debate, citizen, proposal):
    proposal.move_to("in_review", by=None)
    proposal.move_to("not_adopted", by=None, response="검토 결과")
    with pytest.raises(ValidationError):
        comment_post(debate=debate, author=citizen, body="늦은 의견")


def test_editing_keeps_the_history_within_the_window(debate, citizen):
    comment = comment_post(debate=debate, author=citizen, body="첫 글")
    comment_edit(comment=comment, user=citizen, body="고친 글")
    comment.refresh_from_db()
    assert comment.body == "고친 글" and comment.edited_at
    assert comment.body_html == "<p>고친 글</p>"
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["첫 글"]
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    comment.refresh_from_db()
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, user=citizen, body="너무 늦게")
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, user=UserFactory(), body="남의 글")


def test_hiding_shows_the_reason_and_is_logged(client, debate, citizen, secretariat):
    comment = comment_post(debate=debate, author=citizen, body="욕설이 담긴 글")
    other = UserFactory()
    assert comment_report(comment=comment, user=other, reason="욕설")
    assert not comment_report(comment=comment, user=other)
    comment.refresh_from_db()
    assert comment.report_count == 1
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, by=secretariat, reason=" ")
    client.force_login(secretariat)
    answer = client.post(
        reverse("proposals:comment_hide", args=[comment.pk]), {"reason": "운영 원칙 위반(욕설)"}
    )
    assert answer.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == secretariat
    html = client.get(debate.get_absolute_url()).content.decode()
    assert "운영 원칙 위반(욕설)" in html and "욕설이 담긴 글" not in html
    entry = AuditEntry.objects.get_for_object(comment).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor_id == secretariat.pk and "hidden_reason" in entry.changes_dict


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("citizen", False), ("secretariat", True)],
)
def test_only_the_secretariat_hides(as_role, debate, role, allowed):
    comment = comment_post(debate=debate, author=UserFactory(), body="글")
    as_role(role).post(reverse("proposals:comment_hide", args=[comment.pk]), {"reason": "이유"})
    comment.refresh_from_db()
    assert comment.is_hidden is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("citizen", True), ("secretariat", True)],
)
def test_who_comments(as_role, debate, role, allowed):
    answer = as_role(role).post(
        reverse("proposals:comment_create", args=[debate.proposal_id]), {"body": "의견입니다"}
    )
    assert Comment.objects.filter(body="의견입니다").exists() is allowed
    if allowed:
        assert answer.status_code == 302 and "#comment-" in answer.url


def test_an_unverified_person_is_sent_to_verify(client, debate):
    client.force_login(UserFactory(verified=False))
    answer = client.post(
        reverse("proposals:comment_create", args=[debate.proposal_id]), {"body": "의견"}
    )
    assert answer.status_code == 302 and not Comment.objects.exists()


def test_only_the_secretariat_posts_an_official_answer(client, debate, citizen, secretariat):
    url = reverse("proposals:comment_create", args=[debate.proposal_id])
    client.force_login(citizen)
    client.post(url, {"body": "시민 글", "official": "on"})
    assert not Comment.objects.get(body="시민 글").is_official
    client.force_login(secretariat)
    client.post(url, {"body": "공식 답변입니다", "official": "on"})
    answer = Comment.objects.get(body="공식 답변입니다")
    assert answer.is_official
    told = Message.objects.filter(key__startswith=f"comment:{answer.pk}:official")
    assert [m.recipient for m in told] == [citizen]
    assert "공식 답변" in client.get(debate.get_absolute_url()).content.decode()


def test_markdown_is_sanitised(client, debate, citizen):
    comment_post(
        debate=debate, author=citizen, body="**굵게** <script>alert(1)</script> [x](javascript:y)"
    )
    html = client.get(debate.get_absolute_url()).content.decode()
    assert "<strong>굵게</strong>" in html
    assert "<script>alert" not in html and "javascript:y" not in html


def test_a_comment_is_rendered_once_when_written(debate, citizen):
    """The page shows the HTML stored with the comment; the database refuses one without it."""
    comment = comment_post(debate=debate, author=citizen, body="*기울임*")
    assert comment.body_html == "<p><em>기울임</em></p>"
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(debate=debate, author=citizen, body="렌더링 없음")


def test_comments_are_rate_limited(client, debate, citizen, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "comment": "2/m/user"}
    client.force_login(citizen)
    url = reverse("proposals:comment_create", args=[debate.proposal_id])
    codes = [client.post(url, {"body": f"글 {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_a_draft_survives_an_expired_session(client, debate, citizen):
    url = reverse("proposals:comment_create", args=[debate.proposal_id])
    answer = client.post(url, {"body": "세션이 끝나도 남는 글"})
    assert answer.status_code == 302 and "login" in answer.url
    client.force_login(citizen)
    assert "세션이 끝나도 남는 글" in client.get(url).content.decode()


def test_no_debate_before_its_rung(client, proposal):
    assert client.get(reverse("proposals:debate", args=[proposal.pk])).status_code == 404


def test_the_reply_page_quotes_the_comment(client, debate, citizen):
    comment = comment_post(debate=debate, author=UserFactory(), body="원글")
    client.force_login(citizen)
    html = client.get(
        reverse("proposals:comment_create", args=[debate.proposal_id]) + f"?reply_to={comment.pk}"
    ).content.decode()
    assert "원글" in html and f'value="{comment.pk}"' in html


def bulk_comments(debate, count: int) -> None:
    """`count` comments, a third of them replies, by 20 people, written in bulk."""
    people = UserFactory.create_batch(20)
    roots = Comment.objects.bulk_create(
        Comment(
            debate=debate, author=people[n % 20], body=f"의견 {n}", body_html=f"<p>의견 {n}</p>"
        )
        for n in range(count - count // 3)
    )
    Comment.objects.bulk_create(
        Comment(
            debate=debate,
            author=people[n % 20],
            parent=roots[n],
            body=f"답 {n}",
            body_html=f"<p>답 {n}</p>",
        )
        for n in range(count // 3)
    )
    DebateParticipant.objects.bulk_create(DebateParticipant(debate=debate, user=p) for p in people)


@pytest.mark.parametrize("size", [30, 10_000])
def test_the_debate_page_is_bounded(client, debate, citizen, size, django_assert_num_queries):
    bulk_comments(debate, size)
    url = debate.get_absolute_url()
    client.force_login(citizen)
    cache.clear()  # the pages' version is cached for a second: read it from the database
    # session, user, proposal with its debate, verified address, count, one page, revisions,
    # the call's ladder (its steps), and the pages' version (the header and footer are kept as
    # HTML per version: `{% shared %}`)
    with django_assert_num_queries(9) as captured:
        answer = client.get(f"{url}?page=last")
    assert answer.status_code == 200
    assert len(answer.context["comments"]) == (30 if size == 30 else 10_000 - 199 * 50)
    page_query = next(
        q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"] and "comment" in q["sql"]
    )
    assert int(re.search(r"LIMIT (\d+)", page_query).group(1)) <= 50
    client.logout()
    cache.clear()  # the pages' version is cached for a second: read it from the database
    # A visitor: the pages' version, proposal with its debate, count, page, revisions, the
    # call's ladder.
    with django_assert_num_queries(6):
        answer = client.get(f"{url}?page=2")
    assert len(answer.context["comments"]) == min(max(size - 50, 30), 50)


def test_the_demo_has_an_open_debate_with_an_official_answer(demo, client):
    debate = Debate.objects.get(proposal__is_demo=True)
    assert debate.is_open and debate.participant_count == 3
    assert debate.comments.filter(is_official=True).count() == 1
    assert debate.comments.filter(parent__isnull=False).exists()
    assert not Message.objects.filter(key__contains="comment:").exists()
    html = client.get(debate.get_absolute_url()).content.decode()
    assert "공식 답변" in html and "<strong>임대료</strong>" in html


def test_a_comment_page_leads_back_to_its_proposal_and_debate(client, debate, citizen):
    comment = comment_post(debate=debate, author=UserFactory(), body="의견")
    client.force_login(citizen)
    html = client.get(reverse("proposals:comment_report", args=[comment.pk])).content.decode()
    trail = html.split('id="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert debate.proposal.get_absolute_url() in trail
    assert reverse("proposals:debate", args=[debate.proposal_id]) in trail
    assert '<span class="txt" aria-current="page">의견 신고</span>' in trail
    assert "<title>의견 신고 · " in html and "<h1>의견 신고</h1>" in html


def test_a_hidden_comment_takes_no_reply(debate, citizen, secretariat):
    comment = comment_post(debate=debate, author=citizen, body="글")
    comment_hide(comment=comment, by=secretariat, reason="운영 원칙 위반")
    with pytest.raises(ValidationError):
        comment_post(debate=debate, author=UserFactory(), body="답", parent=comment)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<iframe src=x></iframe>",
        "<b></b>",
        # Found again by the attack run: published as a blank comment.
        "&nbsp;",
        "\u200b\u202e",
        "ㅤ",  # a Hangul filler, a letter that shows nothing
        "\u2800",  # the blank braille cell (second attack run), and combining marks alone
        "\u034f\u17b4\ufe0f",
    ],
)
def test_a_comment_that_is_only_html_is_refused_with_a_message(client, debate, citizen, body):
    client.force_login(citizen)
    answer = client.post(
        reverse("proposals:comment_create", args=[debate.proposal_id]), {"body": body}, follow=True
    )
    assert answer.status_code in (200, 400)
    assert "HTML" in answer.content.decode()
    assert not Comment.objects.exists()
