"""The code a staff member's authenticator app shows at this moment."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret: str, *, margin: float = 5.0) -> str:
    """The code of the current period, read with at least `margin` seconds of it left.

    The portal accepts only the current period's code (no tolerance), so a code read in a
    period's last second is refused by a server that checks it a moment later: a browser
    test, on a busy machine, then fails one time in ten or so.
    """
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
