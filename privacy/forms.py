"""Sign-up with consent (e-mail and Kakao/Naver), consent to a new policy, deleting an account."""

from allauth.account.forms import SignupForm as AccountSignupForm
from allauth.socialaccount.forms import SignupForm as SocialAccountSignupForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ogp_portal.forms import PublicNameFieldMixin

from .models import Consent
from .services import consents_record


class ConsentFieldsMixin:
    """Three required boxes, each on its own: age, the terms, collection and use of data.

    Only the two agreements are recorded; the age box keeps children under 14 from signing up
    without a guardian's consent (개인정보 보호법 제22조의2), and nothing else is asked.
    """

    consent_fields = ("is_14_or_older", "agree_terms", "agree_privacy")

    def add_consent_fields(self) -> None:
        self.fields["is_14_or_older"] = forms.BooleanField(
            label=_("I am 14 years old or older."),
            error_messages={"required": _("Children under 14 cannot sign up by themselves.")},
        )
        self.fields["agree_terms"] = forms.BooleanField(
            label=_("I agree to the terms of use (required)."),
            error_messages={"required": _("Please agree to the terms of use to sign up.")},
        )
        self.fields["agree_privacy"] = forms.BooleanField(
            label=_(
                "I agree to the collection and use of my personal data as described (required)."
            ),
            error_messages={
                "required": _("Please agree to the collection and use of personal data to sign up.")
            },
        )

    def account_fields(self):
        return [field for field in self if field.name not in self.consent_fields]

    def consent_boxes(self):
        return [self[name] for name in self.consent_fields]

    def save(self, request):
        """The account and its consents are written together, or neither is."""
        with transaction.atomic():
            user = super().save(request)
            consents_record(user=user, kinds=[Consent.Kind.TERMS, Consent.Kind.PRIVACY])
        return user


class SignupForm(ConsentFieldsMixin, PublicNameFieldMixin, AccountSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_public_name_field()
        self.add_consent_fields()


class SocialSignupForm(ConsentFieldsMixin, PublicNameFieldMixin, SocialAccountSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # prefilled with the name Kakao or Naver gave (`SocialAccountAdapter.populate_user`)
        self.add_public_name_field(initial=self.sociallogin.user.display_name)
        self.add_consent_fields()


class ConsentForm(forms.Form):
    """Consent to a new version of the policy, asked at the next sign-in."""

    agree_privacy = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data as described (required)."),
        error_messages={
            "required": _("Please agree, or delete your account from the “My data” page.")
        },
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be restored."),
        error_messages={"required": _("Please tick the box to confirm.")},
    )
