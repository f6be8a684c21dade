from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_portal.uploads import validate_image

from .models import OVERRIDE_LEVELS, InspectionReport


class InspectionForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        validators=[validate_image],
        help_text=_("Optional: PNG, JPEG, GIF or WebP."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    class Meta:
        model = InspectionReport
        fields = ["group", "date", "place", "findings"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "findings": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def photos(self) -> list:
        upload = self.cleaned_data.get("photo")
        return [(self.cleaned_data.get("caption", ""), upload)] if upload else []


class CompletionForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("As the evidence shows"))]
        + [(level, level.label) for level in OVERRIDE_LEVELS],
        required=False,
        empty_value=None,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public pages with the level."),
    )
