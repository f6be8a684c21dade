import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from verification.forms import PersonForm

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


class BoothVoterForm(PersonForm):
    """The voter at the booth, as on the residents' list or their ID."""

    id_checked = forms.BooleanField(
        label=_("Not on the list: I checked an ID showing a Gwangju address"), required=False
    )


class BoothTotalsForm(forms.Form):
    """The paper ballots counted at the booth: how many, how many invalid, votes per option."""

    ballots = forms.IntegerField(label=_("Ballots in the box"), min_value=0, max_value=10**6)
    invalid = forms.IntegerField(
        label=_("Invalid ballots"), min_value=0, max_value=10**6, initial=0
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.IntegerField(
                label=option.label, min_value=0, max_value=10**6
            )

    def votes(self) -> dict[int, int]:
        return {
            int(name.removeprefix("option_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("option_")
        }
