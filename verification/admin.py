from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ResidentEntry, SmsSend, Verification


class VerificationMoveForm(forms.ModelForm):
    """The only change staff make to a verification: the account it belongs to."""

    class Meta:
        model = Verification
        fields = ["user"]

    def clean(self):
        cleaned = super().clean()
        # Checked here too, so that the refusal comes back as the form's message.
        if (
            self.instance.pk
            and "user" in self.changed_data
            and Verification.objects.filter(
                user=cleaned.get("user"), method=self.instance.method
            ).exists()
        ):
            raise ValidationError(_("That account already holds a verification by this method."))
        return cleaned


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """Verifications are made by their methods; staff may only move one to another account.

    A move runs `verification_move`; the audit trail records the change of owner.
    """

    form = VerificationMoveForm
    list_display = ["user", "method", "verified_at", "expires_at", "verified_by"]
    list_filter = ["method"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["method", "verified_at", "expires_at", "verified_by"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if change and "user" in form.changed_data:
            services.verification_move(verification=obj, to_user=form.cleaned_data["user"])


@admin.register(ResidentEntry)
class ResidentEntryAdmin(admin.ModelAdmin):
    """Keyed hashes only; the list is replaced by an import on the site, never edited."""

    list_display = ["key", "imported_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SmsSend)
class SmsSendAdmin(admin.ModelAdmin):
    """The text messages of the last two days, to find who pumps codes: keyed hashes only."""

    list_display = ["sent_at", "number_key", "account", "client_key"]
    search_fields = ["number_key", "client_key"]
    date_hierarchy = "sent_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
