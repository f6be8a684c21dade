from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import (
    ReadableSlugAdminMixin,
    RecordInline,
    ServiceActionMixin,
    UploadInline,
)
from ogp_portal.admin_site import Attention, attention_register
from outbox.models import Message

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
class CouncilAdmin(ReadableSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "operating_start", "operating_end"]
    slug_source = "name"
    inlines = [DirectionInline, TimelineInline]


class DocumentAttachmentInline(UploadInline):
    model = DocumentAttachment


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


class MinutesOverdueFilter(admin.SimpleListFilter):
    title = _("minutes")
    parameter_name = "minutes"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.minutes_overdue() if self.value() == "overdue" else queryset


def _attention() -> list[Attention]:
    meetings = reverse("admin:councils_meeting_changelist")
    items = [
        Attention(
            label=_("Meetings without published minutes %(days)d days after they took place")
            % {"days": settings.OGP_MINUTES_WITHIN_DAYS},
            count=Meeting.objects.minutes_overdue().count(),
            url=f"{meetings}?minutes=overdue",
        )
    ]
    council = Council.objects.primary()
    if council is not None:
        regular = council.meetings.public().of_committee().regular_in_operating_period(council)
        missed = [q for q in council.quarters(regular) if q.is_missed]
        items.append(
            Attention(
                label=_("Quarters of the operating period without a regular committee meeting"),
                count=len(missed),
                url=reverse("councils:committee"),
            )
        )
    return items


attention_register(_attention)


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


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


def _names(seats) -> str:
    return ", ".join(str(seat) for seat in seats)


def _meetings_done(count: int) -> str:
    return ngettext(
        "%(count)d meeting changed; its members are notified.",
        "%(count)d meetings changed; their members are notified.",
        count,
    ) % {"count": count}


@admin.register(Meeting)
class MeetingAdmin(ServiceActionMixin, admin.ModelAdmin):
    list_display = ["title", "group", "kind", "format", "starts_at", "status", "published_at"]
    list_filter = ["kind", "format", "status", MinutesOverdueFilter, "group", "is_demo"]
    search_fields = ["title", "venue", "agenda_items__title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["published_at", "revision", "notice_reach"]
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
        for meeting in queryset.select_related("group"):
            if meeting.is_published and (names := _names(meeting.seats().unreachable())):
                self.message_user(
                    request,
                    _("%(meeting)s: no e-mail address reaches %(names)s.")
                    % {"meeting": meeting, "names": names},
                    messages.WARNING,
                )

    @admin.display(description=_("who the notices reach"))
    def notice_reach(self, meeting):
        if meeting.pk is None:
            return _("Saved meetings show here who their notices reach.")
        count = meeting.notice_addresses().count()
        lines = [
            ngettext(
                "%(count)d address receives this meeting's notices.",
                "%(count)d addresses receive this meeting's notices.",
                count,
            )
            % {"count": count}
        ]
        if names := _names(meeting.seats().unreachable()):
            lines.append(
                _("No e-mail address reaches %(names)s: add a contact e-mail to their seat.")
                % {"names": names}
            )
        sent = {}
        for row in (
            meeting.notices.messages().values("composer_ref", "status").annotate(n=Count("pk"))
        ):
            sent.setdefault(row["composer_ref"], {})[row["status"]] = row["n"]
        changelist = reverse("admin:outbox_message_changelist")
        for notice in meeting.notices.order_by("pk"):
            counts = sent.get(notice.pk, {})
            lines.append(
                format_html(
                    '<a href="{}?composer_ref={}">{}</a>: {}',
                    changelist,
                    notice.pk,
                    notice,
                    ", ".join(
                        f"{label} {counts[status]}"
                        for status, label in Message.Status.choices
                        if counts.get(status)
                    )
                    or _("no e-mail"),
                )
            )
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    @admin.action(description=_("Send the notice again to members who did not receive it"))
    def send_notice_again(self, request, queryset):
        count = services.notices_retry(meetings=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notice queued.", "%(count)d notices queued.", count)
            % {"count": count},
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
