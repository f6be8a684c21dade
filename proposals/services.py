"""Proposal workflows: submission, supports and their ladder, the debate, the pipeline, the
action plan."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.uploads import checked_upload, validate_image
from outbox.models import Kind
from outbox.services import emails_write

from .models import (
    ActionPlan,
    Call,
    Comment,
    CommentReport,
    Commitment,
    Debate,
    DebateParticipant,
    InspectionPhoto,
    InspectionReport,
    Proposal,
    ProposalAttachment,
    ProposalCorrection,
    ProposalStatus,
    Review,
    Support,
    ThresholdReached,
    Transition,
)

CALL_NOT_OPEN = gettext_lazy("This call is not open: proposals are not accepted now.")


# Submission ----------------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(*, proposal: Proposal, author, attachments=()) -> Proposal:
    """Files a proposal in an open call; before or after the call nothing is accepted."""
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    if not call.is_open:
        raise ValidationError(CALL_NOT_OPEN)
    refusal = call.requirement_refusal(author)
    if refusal:
        raise ValidationError(refusal)
    proposal.author = author
    proposal.submitted_at = timezone.now()
    proposal.save()
    for title, upload in attachments:
        proposal_attach(proposal=proposal, title=title, upload=upload)
    emails_write(
        key=f"proposal:{proposal.pk}:submitted",
        kind=Kind.MY_PROPOSALS,
        recipients=[author],
        template="proposals/email/status.txt",
        context={"proposal": proposal, "transition": None},
    )
    return proposal


def proposal_attach(*, proposal: Proposal, title: str, upload) -> ProposalAttachment:
    return ProposalAttachment.objects.create(
        proposal=proposal, title=title, **checked_upload(upload)
    )


@transaction.atomic
def proposal_update(*, proposal: Proposal, fields: list[str]) -> Proposal:
    """The proposer's edit, allowed until the review starts and while the call is open."""
    current = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if not current.is_editable_by_author:
        raise ValidationError(_("This proposal can no longer be edited: its review has started."))
    proposal.save(update_fields=fields)
    return proposal


