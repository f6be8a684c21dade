import rules


@rules.predicate
def is_proposer(user, proposal) -> bool:
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_editable(user, proposal) -> bool:
    return proposal is not None and proposal.is_editable_by_author


@rules.predicate
def is_open_for_support(user, proposal) -> bool:
    return proposal is not None and not proposal.is_final


@rules.predicate
def leads_a_group_of_the_commitment(user, commitment) -> bool:
    if commitment is None or not user.is_authenticated:
        return False
    return commitment.working_groups.led_by(user).exists()
