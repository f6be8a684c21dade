"""The daily limits every SMS counts against, verification codes and notices alike: a budget
for the whole site and a limit per number, counted in the cache (Redis) per local day."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import phone_key


def _take(key: str, limit: int) -> bool:
    cache.add(key, 0, timeout=2 * 24 * 3600)
    return cache.incr(key) <= limit


def sms_budget_take(*, number: str) -> bool:
    """Counts one message to `number`; False when today's budget or the number's limit is
    spent (the message must then wait for tomorrow)."""
    day = timezone.localdate().isoformat()
    return _take(f"sms-budget:{day}", settings.SMS_DAILY_BUDGET) and _take(
        f"sms-budget:{day}:{phone_key(number)}", settings.SMS_PER_NUMBER_DAILY
    )
