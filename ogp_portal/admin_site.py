"""The admin site: Django's, made to answer malformed input with a message, not a server error.

Every ModelAdmin registered here, ours and those of the installed packages, gets
`CheckedInputAdminMixin` (and its inlines the checked autocomplete fields): ids that are no ids
at all (a tampered or stale page, a bot) are refused in the staff member's language instead of
reaching the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import admin_action_record


def _recorded(func, name: str):
    """An admin action that first writes its entries to the audit trail."""

    def action(modeladmin, request, queryset):
        admin_action_record(action=name, objects=queryset)
        return func(modeladmin, request, queryset)

    return action


class CheckedAutocompleteMixin:
    """A posted value that is no id at all is shown as nothing chosen; the field reports it."""

    def optgroups(self, name, value, attr=None):
        try:
            return super().optgroups(name, value, attr)
        except (ValueError, ValidationError):
            return super().optgroups(name, [], attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteFieldsMixin:
    """Autocomplete fields whose widget shows a posted value that is no id as nothing chosen."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@cache
def checked_inline(inline_class: type) -> type:
    """`inline_class` with checked autocomplete fields (one class per inline, made once)."""
    if issubclass(inline_class, CheckedAutocompleteFieldsMixin):
        return inline_class
    return type(
        inline_class.__name__,
        (CheckedAutocompleteFieldsMixin, inline_class),
        {"__module__": inline_class.__module__, "__doc__": inline_class.__doc__},
    )


class CheckedInputAdminMixin(CheckedAutocompleteFieldsMixin):
    def get_inlines(self, request, obj):
        """The inlines check their autocomplete fields as the form itself does."""
        return [checked_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_actions(self, request):
        """Every action, Django's "delete selected" included, is on the audit trail."""
        return {
            name: (_recorded(func, name), name, description)
            for name, (func, _name, description) in super().get_actions(request).items()
        }

    def changelist_view(self, request, extra_context=None):
        """A search or filter PostgreSQL or Python cannot take lists everything, with a message.

        A NUL byte is refused by PostgreSQL; a date drill-down year like 99999999999 overflows
        Python's dates (Django lets both through to a server error).
        """
        values = [value for _key, values in request.GET.lists() for value in values]
        if any("\x00" in value for value in values) or not self._date_drilldown_ok(request):
            self.message_user(
                request,
                _("The search or filter contained a value that cannot be used."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        return super().changelist_view(request, extra_context)

    def _date_drilldown_ok(self, request) -> bool:
        if not self.date_hierarchy:
            return True
        for part, highest in (("year", 9998), ("month", 12), ("day", 31)):
            value = request.GET.get(f"{self.date_hierarchy}__{part}")
            if value is not None and not (value.isdecimal() and 1 <= int(value) <= highest):
                return False
        return True

    def response_action(self, request, queryset):
        """An action on ids that are not ids of rows of this model does nothing and says so."""
        pk = self.model._meta.pk
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        try:
            for value in selected:
                pk.run_validators(pk.to_python(value))
            # Ids of rows that no longer exist (or never did): the action would get none.
            gone = (
                selected
                and request.POST.get("select_across") != "1"
                and not queryset.filter(pk__in=selected).exists()
            )
        except (ValidationError, ValueError, TypeError):
            gone = True
        if gone:
            self.message_user(
                request,
                _("The selection is not valid. Reload the page and choose again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


@dataclass(frozen=True)
class Attention:
    """Something on the admin's front page that waits for staff: how many, and where."""

    label: str
    count: int
    url: str


# Functions an app registers in its `ready()`; each returns its `Attention` items.
ATTENTION: list[Callable[[], list[Attention]]] = []


def attention_register(function: Callable[[], list[Attention]]) -> None:
    ATTENTION.append(function)


# The council's own work first, in the order staff meet it; the accounts' machinery last.
APP_ORDER = ["councils", "proposals", "plans", "consultations", "outbox", "ogp_portal", "auth"]
# Models of installed packages whose names Django makes up in English from the class name.
MODEL_NAMES = {("mfa", "Authenticator"): gettext_lazy("Second factors (MFA)")}


class PortalAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        """The front page starts with what needs attention (items with a count above zero)."""
        waiting = [item for function in ATTENTION for item in function() if item.count]
        return super().index(request, {"attention": waiting, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for model in app["models"]:
                name = MODEL_NAMES.get((app["app_label"], model["object_name"]))
                model["name"] = name or model["name"]
        rank = {label: number for number, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def autocomplete_view(self, request):
        """A NUL byte in what staff type would reach PostgreSQL, which refuses it."""
        if "\x00" in request.GET.get("term", ""):
            request.GET = request.GET.copy()
            request.GET["term"] = request.GET["term"].replace("\x00", "")
        return super().autocomplete_view(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedInputAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (CheckedInputAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
