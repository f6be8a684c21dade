"""The person's public name: asked at sign-up, changed on its own page."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .markdown import visible_text, without_controls

NAME_HELP = _(
    "Shown beside your proposals and comments, on attendee lists and in the greeting of "
    "e-mails. Your real name, a nickname or an organisation's name; not your e-mail address."
)


def public_name_field(**options) -> forms.CharField:
    return forms.CharField(
        label=_("Public name"),
        max_length=get_user_model()._meta.get_field("display_name").max_length,
        help_text=NAME_HELP,
        **options,
    )


def clean_public_name(value: str) -> str:
    name = without_controls(value)
    if value.strip() and not visible_text(name):
        raise forms.ValidationError(_("A public name needs letters that show on the page."))
    if "@" in name:
        raise forms.ValidationError(
            _("A public name cannot contain “@”: choose a name, not an e-mail address.")
        )
    return name


class PublicNameFieldMixin:
    """Sign-up forms ask for the public name and give it to the new account."""

    def add_public_name_field(self, initial: str = "") -> None:
        self.fields["display_name"] = public_name_field(initial=initial)
        # after the e-mail address, before the passwords
        order = ["email", "display_name"]
        self.order_fields(order + [name for name in self.fields if name not in order])

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data["display_name"])

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        return user


class PublicNameForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["display_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"] = public_name_field()

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data["display_name"])
