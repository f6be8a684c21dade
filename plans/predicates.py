import rules


@rules.predicate
def leads_a_group_of_the_commitment(user, commitment) -> bool:
    if commitment is None or not user.is_authenticated:
        return False
    return commitment.working_groups.led_by(user).exists()


@rules.predicate
def is_draft_open(user, draft_commitment) -> bool:
    return draft_commitment is not None and draft_commitment.consultation.is_open


@rules.predicate
def is_draft_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def answers_for_the_lead_department(user, comment) -> bool:
    """The reviewer who answered for the commitment's lead department when its proposal was
    reviewed answers the comments on it too."""
    if comment is None or not user.is_authenticated:
        return False
    commitment = comment.commitment.commitment
    if commitment.proposal_id is None:
        return False
    return commitment.proposal.reviews.filter(
        reviewer=user, department=commitment.lead_agency
    ).exists()
