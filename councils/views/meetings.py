"""Meetings: scheduling, the meeting's page, changes, and the calendar feeds."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.cache import same_for_everyone, shared
from ogp_portal.views import (
    PortalCreateView,
    PortalFormView,
    PortalTemplateView,
    PortalView,
    SharedPageMixin,
    draft_take,
    run_service,
)

from .. import services
from ..calendars import calendar
from ..forms import CommentForm, MeetingForm
from ..models import Meeting, Minutes, WorkingGroup


class MeetingScheduleView(PortalCreateView):
    permission_required = "councils.schedule_meeting"
    form_class = MeetingForm
    template_name = "councils/meeting_form.html"

    @cached_property
    def group(self) -> WorkingGroup:
        return get_object_or_404(
            WorkingGroup.objects.select_related("lead"), slug=self.kwargs["slug"]
        )

    def get_permission_object(self):
        return self.group

    def get_form_kwargs(self):
        group = self.get_permission_object()
        meeting = Meeting(council_id=group.council_id, group=group, kind=Meeting.Kind.AD_HOC)
        return {**super().get_form_kwargs(), "instance": meeting}

    def run(self, form):
        return services.meeting_schedule(
            meeting=form.save(commit=False),
            agenda=form.agenda_titles(),
            publish="publish" in self.request.POST,
        )

    def get_success_message(self, meeting):
        if meeting.is_published:
            return _("The meeting is published and its members notified.")
        return _("The meeting is saved as a draft.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class MeetingObjectMixin:
    @staticmethod
    def meeting_or_404(pk: int) -> Meeting:
        return get_object_or_404(Meeting.objects.select_related("group__lead", "council"), pk=pk)

    @cached_property
    def meeting(self) -> Meeting:
        return self.meeting_or_404(self.kwargs["pk"])

    def get_permission_object(self):
        return self.meeting


def meeting_page(pk: int) -> dict:
    """What a meeting's page shows, the same to everyone it may be shown to."""
    meeting = MeetingObjectMixin.meeting_or_404(pk)
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .prefetch_related("attachments", "revisions", "attendees", "attending_members")
        .first()
    )
    if minutes is not None:
        minutes.meeting = meeting
    return {"meeting": meeting, "agenda": list(meeting.agenda_items.all()), "minutes": minutes}


class MeetingDetailView(SharedPageMixin, MeetingObjectMixin, PortalTemplateView):
    permission_required = "councils.read_meeting"
    template_name = "councils/meeting_detail.html"

    @cached_property
    def page(self) -> dict:
        pk = self.kwargs["pk"]
        return shared(f"meeting:{pk}", lambda: meeting_page(pk))

    @cached_property
    def meeting(self) -> Meeting:
        return self.page["meeting"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, minutes = self.meeting, self.page["minutes"]
        user = self.request.user
        context.update(
            meeting=meeting,
            agenda=self.page["agenda"],
            minutes=minutes
            if minutes and user.has_perm("councils.read_minutes", minutes)
            else None,
            can_edit=user.has_perm("councils.edit_meeting", meeting),
            can_post_minutes=(
                minutes is None
                and meeting.takes_minutes
                and user.has_perm("councils.post_minutes", meeting)
            ),
            can_edit_minutes=minutes is not None
            and user.has_perm("councils.edit_minutes", minutes),
        )
        if minutes is not None and user.has_perm("councils.comment_minutes", minutes):
            context["comments"] = list(minutes.comments.select_related("author"))
            context["can_comment"] = minutes.is_circulated
            context["comment_form"] = CommentForm(initial=draft_take(self.request))
        return context

    def page_shared_key(self, context) -> str:
        # Organisers, and members who may comment on the minutes, get the page rendered.
        powers = ("can_edit", "can_post_minutes", "can_edit_minutes")
        if "comments" in context or any(context[name] for name in powers):
            return ""
        return f"{super().page_shared_key(context)}:minutes={context['minutes'] is not None}"


class MeetingUpdateView(MeetingObjectMixin, PortalFormView):
    permission_required = "councils.edit_meeting"
    form_class = MeetingForm
    template_name = "councils/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def form_valid(self, form):
        meeting = form.save(commit=False)
        if not form.changed_data:
            messages.info(self.request, _("Nothing was changed."))
            return redirect(meeting)
        services.meeting_update(
            meeting=meeting, changed=form.changed_data, agenda=form.agenda_titles()
        )
        if meeting.is_published:
            messages.success(self.request, _("The meeting is changed and its members notified."))
        return redirect(meeting)

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.meeting.group, **kwargs)


class MeetingActionView(MeetingObjectMixin, PortalView):
    """POST publish / postpone / cancel."""

    permission_required = "councils.edit_meeting"
    actions = {
        "publish": (
            services.meeting_publish,
            gettext_lazy("The meeting is published and its members notified."),
        ),
        "postpone": (services.meeting_postpone, gettext_lazy("The meeting is postponed.")),
        "cancel": (services.meeting_cancel, gettext_lazy("The meeting is cancelled.")),
    }

    def post(self, request, pk, action):
        meeting = self.meeting
        if action not in self.actions:
            raise Http404
        service, done = self.actions[action]
        run_service(request, service, meeting=meeting, done=done)
        return redirect(meeting)


def _ics_response(meetings, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar(meetings, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _calendar_meetings():
    return Meeting.objects.public().select_related("group").prefetch_related("agenda_items")


@same_for_everyone
def meetings_ical(request):
    """Upcoming meetings and those of the last twelve months; older years: `meetings_ical_year`."""
    return _ics_response(
        _calendar_meetings().in_calendar_window(),
        name=_("Gwangju OGP Council meetings"),
        filename="meetings.ics",
    )


@same_for_everyone
def meetings_ical_year(request, year: int):
    """The archive: every meeting of one year."""
    if not 2000 <= year <= 2100:
        raise Http404
    return _ics_response(
        _calendar_meetings().of_year(year),
        name=_("Gwangju OGP Council meetings %(year)d") % {"year": year},
        filename=f"meetings-{year}.ics",
    )


@same_for_everyone
def meeting_ical(request, pk):
    """One published meeting as a calendar file: the digest links it where a notice attaches it."""
    meeting = get_object_or_404(_calendar_meetings(), pk=pk)
    return _ics_response([meeting], name=meeting.body_name, filename="meeting.ics")


@same_for_everyone
def group_ical(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    meetings = group.meetings.public().select_related("group").prefetch_related("agenda_items")
    return _ics_response(meetings, name=group.name, filename=f"group-{group.pk}.ics")
