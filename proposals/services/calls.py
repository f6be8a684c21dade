"""Calls: their followers hear when a call opens and when it closes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from outbox.models import Kind
from outbox.services import emails_write

from ..models import (
    Call,
)

CALL_NOT_OPEN = gettext_lazy("This call is not open: proposals are not accepted now.")


def calls_announce(*, now=None) -> int:
    """Tells followers when a call opens and when it closes (beat; safe to run twice)."""
    now = now or timezone.now()
    announced = 0
    for call in Call.objects.open(now).filter(opening_announced_at__isnull=True):
        announced += _call_announce(call, "opened", "opening_announced_at", now)
    for call in Call.objects.closed(now).filter(closing_announced_at__isnull=True):
        announced += _call_announce(call, "closed", "closing_announced_at", now)
    return announced


@transaction.atomic
def _call_announce(call: Call, event: str, field: str, now) -> int:
    updated = Call.objects.filter(pk=call.pk, **{f"{field}__isnull": True}).update(**{field: now})
    if not updated:
        return 0
    return emails_write(
        key=f"call:{call.pk}:{event}",
        kind=Kind.CALLS,
        recipients=call.followers.filter(is_active=True),
        template="proposals/email/call.txt",
        context={"call": call, "event": event},
    )
