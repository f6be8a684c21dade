"""The debate room: opened by a rung of supports; comments, replies and the official answer;
the review its participants start; corrections, reports and hiding."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.models import Kind
from outbox.services import emails_write

from ..models import (
    Comment,
    CommentReport,
    Debate,
    DebateParticipant,
    Proposal,
    ProposalStatus,
    Review,
)
from .pipeline import proposal_move


def debate_open(*, proposal: Proposal) -> Debate:
    """Opens the proposal's debate room (once); the proposer hears of it."""
    debate, created = Debate.objects.get_or_create(proposal=proposal)
    if created:
        emails_write(
            key=f"proposal:{proposal.pk}:debate",
            kind=Kind.MY_PROPOSALS,
            recipients=[proposal.author],
            template="proposals/email/debate_opened.txt",
            context={"proposal": proposal},
        )
    return debate


@transaction.atomic
def comment_post(
    *, debate: Debate, author, body: str, parent: Comment | None = None, official: bool = False
) -> Comment:
    """A comment, a reply (to a comment, not to a reply) or the secretariat's official answer.

    The first comment of a person counts them among the debate's participants; reaching the
    call's number of participants starts the department review. The proposer hears of new
    comments, the author of a comment of the replies to it, the participants of an official
    answer.
    """
    debate = Debate.objects.select_related("proposal__call", "proposal__author").get(pk=debate.pk)
    proposal = debate.proposal
    if not debate.is_open:
        raise ValidationError(_("This debate is closed: the proposal has left the pipeline."))
    if not body.strip():
        raise ValidationError(_("Write something before you post."))
    if parent is not None:
        parent = Comment.objects.select_related("author").get(pk=parent.pk)  # as it stands now
        if parent.debate_id != debate.pk:
            raise ValidationError(_("A reply belongs to the same debate as its comment."))
        if parent.is_hidden:
            raise ValidationError(_("This comment is hidden; it takes no replies."))
        if parent.parent_id is not None:
            raise ValidationError(_("Reply to the comment itself: replies have no replies."))
        if official:
            raise ValidationError(_("An official answer is a comment of its own, not a reply."))
    comment = Comment(debate=debate, parent=parent, author=author, is_official=official)
    comment.write(body)
    comment.save()
    _participant_count(debate, author)
    _comment_notify(comment, proposal)
    return comment


def _participant_count(debate: Debate, person) -> None:
    _joined, new = DebateParticipant.objects.get_or_create(debate=debate, user=person)
    if not new:
        return
    Debate.objects.filter(pk=debate.pk).update(participant_count=F("participant_count") + 1)
    debate = Debate.objects.select_for_update().select_related("proposal__call").get(pk=debate.pk)
    threshold = debate.proposal.call.review_participants()
    if (
        debate.review_started_at is None
        and threshold is not None
        and debate.participant_count >= threshold
    ):
        debate_review_start(debate=debate)


def _comment_notify(comment: Comment, proposal: Proposal) -> None:
    context = {"proposal": proposal, "comment": comment}
    if comment.parent is not None and comment.parent.author_id != comment.author_id:
        emails_write(
            key=f"comment:{comment.pk}:reply",
            kind=Kind.REPLIES,
            recipients=[comment.parent.author],
            template="proposals/email/comment.txt",
            context={**context, "is_reply": True},
        )
    told = {comment.author_id, comment.parent.author_id if comment.parent else None}
    if proposal.author_id not in told:
        emails_write(
            key=f"comment:{comment.pk}:proposer",
            kind=Kind.MY_PROPOSALS,
            recipients=[proposal.author],
            template="proposals/email/comment.txt",
            context={**context, "is_reply": False},
        )
    if comment.is_official:
        emails_write(
            key=f"comment:{comment.pk}:official",
            kind=Kind.DEBATES,
            recipients=get_user_model()
            .objects.filter(debates_joined__debate=comment.debate_id, is_active=True)
            .exclude(pk=comment.author_id),
            template="proposals/email/official_answer.txt",
            context=context,
        )


@transaction.atomic
def debate_review_start(*, debate: Debate) -> Review:
    """The debate reached its participants: the department review starts, with the deadline
    of the reasoned response; the proposal moves into review if it was only submitted."""
    debate = Debate.objects.select_for_update().select_related("proposal__call").get(pk=debate.pk)
    if debate.review_started_at is not None:
        raise ValidationError(_("The debate has started its review already."))
    proposal = debate.proposal
    today = timezone.localdate()
    review = Review.objects.create(
        proposal=proposal,
        starts_on=today,
        ends_on=today + dt.timedelta(days=proposal.call.debate_response_days),
    )
    debate.review_started_at = timezone.now()
    debate.save(update_fields=["review_started_at"])
    if proposal.status == ProposalStatus.SUBMITTED:
        proposal_move(
            proposal=proposal,
            status=ProposalStatus.IN_REVIEW,
            by=None,
            note=_("%(count)d people took part in the debate.")
            % {"count": debate.participant_count},
        )
    emails_write(
        key=f"debate:{debate.pk}:review",
        kind=Kind.STAFF,
        recipients=get_user_model().objects.secretariat(),
        template="proposals/email/debate_review.txt",
        context={"proposal": proposal, "debate": debate, "review": review},
    )
    return review


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """The author corrects a comment within the editing window; the earlier text is kept."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != user.pk:
        raise ValidationError(_("Only its author corrects a comment."))
    if not comment.is_editable_at():
        raise ValidationError(
            _("A comment can be corrected only in the first minutes after posting.")
        )
    if not body.strip():
        raise ValidationError(_("Write something before you post."))
    if body == comment.body:
        raise ValidationError(_("The text is the same as before; nothing was changed."))
    comment.edit(body)
    return comment


@transaction.atomic
def comment_report(*, comment: Comment, user, reason: str = "") -> bool:
    """A person reports a comment once; the staff see the count. Returns whether it was new."""
    if comment.author_id == user.pk:
        raise ValidationError(_("You cannot report your own comment."))
    _report, new = CommentReport.objects.get_or_create(
        comment=comment, reporter=user, defaults={"reason": reason[:500]}
    )
    if new:
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    return new


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    """The staff hide a comment; the reason shows in its place and the change is logged."""
    if not reason.strip():
        raise ValidationError(_("Say why the comment is hidden: the reason is shown in its place."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    comment.hide(by=by, reason=reason)
    return comment
