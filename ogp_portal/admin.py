from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import User
from .privacy.services import account_delete


class ServiceActionMixin:
    """Admin actions that run a workflow on each selected object and say how it went."""

    def apply_service(self, request, queryset, service, *, done, **kwargs) -> int:
        """Runs `service(<object>=…, **kwargs)` per object; refusals are listed by object."""
        succeeded = 0
        for obj in queryset:
            try:
                service(**{self.service_argument: obj}, **kwargs)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded), messages.SUCCESS)
        return succeeded


@admin.register(User)
class UserAdmin(ServiceActionMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["language"]}))
    list_display = ["username", "email", "first_name", "is_staff", "language", "deleted_at"]
    search_fields = ["username", "email", "first_name", "last_name"]
    actions = ["delete_accounts"]
    service_argument = "user"

    @admin.action(description=_("Delete the selected accounts at their owners' request"))
    def delete_accounts(self, request, queryset):
        """What "My data" does, for a person who asks the secretariat (개인정보 보호법 제36조)."""
        self.apply_service(
            request,
            queryset.exclude(pk=request.user.pk),
            account_delete,
            done=lambda count: (
                ngettext(
                    "%(count)d account deleted; its public record now shows “Former member”.",
                    "%(count)d accounts deleted; their public record now shows “Former member”.",
                    count,
                )
                % {"count": count}
            ),
        )
