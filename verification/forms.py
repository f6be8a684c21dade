from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import DISTRICTS


class PhoneNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the text message"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PersonForm(forms.Form):
    """Name, date of birth and district, as on the resident registration."""

    name = forms.CharField(label=_("Name"), max_length=60)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    district = forms.ChoiceField(label=_("District (gu)"), choices=DISTRICTS)


class CounterForm(PersonForm):
    account = forms.CharField(label=_("Account (e-mail address or account name)"), max_length=254)
    id_checked = forms.BooleanField(
        label=_("I have checked an ID showing this name, date of birth and Gwangju address")
    )

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        user = (
            get_user_model()
            .objects.filter(Q(username__iexact=value) | Q(email__iexact=value), is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address or name."))
        return user


class ResidentsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Residents' list (CSV: name, birth_date, district)"),
        help_text=_("Replaces the current list. Only keyed hashes of each line are kept."),
    )
