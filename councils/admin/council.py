"""The council, its directions and timeline, and the committee's seats."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import (
    ReadableSlugAdminMixin,
)

from ..models import (
    CommitteeMember,
    Council,
    Direction,
    TimelineEntry,
)


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0


@admin.register(Council)
class CouncilAdmin(ReadableSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "operating_start", "operating_end"]
    slug_source = "name"
    inlines = [DirectionInline, TimelineInline]


class CurrentFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = [
        "display_order",
        "name",
        "category",
        "affiliation",
        "position",
        "note",
        "term_start",
        "term_end",
        "reachable",
    ]
    list_display_links = ["name"]
    list_select_related = ["user"]
    list_filter = [CurrentFilter, "category", "council"]
    search_fields = ["name", "affiliation", "position", "note"]
    ordering = ["display_order"]
    autocomplete_fields = ["user"]
    actions = ["end_term"]

    @admin.display(description=_("reached by notices"), boolean=True)
    def reachable(self, member):
        return bool(member.notice_address)

    @admin.action(description=_("End the term of the selected members today"))
    def end_term(self, request, queryset):
        ended = 0
        for member in queryset.current():
            member.end_term()
            ended += 1
        self.message_user(
            request,
            ngettext("Ended %(count)d term.", "Ended %(count)d terms.", ended) % {"count": ended},
            messages.SUCCESS,
        )
