"""Action-plan workflows: an adopted proposal becomes a commitment; a group files an inspection;
the secretariat sets a milestone's completion level by hand, with its reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.uploads import checked_upload, validate_image
from proposals.models import Proposal, ProposalStatus

from .models import (
    OVERRIDE_LEVELS,
    ActionPlan,
    Commitment,
    InspectionPhoto,
    InspectionReport,
    Milestone,
)


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


@transaction.atomic
def milestone_completion_set(*, milestone: Milestone, level: str | None, reason: str, by) -> None:
    """Sets the milestone's level over the evidence's (None gives it back to the evidence).

    The reason is required either way; the audit trail keeps every change, and the pages show
    the level set, its reason, who set it and when, beside the level the evidence shows.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the level is set by hand."))
    if level is not None and level not in OVERRIDE_LEVELS:
        raise ValidationError(_("Choose a level of the list."))
    milestone.override(level=level, reason=reason, by=by)
