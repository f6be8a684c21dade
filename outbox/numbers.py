"""Korean mobile numbers, as the text channels store and check them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from verification.models import normalised_phone

MOBILE = re.compile(r"^01[016789]\d{7,8}$")


def mobile_normalised(number: str) -> str:
    """Digits only, the country code turned into the leading 0: 010-1234-5678 → 01012345678."""
    return normalised_phone(number)


def mobile_number_validator(value: str) -> None:
    if value and not MOBILE.match(mobile_normalised(value)):
        raise ValidationError(_("Enter a Korean mobile number, e.g. 010-1234-5678."))
