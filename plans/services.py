"""Action-plan workflows: an adopted proposal becomes a commitment; a group files an inspection;
the draft plan is put to consultation, its comments answered, and the plan adopted; the
secretariat sets a milestone's completion level by hand, with its reason."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.models import row_lock
from ogp_portal.uploads import checked_upload, validate_image
from proposals.models import Proposal, ProposalStatus

from .models import (
    OVERRIDE_LEVELS,
    ActionPlan,
    Commitment,
    DraftComment,
    DraftCommentReport,
    DraftCommitment,
    DraftConsultation,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    Outcome,
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
def draft_open(*, consultation: DraftConsultation) -> DraftConsultation:
    """Opens the draft of a plan for comment: saves the consultation and copies each commitment
    as it stands (text, lead department, milestones), the draft the final plan is compared with."""
    plan = row_lock(consultation.plan)
    if plan.is_adopted:
        raise ValidationError(_("This plan is adopted already: a draft is opened before adoption."))
    commitments = list(plan.commitments.prefetch_related("milestones"))
    if not commitments:
        raise ValidationError(_("This plan has no commitment yet: add them before the draft."))
    if DraftConsultation.objects.filter(plan=plan).exists():
        raise ValidationError(_("This plan's draft has been opened for comment already."))
    consultation.save()
    DraftCommitment.objects.bulk_create(
        DraftCommitment(
            consultation=consultation,
            commitment=c,
            title=c.title,
            lead_agency=c.lead_agency,
            problem=c.problem,
            description=c.description,
            milestones=DraftCommitment.milestone_lines(c.milestones.all()),
        )
        for c in commitments
    )
    return consultation


@transaction.atomic
def draft_close(*, consultation: DraftConsultation) -> DraftConsultation:
    """The secretariat ends the comment period now."""
    consultation = row_lock(consultation)
    if not consultation.is_open:
        raise ValidationError(_("This consultation is not open."))
    consultation.close()
    return consultation


def _passage(commitment: DraftCommitment, paragraph, quote: str, start, end):
    """The paragraph and passage a comment is about, checked against the draft's text."""
    if paragraph is None:
        if quote:
            raise ValidationError(_("Choose the paragraph the quoted passage is in."))
        return None, "", None, None
    paragraphs = commitment.paragraphs()
    if not 0 <= paragraph < len(paragraphs):
        raise ValidationError(_("This commitment has no such paragraph."))
    quote = quote.strip()
    if not quote:
        return paragraph, "", None, None
    text = paragraphs[paragraph]
    if start is None or end is None or text[start:end] != quote:
        start = text.find(quote)
        if start < 0:
            raise ValidationError(_("The quoted passage is not in the paragraph you chose."))
        end = start + len(quote)
    return paragraph, quote, start, end


@transaction.atomic
def draft_comment_post(
    *,
    commitment: DraftCommitment,
    author,
    body: str,
    paragraph: int | None = None,
    quote: str = "",
    quote_start: int | None = None,
    quote_end: int | None = None,
) -> DraftComment:
    """A comment on a commitment of the draft, or on a paragraph or passage of its text, by a
    person who meets the consultation's requirement while it is open."""
    consultation = commitment.consultation
    if not consultation.is_open:
        raise ValidationError(_("This draft is not open for comment."))
    refusal = consultation.requirement_refusal(author)
    if refusal:
        raise ValidationError(refusal)
    if not body.strip():
        raise ValidationError(_("Write something before you post."))
    paragraph, quote, quote_start, quote_end = _passage(
        commitment, paragraph, quote, quote_start, quote_end
    )
    return DraftComment.objects.create(
        commitment=commitment,
        author=author,
        body=body,
        paragraph=paragraph,
        quote=quote,
        quote_start=quote_start,
        quote_end=quote_end,
    )


@transaction.atomic
def draft_comment_answer(*, comment: DraftComment, by, outcome: str, reasons: str) -> DraftComment:
    """The reasoned answer to a comment: its outcome and why. It may be rewritten until the plan
    is adopted (the audit trail keeps every version)."""
    comment = row_lock(comment)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose what became of the comment."))
    if not reasons.strip():
        raise ValidationError(_("Give the reasons: they are published with the answer."))
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden: the reason it was hidden is its answer."))
    if comment.commitment.consultation.plan.is_adopted:
        raise ValidationError(_("The plan is adopted: its answers stand as published."))
    comment.answer(by=by, outcome=outcome, reasons=reasons)
    return comment


@transaction.atomic
def draft_comment_report(*, comment: DraftComment, user, reason: str = "") -> bool:
    """A person reports a comment once; the staff see the count. Returns whether it was new."""
    if comment.author_id == user.pk:
        raise ValidationError(_("You cannot report your own comment."))
    _report, new = DraftCommentReport.objects.get_or_create(
        comment=comment, reporter=user, defaults={"reason": reason[:500]}
    )
    if new:
        DraftComment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    return new


@transaction.atomic
def draft_comment_hide(*, comment: DraftComment, by, reason: str) -> DraftComment:
    """The staff hide a comment; the reason shows in its place and the change is logged."""
    if not reason.strip():
        raise ValidationError(_("Say why the comment is hidden: the reason is shown in its place."))
    comment = row_lock(comment)
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    comment.hide(by=by, reason=reason)
    return comment


@transaction.atomic
def plan_adopt(*, plan: ActionPlan, on: dt.date | None = None) -> ActionPlan:
    """Adopts the plan, once its draft's consultation has closed and every comment is answered."""
    plan = row_lock(plan)
    if plan.is_adopted:
        raise ValidationError(_("This plan is adopted already."))
    refusal = plan.adoption_refusal()
    if refusal:
        raise ValidationError(refusal)
    plan.adopted_on = on or timezone.localdate()
    plan.save(update_fields=["adopted_on"])
    return plan


# A person's data in the action plan (registered with the privacy app) ---------------------------


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "draft_plan_comments": [
            {
                "commitment": c.commitment.title,
                "paragraph": c.paragraph,
                "quote": c.quote,
                "body": c.body,
                "created_at": c.created_at,
                "hidden_reason": c.hidden_reason,
                "outcome": c.outcome,
                "reasons": c.reasons,
            }
            for c in DraftComment.objects.filter(author=user).select_related("commitment")
        ],
        "draft_plan_comment_reports": [
            {"comment": r.comment_id, "reason": r.reason, "created_at": r.created_at}
            for r in DraftCommentReport.objects.filter(reporter=user)
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Comments on the draft stay in the record with their answers, under "Former member"; the
    person's reports go."""
    DraftCommentReport.objects.filter(reporter=user).delete()


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
