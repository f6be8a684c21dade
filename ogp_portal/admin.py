from allauth.mfa.models import Authenticator
from anyascii import anyascii
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.services import account_delete

from .enrolment import staff_invitation_send
from .models import User
from .second_factors import second_factors_remove
from .uploads import CheckedUploadForm


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


class UploadInline(admin.TabularInline):
    """Stored files (`ogp_portal.uploads.Upload`) under what they belong to, checked as on the
    site."""

    form = CheckedUploadForm
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


class RecordInline(admin.TabularInline):
    """Rows a workflow wrote, shown as written: none is added or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadableSlugAdminMixin:
    """A slug left empty is made from `slug_source` in Latin letters, unique in its table.

    Django's admin fills the slug as the title is typed, but keeps only ASCII letters: a Korean
    title such as "OGP 실행계획 시민 제안 공모" became "ogp". Romanised instead, it becomes
    "ogp-silhaenggyehoeg-simin-jean-gongmo"; staff may still write their own.
    """

    slug_source = "title"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = _(
                "The last part of the page's address. Leave it empty to make it from the "
                "title in Latin letters."
            )
        return form

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = readable_slug(obj, getattr(obj, self.slug_source))
        super().save_model(request, obj, form, change)


def readable_slug(obj, text: str) -> str:
    """`text` romanised into a slug that no other row of `obj`'s table has yet."""
    field = obj._meta.get_field("slug")
    base = slugify(anyascii(text))[: field.max_length - 4].strip("-") or obj._meta.model_name
    taken = set(
        type(obj)._default_manager.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@admin.register(User)
class UserAdmin(ServiceActionMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["language"]}))
    list_display = ["username", "email", "first_name", "is_staff", "language", "deleted_at"]
    search_fields = ["username", "email", "first_name", "last_name"]
    actions = ["delete_accounts", "invite_staff"]
    service_argument = "user"

    @admin.action(description=_("Send the staff enrolment link (second factor set-up)"))
    def invite_staff(self, request, queryset):
        self.apply_service(
            request,
            queryset,
            staff_invitation_send,
            by=request.user,
            done=lambda count: (
                ngettext("%(count)d enrolment link sent.", "%(count)d enrolment links sent.", count)
                % {"count": count}
            ),
        )

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


# allauth's own admin lets staff type a factor's data in (a TOTP key of their choosing: a second
# factor set up without the holder's invitation) and deletes without a word to the holder.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Second factors as their holders set them up, never their secrets: none is added or
    changed here; one deleted here (a lost phone) is deleted with a notice to its holder."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        second_factors_remove(authenticators=Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        second_factors_remove(authenticators=queryset)
