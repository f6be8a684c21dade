from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin import ReadableSlugAdminMixin, ServiceActionMixin

from . import services
from .models import Booth, Option, Poll, Result, publication_minutes


class OptionInline(admin.TabularInline):
    """Options as voters saw them: fixed once the first ballot is cast. The votes are those the
    public pages show (one step behind the count while voting: `services._tally_step`)."""

    model = Option
    extra = 0
    readonly_fields = ["shown_votes"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.has_participations():
            return ["label", "display_order", "shown_votes"]
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.has_participations()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.has_participations()


@admin.register(Poll)
class PollAdmin(ReadableSlugAdminMixin, ServiceActionMixin, admin.ModelAdmin):
    """Polls and their aggregates; who chose what is not in the database to show."""

    list_display = ["question", "opens_at", "closes_at", "published_at", "ballot_count", "is_demo"]
    list_filter = ["kind", "results", "is_demo"]
    search_fields = ["question", "explanation"]
    slug_source = "question"
    filter_horizontal = ["proposals"]
    exclude = ["followers"]
    readonly_fields = ["ballot_count", "published_at"]
    inlines = [OptionInline]
    actions = ["publish", "close_now"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.has_participations():
            # Once someone has voted, the question and its options stay as voters saw them,
            # and so does the smallest group published (a smaller one would show small booths).
            return [
                *self.readonly_fields, "question", "kind", "max_choices", "opens_at", "results",
                "disclosure_minimum",
            ]  # fmt: skip
        return self.readonly_fields

    service_argument = "poll"

    @admin.action(description=_("Publish (make the poll public)"))
    def publish(self, request, queryset):
        self.apply_service(
            request,
            queryset,
            services.poll_publish,
            done=lambda count: (
                ngettext("%(count)d poll is public now.", "%(count)d polls are public now.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Close now and publish the result"))
    def close_now(self, request, queryset):
        for poll in queryset.public():
            try:
                result = services.poll_close_now(poll=poll)
            except ValidationError as error:
                self.message_user(
                    request,
                    _(
                        "%(poll)s: voting is closed, but the result could not be published: "
                        "%(reason)s"
                    )
                    % {"poll": poll, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            if result is not None:
                self.message_user(
                    request,
                    _("%(poll)s: voting is closed and the result is published.") % {"poll": poll},
                    messages.SUCCESS,
                )
                continue
            booths = ", ".join(b.name for b in poll.booths.awaiting_totals().order_by("name"))
            self.message_user(
                request,
                ngettext(
                    "%(poll)s: voting is closed. Missing: the paper totals of %(booths)s. "
                    "Citizens see “closed · counting”; the result is published within "
                    "%(minutes)d minute of the last booth's totals, with nothing more to press.",
                    "%(poll)s: voting is closed. Missing: the paper totals of %(booths)s. "
                    "Citizens see “closed · counting”; the result is published within "
                    "%(minutes)d minutes of the last booth's totals, with nothing more to press.",
                    publication_minutes(),
                )
                % {"poll": poll, "booths": booths, "minutes": publication_minutes()},
                messages.WARNING,
            )


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    """Booths of on-site voting; naming poll officers here gives them the role at this booth."""

    list_display = ["name", "poll", "place", "opening_hours", "ballots", "totals_entered_at"]
    list_filter = ["poll"]
    search_fields = ["name", "place"]
    filter_horizontal = ["officers"]
    readonly_fields = ["ballots", "invalid", "totals_entered_at"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["poll", "frozen_at", "ballots", "participants", "eligible"]
    readonly_fields = [
        "poll",
        "frozen_at",
        "ballots",
        "participants",
        "eligible",
        "counts",
        "channels",
        "receipts_sha256",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
