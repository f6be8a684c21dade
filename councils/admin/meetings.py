"""Meetings, their agendas and notices; what the secretariat's front page asks of them."""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import (
    ServiceActionMixin,
)
from ogp_portal.admin_site import Attention, attention_register
from outbox.models import Message

from .. import services
from ..models import (
    AgendaItem,
    Council,
    Meeting,
)


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
