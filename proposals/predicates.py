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
def has_open_debate(user, proposal) -> bool:
    if proposal is None:
        return False
    debate = getattr(proposal, "debate", None)
    return debate is not None and debate.is_open


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_comment_editable(user, comment) -> bool:
    return comment is not None and comment.is_editable and comment.debate.is_open
