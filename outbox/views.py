"""A person's choice of e-mails, and the one-click unsubscribe that needs no sign-in."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView

from ogp_portal.views import RulePermissionMixin, ServiceFormMixin

from . import channels, services
from .forms import MobileContactForm, PreferencesForm
from .models import SERVICE_KINDS, Frequency, Kind, MobileContact, Preference


class PreferencesView(RulePermissionMixin, ServiceFormMixin, FormView):
    permission_required = "outbox.choose_notifications"
    form_class = PreferencesForm
    template_name = "outbox/preferences.html"
    success_message = gettext_lazy("Your choice of e-mails is saved.")

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "initial_frequencies": services.preferences_of(user=user),
            "initial_channels": channels.channels_of(user=user),
            "channel_choices": channels.channels_allowed(user=user),
        }

    def run(self, form):
        services.preferences_save(user=self.request.user, frequencies=form.frequencies())
        channels.channels_save(user=self.request.user, channels=form.channels())

    def done_url(self, result) -> str:
        return reverse("outbox:preferences")

    def get_context_data(self, **kwargs):
        contact = MobileContact.objects.filter(user=self.request.user).first()
        initial = {"number": contact.number, "sms": bool(contact.sms_consent_at),
                   "alimtalk": bool(contact.alimtalk_consent_at)} if contact else {}  # fmt: skip
        return super().get_context_data(
            service_kinds=SERVICE_KINDS,
            mobile_form=MobileContactForm(initial=initial),
            **kwargs,
        )


class MobileContactView(RulePermissionMixin, ServiceFormMixin, FormView):
    """The mobile number for text notices and the consent to each text channel."""

    permission_required = "outbox.choose_notifications"
    form_class = MobileContactForm
    template_name = "outbox/preferences_mobile.html"
    success_message = gettext_lazy("Your mobile number and consent are saved.")

    def run(self, form):
        return channels.mobile_contact_save(user=self.request.user, **form.cleaned_data)

    def done_url(self, result) -> str:
        return reverse("outbox:preferences")


# The token is the authority: a mail client posts "List-Unsubscribe=One-Click" with no session
# and no CSRF token (RFC 8058), and nobody can make a valid token without the site's key.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST unsubscribes."""

    template_name = "outbox/unsubscribe.html"

    def read(self, token):
        try:
            return services.unsubscribe_read(token)
        except ValidationError:
            return None

    def get(self, request, token):
        named = self.read(token)
        if named is None:
            return render(request, self.template_name, {"invalid": True}, status=400)
        user_id, kind = named
        return render(request, self.template_name, self.what(user_id, kind))

    def post(self, request, token):
        named = self.read(token)
        if named is None:
            return render(request, self.template_name, {"invalid": True}, status=400)
        user_id, kind = named
        changed = services.unsubscribe(user_id=user_id, kind=kind)
        context = self.what(user_id, kind)
        context.update(done=True, stopped=[k.label for k in changed if k not in SERVICE_KINDS])
        return render(request, self.template_name, context)

    def what(self, user_id: int, kind: Kind) -> dict:
        """The kind and, for the digest, what it gathers: the kinds it stops and those it keeps."""
        daily = [
            Kind(k)
            for k in Preference.objects.filter(user_id=user_id, frequency=Frequency.DAILY)
            .order_by("kind")
            .values_list("kind", flat=True)
        ]
        return {
            "kind": kind,
            "is_service": kind in SERVICE_KINDS,
            "is_digest": kind == Kind.DIGEST,
            "in_digest": [k.label for k in daily if k not in SERVICE_KINDS],
            "kept_in_digest": [k.label for k in daily if k in SERVICE_KINDS],
        }
