"""A proposal along its pipeline: submitted (with its files), edited by its proposer, corrected
by the secretariat with a reason, moved a step, folded under another, answered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.models import row_lock
from ogp_portal.uploads import checked_upload
from outbox.models import Kind
from outbox.services import emails_write

from ..models import (
    Call,
    Proposal,
    ProposalAttachment,
    ProposalCorrection,
    ProposalStatus,
    Transition,
)
from .calls import CALL_NOT_OPEN


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
    row_lock(proposal, "status")
    if not proposal.is_editable_by_author:
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


@transaction.atomic
def proposal_move(
    *, proposal: Proposal, status: str, by, note: str = "", response: str = ""
) -> Transition:
    """The one way a proposal moves: the model checks the step, the proposer hears of it.

    The row is locked and the step checked against what the database holds, so of many clicks
    at once one moves the proposal and the others are told it has moved already.
    """
    transition = row_lock(proposal).move_to(status, by=by, note=note, response=response)
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
