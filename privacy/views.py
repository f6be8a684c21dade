"""The privacy policy and terms, consent to a new policy, and a person's "my data" pages."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ogp_portal.views import RulePermissionMixin, run_service

from . import services
from .forms import AccountDeleteForm, ConsentForm
from .inventory import inventory
from .models import Consent


def _text_template(name: str) -> str:
    """Legal text is kept whole per language, so that each reads as one document."""
    language = "en" if (get_language() or "").startswith("en") else "ko"
    return f"privacy/{name}.{language}.html"


class PolicyView(TemplateView):
    """개인정보처리방침: the inventory's table inside the policy's fixed sections."""

    template_name = "privacy/policy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            inventory=inventory(),
            officer=settings.PRIVACY_OFFICER,
            text_template=_text_template("policy_text"),
            **kwargs,
        )


class TermsView(TemplateView):
    template_name = "privacy/terms.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            inventory=inventory(), text_template=_text_template("terms_text"), **kwargs
        )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class ConsentView(RulePermissionMixin, FormView):
    """Consent to the current policy, asked at the first request after it changed."""

    permission_required = "privacy.manage_own_data"
    form_class = ConsentForm
    template_name = "privacy/consent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            inventory=inventory(), next=_next_url(self.request), **kwargs
        )

    def form_valid(self, form):
        services.consents_record(user=self.request.user, kinds=[Consent.Kind.PRIVACY])
        messages.success(self.request, _("Thank you: your consent is recorded."))
        return HttpResponseRedirect(_next_url(self.request))


class MyDataView(RulePermissionMixin, TemplateView):
    """What the portal holds about the person, the download and the way to delete the account."""

    permission_required = "privacy.manage_own_data"
    template_name = "privacy/my_data.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            inventory=inventory(),
            consents=list(Consent.objects.filter(user=user)),
            **kwargs,
        )


class ExportView(RulePermissionMixin, View):
    """The person's data as one JSON file."""

    permission_required = "privacy.manage_own_data"

    def get(self, request):
        data = services.account_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="ogp-my-data-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(reauthentication_required, name="dispatch")
class AccountDeleteView(RulePermissionMixin, FormView):
    """Deleting the account, after signing in again (password, or the Kakao/Naver login)."""

    permission_required = "privacy.manage_own_data"
    form_class = AccountDeleteForm
    template_name = "privacy/account_delete.html"

    def form_valid(self, form):
        if run_service(self.request, services.account_delete, user=self.request.user) is None:
            return redirect("privacy:my_data")
        logout(self.request)
        messages.success(
            self.request,
            _("Your account is deleted. Your public contributions now show “Former member”."),
        )
        return redirect("home")
