from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Kind
from .numbers import mobile_number_validator
from .services import preference_choices


class PreferencesForm(forms.Form):
    """One choice per kind of e-mail: immediately, in the daily digest, or not at all; and,
    for a person who agreed to text channels, by which channel (`<kind>-channel`)."""

    def __init__(
        self,
        *args,
        initial_frequencies: dict[str, str],
        initial_channels: dict[str, str] | None = None,
        channel_choices: list[tuple[str, str]] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        for kind, frequency in initial_frequencies.items():
            kind = Kind(kind)
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=preference_choices(kind),
                initial=frequency,
                widget=forms.RadioSelect,
            )
            if len(channel_choices) > 1 and kind != Kind.STAFF:
                self.fields[f"{kind.value}-channel"] = forms.ChoiceField(
                    label=_("%(kind)s: by") % {"kind": kind.label},
                    choices=channel_choices,
                    initial=(initial_channels or {}).get(kind.value, Channel.EMAIL),
                    widget=forms.RadioSelect,
                )

    def frequencies(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if not k.endswith("-channel")}

    def channels(self) -> dict[str, str]:
        return {
            k.removesuffix("-channel"): v
            for k, v in self.cleaned_data.items()
            if k.endswith("-channel")
        }


class MobileContactForm(forms.Form):
    number = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        validators=[mobile_number_validator],
        help_text=_("The number you verified by an SMS code."),
    )
    sms = forms.BooleanField(label=_("I agree to receive notices by text message"), required=False)
    alimtalk = forms.BooleanField(
        label=_("I agree to receive notices by KakaoTalk 알림톡"), required=False
    )
