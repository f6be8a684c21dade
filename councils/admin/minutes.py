"""Minutes, their files, comments and corrections."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import (
    RecordInline,
    ServiceActionMixin,
    UploadInline,
)

from .. import services
from ..models import (
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
)


class AttachmentInline(UploadInline):
    model = MinutesAttachment
    readonly_fields = [*UploadInline.readonly_fields, "uploaded_at"]


class CommentInline(admin.TabularInline):
    model = MinutesComment
    extra = 0
    readonly_fields = ["author", "body", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(RecordInline):
    model = MinutesRevision
    readonly_fields = ["number", "reason", "author", "created_at", "previous_body"]


@admin.register(Minutes)
class MinutesAdmin(ServiceActionMixin, admin.ModelAdmin):
    list_display = ["meeting", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["meeting__title", "body", "decisions"]
    filter_horizontal = ["attendees", "attending_members"]
    readonly_fields = ["status", "circulated_at", "approved_at", "published_at"]
    inlines = [AttachmentInline, CommentInline, RevisionInline]
    actions = ["advance"]

    def get_readonly_fields(self, request, obj=None):
        # Published minutes change only through a correction, on the site.
        if obj is not None and obj.is_published:
            return [*self.readonly_fields, "body", "decisions", "action_items", "meeting"]
        return self.readonly_fields

    service_argument = "minutes"

    @admin.action(description=_("Move to the next step (circulate, approve, publish)"))
    def advance(self, request, queryset):
        self.apply_service(
            request,
            queryset,
            services.minutes_advance,
            done=lambda count: (
                ngettext("%(count)d minutes moved on.", "%(count)d minutes moved on.", count)
                % {"count": count}
            ),
        )
