"""Supports: one per person, and the call's ladder of rungs they climb (a rung may open the
debate or start the review)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.models import Kind
from outbox.services import emails_write

from ..models import (
    Proposal,
    ProposalStatus,
    Support,
    ThresholdReached,
)
from .debate import debate_open
from .pipeline import proposal_move


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
