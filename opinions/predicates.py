import rules


@rules.predicate
def is_open_map(user, opinion_map) -> bool:
    return opinion_map is not None and opinion_map.is_open
