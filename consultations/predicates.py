import rules


@rules.predicate
def is_booth_officer(user, booth) -> bool:
    """A poll officer of this booth (the secretariat names them on the booth)."""
    return booth is not None and booth.is_officer(user)
