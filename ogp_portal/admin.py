from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["language"]}))
    list_display = ["username", "email", "first_name", "is_staff", "language"]
    search_fields = ["username", "email", "first_name", "last_name"]


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
