"""Questions about a person that every app asks: pure and cheap, for the apps' rules.py."""

import rules
from allauth.account.models import EmailAddress


@rules.predicate
def is_verified(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._has_verified_email = cached
    return cached


@rules.predicate
def is_secretariat(user) -> bool:
    """Staff (and superusers) with their second factor: see `User.holds_staff_powers`."""
    return user.is_authenticated and user.holds_staff_powers
