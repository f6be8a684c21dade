from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ogp_portal.adapters import client_ip
from ogp_portal.views import RateLimitMixin, RulePermissionMixin, run_service

from . import services
from .forms import CounterForm, PersonForm, PhoneCodeForm, PhoneNumberForm, ResidentsImportForm
from .models import Method, PhoneCode, ResidentEntry, Verification


def _next_or(request, fallback: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


class VerificationListView(RulePermissionMixin, View):
    """The person's verifications, and the ways to get more."""

    permission_required = "verification.verify"

    def get(self, request):
        held = list(Verification.objects.filter(user=request.user).order_by("method"))
        return render(
            request,
            "verification/verification_list.html",
            {
                "held": held,
                "email_verified": request.user.emailaddress_set.filter(verified=True).exists(),
                "methods": Method,
                "next": request.GET.get("next", ""),
            },
        )


class PhoneVerifyView(RulePermissionMixin, RateLimitMixin, View):
    """Step 1 sends a code to the number; step 2 checks it. Both count against `verify`."""

    permission_required = "verification.verify"
    rate_limit = "verify"

    def get(self, request):
        return self.show(PhoneNumberForm(), PhoneCodeForm())

    def show(self, number_form, code_form, status=200):
        sent = PhoneCode.objects.filter(user=self.request.user).exists()
        context = {
            "number_form": number_form,
            "code_form": code_form,
            "sent": sent,
            "next": self.request.POST.get("next") or self.request.GET.get("next", ""),
        }
        return render(self.request, "verification/phone.html", context, status=status)

    def post(self, request):
        if "code" in request.POST:
            form = PhoneCodeForm(request.POST)
            if not form.is_valid():
                return self.show(PhoneNumberForm(), form, status=400)
            done = run_service(
                request,
                services.phone_code_confirm,
                user=request.user,
                code=form.cleaned_data["code"],
                done=_("Your mobile phone is verified."),
            )
            if done is None:
                return self.show(PhoneNumberForm(), PhoneCodeForm(), status=400)
            return _next_or(request, "verification:list")
        form = PhoneNumberForm(request.POST)
        if not form.is_valid():
            return self.show(form, PhoneCodeForm(), status=400)
        run_service(
            request,
            services.phone_code_send,
            user=request.user,
            number=form.cleaned_data["number"],
            client=client_ip(request),
            done=_("We sent a code by text message. Enter it below."),
        )
        return self.show(PhoneNumberForm(), PhoneCodeForm())


class ResidentVerifyView(RulePermissionMixin, RateLimitMixin, View):
    permission_required = "verification.verify"
    rate_limit = "verify"

    def get(self, request):
        return self.show(PersonForm())

    def show(self, form, status=200):
        context = {
            "form": form,
            "next": self.request.POST.get("next") or self.request.GET.get("next", ""),
        }
        return render(self.request, "verification/resident.html", context, status=status)

    def post(self, request):
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        done = run_service(
            request,
            services.resident_verify,
            user=request.user,
            **form.cleaned_data,
            done=_("You are verified as a Gwangju resident."),
        )
        if done is None:
            return self.show(form, status=400)
        return _next_or(request, "verification:list")


class CounterView(RulePermissionMixin, View):
    """Staff at a counter verify a person whose ID they have seen."""

    permission_required = "verification.verify_in_person"

    def get(self, request):
        return render(request, "verification/counter.html", {"form": CounterForm()})

    def post(self, request):
        form = CounterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = run_service(
                request,
                services.verification_in_person,
                user=data["account"],
                name=data["name"],
                birth_date=data["birth_date"],
                district=data["district"],
                by=request.user,
                done=_("The person is verified in person."),
            )
            if done is not None:
                return redirect("verification:counter")
        return render(request, "verification/counter.html", {"form": form}, status=400)


class ResidentsImportView(RulePermissionMixin, View):
    permission_required = "verification.import_residents"

    def get(self, request):
        return self.show(ResidentsImportForm())

    def show(self, form, status=200):
        context = {"form": form, "entries": ResidentEntry.objects.count()}
        return render(self.request, "verification/residents_import.html", context, status=status)

    def post(self, request):
        form = ResidentsImportForm(request.POST, request.FILES)
        if form.is_valid():
            count = run_service(
                request, services.residents_import, data=form.cleaned_data["file"].read()
            )
            if count is not None:
                done = _("The residents' list now holds %(count)d entries.") % {"count": count}
                messages.success(request, done)
                return redirect("verification:residents_import")
        return self.show(form, status=400)
