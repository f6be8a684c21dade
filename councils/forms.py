from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ogp_portal.uploads import validate_attachment

from .models import AgendaItem, CommitteeMember, Meeting, Minutes, WorkingGroup

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class GroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 5})}


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One item a line."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "format", "starts_at", "ends_at", "venue", "online_url"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["agenda"] = "\n".join(
                item.title for item in self.instance.agenda_items.all()
            )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if data.get("format") == Meeting.Format.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("An online meeting needs its link."))
        return data

    def clean_agenda(self) -> str:
        """Each line becomes an agenda item, whose title has the model's length limit."""
        agenda = self.cleaned_data["agenda"]
        longest = AgendaItem._meta.get_field("title").max_length
        items = [line.strip() for line in agenda.splitlines() if line.strip()]
        for number, item in enumerate(items, start=1):
            if len(item) > longest:
                raise ValidationError(
                    _(
                        "Agenda item %(number)d is %(length)d characters long; "
                        "an item can have at most %(max)d."
                    )
                    % {"number": number, "length": len(item), "max": longest}
                )
        return agenda

    def agenda_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["body", "decisions", "action_items", "attendees", "attending_members"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "action_items": forms.Textarea(attrs={"rows": 4}),
            "attendees": forms.CheckboxSelectMultiple,
            "attending_members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.group_id:
            self.fields["attendees"].queryset = meeting.recipients().order_by("display_name")
            self.fields["attendees"].label_from_instance = lambda user: user.public_name()
            del self.fields["attending_members"]
        else:
            self.fields["attending_members"].queryset = CommitteeMember.objects.filter(
                council_id=meeting.council_id
            ).current()
            self.fields["attendees"].queryset = get_user_model().objects.filter(
                committee_seats__council_id=meeting.council_id
            )


class CorrectionForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Minutes
        fields = ["body", "decisions", "action_items"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def clean(self):
        data = super().clean()
        if not set(self.changed_data) - {"reason"}:
            raise ValidationError(_("Nothing was changed."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), validators=[validate_attachment])
