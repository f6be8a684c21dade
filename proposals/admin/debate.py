"""Debates and their comments, hidden with a reason from the debate page, never edited here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ogp_portal.admin import (
    RecordInline,
)

from ..models import (
    Comment,
    CommentRevision,
    Debate,
)


@admin.register(Debate)
class DebateAdmin(admin.ModelAdmin):
    list_display = ["proposal", "opened_at", "participant_count", "review_started_at"]
    search_fields = ["proposal__title"]
    readonly_fields = ["proposal", "opened_at", "participant_count", "review_started_at"]
    autocomplete_fields = ["opinion_map"]

    def has_add_permission(self, request):
        return False  # a debate opens by its rung of supports

    def has_delete_permission(self, request, obj=None):
        return False


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported and still shown"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.visible().filter(report_count__gt=0)
        return queryset


class RevisionInline(RecordInline):
    model = CommentRevision
    readonly_fields = ["body", "replaced_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are hidden, with a reason, from the debate page (its "Hide" link), never
    edited or deleted here."""

    list_display = ["__str__", "author", "is_official", "report_count", "hidden_at"]
    list_filter = [ReportedFilter, "is_official"]
    search_fields = ["body", "debate__proposal__title"]
    list_select_related = ["debate__proposal", "author"]
    # Its text as written; the HTML made of it for the debate page is not shown again.
    readonly_fields = [f.name for f in Comment._meta.fields if f.name != "body_html"] + [
        "hide_link"
    ]
    inlines = [RevisionInline]

    @admin.display(description=_("moderation"))
    def hide_link(self, comment):
        if comment.is_hidden:
            return comment.hidden_reason
        return format_html(
            '<a href="{}">{}</a>', reverse("proposals:comment_hide", args=[comment.pk]), _("Hide")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
