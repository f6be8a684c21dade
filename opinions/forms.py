from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_LIMIT, Choice


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        # A validator, not max_length: no maxlength attribute cuts a paste short unseen.
        validators=[MaxLengthValidator(STATEMENT_LIMIT)],
        help_text=_(
            "One clear sentence others can agree or disagree with, at most 140 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VoteForm(forms.Form):
    choice = forms.TypedChoiceField(choices=Choice.choices, coerce=int)


class StatementHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, kept with the hidden statement"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
