"""Opinion maps made by the staff, their statements hidden with a reason from the hide page,
and the grouping run again on demand."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OpinionMap, OpinionMapResult, Statement
from .services import opinion_map_group


@admin.register(OpinionMap)
class OpinionMapAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "required_verification", "computed_at"]
    list_select_related = ["result"]
    search_fields = ["title"]
    actions = ["group_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("result__published_votes")

    @admin.display(description=_("grouped"))
    def computed_at(self, opinion_map):
        result = getattr(opinion_map, "result", None)
        return result.computed_at if result else "—"

    @admin.action(description=_("Group the participants again now"))
    def group_again(self, request, queryset):
        for opinion_map in queryset:
            opinion_map_group(opinion_map=opinion_map)
        count = queryset.count()
        messages.success(
            request,
            ngettext("%(count)d map grouped again.", "%(count)d maps grouped again.", count)
            % {"count": count},
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Statements are hidden, with a reason, from their hide page; never edited here."""

    list_display = ["text", "map", "author", "created_at", "hidden_at"]
    list_filter = ["map"]
    search_fields = ["text"]
    list_select_related = ["map", "author"]
    readonly_fields = [f.name for f in Statement._meta.fields] + ["hide_link"]

    @admin.display(description=_("moderation"))
    def hide_link(self, statement):
        if statement.is_hidden:
            return statement.hidden_reason
        return format_html(
            '<a href="{}">{}</a>',
            reverse("opinions:statement_hide", args=[statement.pk]),
            _("Hide"),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpinionMapResult)
class OpinionMapResultAdmin(admin.ModelAdmin):
    list_display = ["map", "computed_at", "participant_count", "grouped_count"]
    readonly_fields = [f.name for f in OpinionMapResult._meta.fields if f.name != "published_votes"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("published_votes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
