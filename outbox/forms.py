from django import forms

from .models import Kind
from .services import preference_choices


class PreferencesForm(forms.Form):
    """One choice per kind of e-mail: immediately, in the daily digest, or not at all."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, frequency in initial_frequencies.items():
            kind = Kind(kind)
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=preference_choices(kind),
                initial=frequency,
                widget=forms.RadioSelect,
            )
