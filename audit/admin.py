from auditlog.admin import LogEntryAdmin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AccessRecord, AuditEntry, Pseudonymisation

# django-auditlog registers its own page for the entry model; ours replaces it.
admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(LogEntryAdmin):
    """The audit trail, read-only for everyone: nothing here changes or deletes an entry."""

    list_select_related = ["content_type"]
    list_display = [
        "created",
        "resource_url",
        "action",
        "operation",
        "msg_short",
        "who",
        "remote_addr",
    ]
    # Filters that list what the table holds would read all of it; these list what may be there.
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_email", "operation"]
    show_full_result_count = False
    readonly_fields = ["created", "resource_url", "action", "operation", "who", "remote_addr"]
    fieldsets = [
        (None, {"fields": ["created", "who", "remote_addr", "operation", "resource_url"]}),
        (_("Changes"), {"fields": ["action", "msg"]}),
    ]
    actions = None

    @admin.display(description=_("actor"))
    def who(self, entry):
        return entry.actor_label

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written by the site or the database only: shown, never added, changed or
    deleted here."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """The access records (접속기록), for the regular review: filter by person, kind and day."""

    list_display = ["at", "actor_label", "kind", "remote_addr", "target", "path"]
    list_filter = [("actor", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["actor_label", "target", "path", "remote_addr"]
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [f.name for f in AccessRecord._meta.fields]


@admin.register(Pseudonymisation)
class PseudonymisationAdmin(ReadOnlyAdmin):
    """The ledger of pseudonymisations, for the same review: one written for an account that
    never acted, or that kept less than it was given, asks why."""

    list_display = [
        "at",
        "account",
        "pseudonym",
        "records_given",
        "records_kept",
        "identifiers_given",
        "identifiers_kept",
        "rows_changed",
    ]
    list_select_related = ["account"]
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [f.name for f in Pseudonymisation._meta.fields]
