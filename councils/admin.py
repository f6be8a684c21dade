from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import ServiceActionMixin
from ogp_portal.uploads import CheckedUploadForm

from . import services
from .models import (
    AgendaItem,
    CommitteeMember,
    Council,
    Direction,
    Document,
    DocumentAttachment,
    GroupMembership,
    Meeting,
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
    TimelineEntry,
    WorkingGroup,
)


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "operating_start", "operating_end"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DirectionInline, TimelineInline]


class DocumentAttachmentInline(admin.TabularInline):
    model = DocumentAttachment
    form = CheckedUploadForm
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """The repository; documents that are not public never reach the site."""

    list_display = ["registration_number", "title", "date", "issuing_office", "disclosure"]
    list_filter = ["disclosure", "issuing_office"]
    search_fields = ["registration_number", "title", "summary"]
    date_hierarchy = "date"
    inlines = [DocumentAttachmentInline]


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
    ]
    list_display_links = ["name"]
    list_filter = [CurrentFilter, "category", "council"]
    search_fields = ["name", "affiliation", "position", "note"]
    ordering = ["display_order"]
    autocomplete_fields = ["user"]
    actions = ["end_term"]

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


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "lead"]
    search_fields = ["name", "area", "purpose", "lead__name"]
    list_filter = ["area"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


def _meetings_done(count: int) -> str:
    return ngettext(
        "%(count)d meeting changed; its members are notified.",
        "%(count)d meetings changed; their members are notified.",
        count,
    ) % {"count": count}


@admin.register(Meeting)
class MeetingAdmin(ServiceActionMixin, admin.ModelAdmin):
    list_display = ["title", "group", "kind", "format", "starts_at", "status", "published_at"]
    list_filter = ["kind", "format", "status", "group", "is_demo"]
    search_fields = ["title", "venue", "agenda_items__title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["published_at", "revision"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AgendaItemInline]
    actions = ["publish", "postpone", "cancel", "send_notice_again"]

    def get_readonly_fields(self, request, obj=None):
        # A published meeting changes through the site's edit page or the actions below,
        # which tell every member; a silent change here would leave their calendars wrong.
        if obj is not None and obj.is_published:
            return [
                *self.readonly_fields,
                "council",
                "group",
                "kind",
                "format",
                "starts_at",
                "ends_at",
                "venue",
                "online_url",
                "status",
            ]
        return self.readonly_fields

    service_argument = "meeting"

    @admin.action(description=_("Postpone and notify members"))
    def postpone(self, request, queryset):
        self.apply_service(request, queryset, services.meeting_postpone, done=_meetings_done)

    @admin.action(description=_("Cancel and notify members"))
    def cancel(self, request, queryset):
        self.apply_service(request, queryset, services.meeting_cancel, done=_meetings_done)

    @admin.action(description=_("Publish and notify members"))
    def publish(self, request, queryset):
        self.apply_service(request, queryset, services.meeting_publish, done=_meetings_done)

    @admin.action(description=_("Send the notice again to members who did not receive it"))
    def send_notice_again(self, request, queryset):
        count = services.notices_retry(meetings=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notice queued.", "%(count)d notices queued.", count)
            % {"count": count},
        )


class AttachmentInline(admin.TabularInline):
    model = MinutesAttachment
    form = CheckedUploadForm
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


class CommentInline(admin.TabularInline):
    model = MinutesComment
    extra = 0
    readonly_fields = ["author", "body", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = MinutesRevision
    extra = 0
    can_delete = False
    readonly_fields = ["number", "reason", "author", "created_at", "previous_body"]

    def has_add_permission(self, request, obj=None):
        return False


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
