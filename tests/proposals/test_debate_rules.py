"""Role × state matrix for the debate's permissions, asserting each view's effect."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Comment, CommentReport
from proposals.services.debate import comment_post, debate_open
from tests.factories import UserFactory

ROLES = ["anonymous", "unverified", "citizen", "author", "secretariat"]


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.fixture
def author(db):
    return UserFactory(username="comment-author")


@pytest.fixture
def debate(proposal):
    return debate_open(proposal=proposal)


@pytest.fixture
def comment(debate, author):
    return comment_post(debate=debate, author=author, body="처음 글")


@pytest.mark.parametrize(
    ("role", "fresh", "allowed"),
    [(role, True, role == "author") for role in ROLES] + [("author", False, False)],
)
def test_only_the_author_corrects_and_only_at_first(as_role, comment, role, fresh, allowed):
    if not fresh:
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=16)
        )
    as_role(role).post(reverse("proposals:comment_edit", args=[comment.pk]), {"body": "고친 글"})
    comment.refresh_from_db()
    assert (comment.body == "고친 글") is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("unverified", False),
        ("citizen", True),
        ("author", False),
        ("secretariat", True),
    ],
)
def test_who_reports(as_role, comment, role, allowed):
    as_role(role).post(reverse("proposals:comment_report", args=[comment.pk]), {"reason": "x"})
    assert CommentReport.objects.filter(comment=comment).exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_nobody_comments_in_a_closed_debate(as_role, debate, proposal, role):
    proposal.move_to("in_review", by=None)
    proposal.move_to("not_adopted", by=None, response="검토 결과")
    as_role(role).post(
        reverse("proposals:comment_create", args=[proposal.pk]), {"body": "늦은 의견"}
    )
    assert not Comment.objects.filter(body="늦은 의견").exists()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_comments_before_the_debate_opens(as_role, proposal, role):
    answer = as_role(role).post(
        reverse("proposals:comment_create", args=[proposal.pk]), {"body": "이른 의견"}
    )
    assert answer.status_code in (302, 403)
    assert not Comment.objects.exists()
