import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import RECEIPT_PATTERN


class ReceiptForm(forms.Form):
    """One receipt code to look up, as people type it: any case, dashes and spaces optional."""

    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "ABCD-EFGH-JKLM", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        letters = re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
        code = f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"
        if not re.fullmatch(RECEIPT_PATTERN, code):
            raise ValidationError(
                _(
                    "A receipt code has 12 letters and digits in groups of four, such as "
                    "ABCD-EFGH-JKLM (no 0, O, 1 or I)."
                )
            )
        return code
