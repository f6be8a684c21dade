"""Working groups and their members."""

from django.contrib import admin

from ogp_portal.admin import (
    ReadableSlugAdminMixin,
)

from ..models import (
    GroupMembership,
    WorkingGroup,
)


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadableSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "area", "lead"]
    search_fields = ["name", "area", "purpose", "lead__name"]
    list_filter = ["area"]
    slug_source = "name"
    inlines = [MembershipInline]
