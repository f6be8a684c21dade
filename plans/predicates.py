import rules


@rules.predicate
def leads_a_group_of_the_commitment(user, commitment) -> bool:
    if commitment is None or not user.is_authenticated:
        return False
    return commitment.working_groups.led_by(user).exists()