@transaction.atomic
def proposal_correct(*, proposal: Proposal, author, reason: str, **fields) -> ProposalCorrection:
    """The secretariat corrects a proposer's text (title, problem, solution) with a reason.

    The text as the proposer wrote it and the reason stay on the proposal's page, dated; the
    proposer is told. Nobody but the proposer edits the text otherwise.
    """
    if not reason.strip():
        raise ValidationError(_("Say why the proposal's text is corrected."))
    if not set(fields) <= {"title", "problem", "solution"}:
        raise ValidationError(_("Only the title, the problem and the solution are corrected."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    changed = [name for name, value in fields.items() if getattr(proposal, name) != value]
    if not changed:
        raise ValidationError(_("The corrected text is the same as before; nothing was changed."))
    correction = ProposalCorrection.objects.create(
        proposal=proposal,
        previous_title=proposal.title,
        previous_problem=proposal.problem,
        previous_solution=proposal.solution,
        reason=reason,
        author=author,
    )
    for name in changed:
        setattr(proposal, name, fields[name])
    proposal.save(update_fields=changed)
    emails_write(
        key=f"proposal:{proposal.pk}:correction:{correction.pk}",
        kind=Kind.MY_PROPOSALS,
        recipients=[proposal.author],
        template="proposals/email/correction.txt",
        context={"proposal": proposal, "correction": correction},
    )
    return correction


# Supports ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_support(*, proposal: Proposal, user) -> bool:
    """Counts one support per person; reaching a rung of the ladder moves the proposal on."""
    if proposal.is_final:
        raise ValidationError(_("This proposal has left the pipeline; it takes no more support."))
    if proposal.author_id == user.pk:
        raise ValidationError(_("You cannot support your own proposal."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return False
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    _thresholds_check(proposal)
    return True


def _thresholds_check(proposal: Proposal) -> None:
    age = timezone.now() - proposal.submitted_at
    reached = set(proposal.thresholds_reached.values_list("threshold_id", flat=True))
    for rung in proposal.call.thresholds.all():
        if rung.pk in reached or proposal.support_count < rung.supports:
            continue
        if age.days > rung.within_days:
            continue
        ThresholdReached.objects.create(proposal=proposal, threshold=rung)
        if rung.opens_debate:
            debate_open(proposal=proposal)
        emails_write(
            key=f"proposal:{proposal.pk}:threshold:{rung.pk}",
            kind=Kind.STAFF,
            recipients=get_user_model().objects.secretariat(),
            template="proposals/email/threshold.txt",
            context={"proposal": proposal, "rung": rung},
        )
        if rung.starts_review and proposal.status == ProposalStatus.SUBMITTED:
            proposal_move(
                proposal=proposal,
                status=ProposalStatus.IN_REVIEW,
                by=None,
                note=_("%(supports)d supports reached.") % {"supports": rung.supports},
            )


# Debate --------------------------------------------------------------------------------------


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


# Pipeline ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_move(
    *, proposal: Proposal, status: str, by, note: str = "", response: str = ""
) -> Transition:
    """The one way a proposal moves: the model checks the step, the proposer hears of it.

    The row is locked and the step checked against what the database holds, so of many clicks
    at once one moves the proposal and the others are told it has moved already.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    transition = locked.move_to(status, by=by, note=note, response=response)
    proposal.status, proposal.response, proposal.responded_at = (
        locked.status,
        locked.response,
        locked.responded_at,
    )
    emails_write(
        key=f"proposal:{proposal.pk}:transition:{transition.pk}",
        kind=Kind.MY_PROPOSALS,
        recipients=[proposal.author],
        template="proposals/email/status.txt",
        context={"proposal": proposal, "transition": transition},
    )
    return transition


@transaction.atomic
def proposal_fold(*, proposal: Proposal, parent: Proposal, reason: str, by, response: str = ""):
    """Places a proposal under another as a sub-item; both stay, the child points up."""
    if parent.pk == proposal.pk or parent.parent_id == proposal.pk:
        raise ValidationError(_("A proposal cannot be folded under itself."))
    if parent.call_id != proposal.call_id:
        raise ValidationError(_("A proposal is folded under a proposal of the same call."))
    if parent.status == ProposalStatus.FOLDED:
        raise ValidationError(_("Fold it under the proposal that the other was folded into."))
    if not reason.strip():
        raise ValidationError(_("Say why the proposal is folded."))
    proposal.parent = parent
    proposal.fold_reason = reason
    proposal.save(update_fields=["parent", "fold_reason"])
    return proposal_move(
        proposal=proposal,
        status=ProposalStatus.FOLDED,
        by=by,
        note=reason,
        response=response or reason,
    )


@transaction.atomic
def proposal_respond(*, proposal: Proposal, response: str, by) -> Proposal:
    """Publishes or amends the reasoned response; the proposer is told."""
    if not response.strip():
        raise ValidationError(_("The response cannot be empty."))
    proposal.response = response
    proposal.responded_at = timezone.now()
    proposal.save(update_fields=["response", "responded_at"])
    emails_write(
        key=f"proposal:{proposal.pk}:response:{proposal.responded_at.isoformat()}",
        kind=Kind.MY_PROPOSALS,
        recipients=[proposal.author],
        template="proposals/email/response.txt",
        context={"proposal": proposal},
    )
    return proposal


# Calls ---------------------------------------------------------------------------------------


def calls_announce(*, now=None) -> int:
    """Tells followers when a call opens and when it closes (beat; safe to run twice)."""
    now = now or timezone.now()
    announced = 0
    for call in Call.objects.open(now).filter(opening_announced_at__isnull=True):
        announced += _call_announce(call, "opened", "opening_announced_at", now)
    for call in Call.objects.closed(now).filter(closing_announced_at__isnull=True):
        announced += _call_announce(call, "closed", "closing_announced_at", now)
    return announced


@transaction.atomic
def _call_announce(call: Call, event: str, field: str, now) -> int:
    updated = Call.objects.filter(pk=call.pk, **{f"{field}__isnull": True}).update(**{field: now})
    if not updated:
        return 0
    return emails_write(
        key=f"call:{call.pk}:{event}",
        kind=Kind.CALLS,
        recipients=call.followers.filter(is_active=True),
        template="proposals/email/call.txt",
        context={"call": call, "event": event},
    )


# Action plan ---------------------------------------------------------------------------------


@transaction.atomic
def inspection_file(*, report: InspectionReport, photos=()) -> InspectionReport:
    if not report.commitment.working_groups.filter(pk=report.group_id).exists():
        raise ValidationError(_("A group inspects only the commitments of its own area."))
    report.save()
    for caption, upload in photos:
        InspectionPhoto.objects.create(
            report=report,
            caption=caption,
            **checked_upload(upload, validator=validate_image, field="image"),
        )
    return report


@transaction.atomic
def commitment_from_proposal(*, proposal: Proposal, plan: ActionPlan) -> Commitment:
    """Turns an adopted proposal into a commitment of the plan, keeping the line back to it."""
    if proposal.status != ProposalStatus.ADOPTED:
        raise ValidationError(_("Only an adopted proposal becomes a commitment."))
    if Commitment.objects.filter(proposal=proposal).exists():
        raise ValidationError(_("This proposal is already a commitment."))
    if plan.ends_on < timezone.localdate():
        raise ValidationError(
            _("%(plan)s ended on %(date)s: add the next action plan first.")
            % {"plan": plan, "date": plan.ends_on.isoformat()}
        )
    review = proposal.reviews.order_by("-ends_on").first()
    return Commitment.objects.create(
        plan=plan,
        proposal=proposal,
        title=proposal.title,
        area=proposal.area,
        lead_agency=review.department if review else "",
        problem=proposal.problem,
        description=proposal.solution,
        starts_on=max(plan.starts_on, timezone.localdate()),
        ends_on=plan.ends_on,
    )


# Personal data (registered with the kernel's privacy services) -------------------------------


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "proposals": [
            {
                "title": p.title,
                "call": p.call.title,
                "status": p.status,
                "submitted_at": p.submitted_at,
                "organisation": p.organisation,
                "contact": p.contact,
                "problem": p.problem,
                "solution": p.solution,
            }
            for p in Proposal.objects.filter(author=user).select_related("call")
        ],
        "supports": [
            {"proposal": s.proposal.title, "created_at": s.created_at}
            for s in Support.objects.filter(user=user).select_related("proposal")
        ],
        "followed_calls": [{"call": c.title} for c in user.followed_calls.order_by("pk")],
        "debate_comments": [
            {
                "proposal": c.debate.proposal.title,
                "created_at": c.created_at,
                "body": c.body,
                "hidden_reason": c.hidden_reason,
            }
            for c in Comment.objects.filter(author=user).select_related("debate__proposal")
        ],
        "comment_reports": [
            {"comment": r.comment_id, "reason": r.reason, "created_at": r.created_at}
            for r in CommentReport.objects.filter(reporter=user)
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Proposals and supports stay, under "Former member"; the private contact and follows go."""
    Proposal.objects.filter(author=user).exclude(contact="").update(contact="")
    user.followed_calls.clear()
    CommentReport.objects.filter(reporter=user).delete()
