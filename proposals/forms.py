from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ogp_portal.uploads import validate_attachment

from .models import COMMENT_TEXT_LIMIT, Proposal


class ProposalForm(forms.ModelForm):
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        validators=[validate_attachment],
        help_text=_("Optional: a PDF, HWP or HWPX document or an image, up to 10 MB."),
    )

    class Meta:
        model = Proposal
        fields = ["title", "area", "problem", "solution", "organisation", "contact"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "solution": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        areas = call.areas.all()
        self.fields["area"].queryset = areas
        self.fields["area"].required = areas.exists()

    def attachments(self) -> list:
        upload = self.cleaned_data.get("attachment")
        return [(upload.name, upload)] if upload else []


class CommentForm(forms.Form):
    """A comment or a reply; the secretariat may mark a comment as the official answer."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(COMMENT_TEXT_LIMIT)],
        help_text=_("Markdown: **bold**, *italic*, lists, links. Up to 5,000 characters."),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    official = forms.BooleanField(label=_("Post as the council's official answer"), required=False)

    def __init__(self, *args, can_answer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_answer:
            del self.fields["official"]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(COMMENT_TEXT_LIMIT)],
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown in place of the comment"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it? (optional)"), max_length=500, required=False
    )
