"""Action-plan workflows: an adopted proposal becomes a commitment; a group files an inspection."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.uploads import checked_upload, validate_image
from proposals.models import Proposal, ProposalStatus

from .models import ActionPlan, Commitment, InspectionPhoto, InspectionReport


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
