from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ogp_portal.uploads import validate_image

from .models import (
    ANSWER_LIMIT,
    DRAFT_COMMENT_LIMIT,
    OVERRIDE_LEVELS,
    QUOTE_LIMIT,
    InspectionReport,
    Outcome,
)


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


class DraftCommentForm(forms.Form):
    """A comment on a commitment of the draft: on the whole, on a paragraph or on a passage.

    Without JavaScript the person picks the paragraph from the list; on the draft's page a
    selection in the text fills the paragraph, the passage and where it starts and ends.
    """

    paragraph = forms.TypedChoiceField(
        label=_("What you comment on"), coerce=int, empty_value=None, required=False
    )
    quote = forms.CharField(
        label=_("The passage you comment on (optional)"),
        max_length=QUOTE_LIMIT,
        required=False,
        help_text=_("Copy a sentence of the paragraph you chose, or leave it empty."),
    )
    quote_start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    quote_end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxLengthValidator(DRAFT_COMMENT_LIMIT)],
        help_text=_("Up to 5,000 characters. Your comment and its answer are published."),
    )

    def __init__(self, *args, paragraphs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [("", _("The commitment as a whole"))] + [
            (
                i,
                _("Paragraph %(number)d: %(start)s")
                % {"number": i + 1, "start": Truncator(text).chars(60)},
            )
            for i, text in enumerate(paragraphs)
        ]


class DraftAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxLengthValidator(ANSWER_LIMIT)],
        help_text=_("Published with the comment: what was done with it and why."),
    )


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
