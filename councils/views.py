from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView

from ogp_portal.uploads import file_response
from ogp_portal.views import (
    RulePermissionMixin,
    ServiceFormMixin,
    SubmitOnceMixin,
    draft_take,
    run_service,
)

from . import services
from .calendars import calendar
from .forms import (
    AttachmentForm,
    CommentForm,
    CorrectionForm,
    GroupForm,
    MeetingForm,
    MinutesForm,
)
from .models import (
    CommitteeMember,
    Council,
    Document,
    DocumentAttachment,
    Meeting,
    MemberCategory,
    Minutes,
    WorkingGroup,
)


class CouncilMixin:
    def get_council(self) -> Council:
        council = Council.objects.primary()
        if council is None:
            raise Http404
        return council


MEETINGS_PER_PAGE = 20
MEMBERS_SHOWN = 100


class CommitteeView(CouncilMixin, TemplateView):
    """The public roster: current members grouped by category, past members on request."""

    template_name = "councils/committee.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = self.get_council()
        show_past = self.request.GET.get("past") == "1"
        members = list(CommitteeMember.objects.filter(council=council).current())
        category_order = {value: i for i, value in enumerate(MemberCategory.values)}
        members.sort(key=lambda m: (category_order[m.category], m.display_order, m.pk))
        groups = [
            (MemberCategory(category).label, list(rows))
            for category, rows in groupby(members, key=lambda m: m.category)
        ]
        government = sum(1 for m in members if m.is_government)
        committee_meetings = Meeting.objects.published().of_committee().filter(council=council)
        page = Paginator(committee_meetings.select_related("minutes"), MEETINGS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            council=council,
            groups=groups,
            member_count=len(members),
            government_count=government,
            non_government_count=len(members) - government,
            show_past=show_past,
            past_members=(
                CommitteeMember.objects.filter(council=council).past() if show_past else None
            ),
            meetings=page.object_list,
            page_obj=page,
            quarters=council.quarters(committee_meetings.regular_in_operating_period(council)),
        )
        return context


class GroupListView(CouncilMixin, ListView):
    template_name = "councils/group_list.html"
    context_object_name = "groups"
    paginate_by = 24

    def get_queryset(self):
        return (
            WorkingGroup.objects.filter(council=self.get_council())
            .select_related("lead")
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True))
            )
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            calendar_years=Meeting.objects.published().calendar_years(), **kwargs
        )


class GroupDetailView(DetailView):
    model = WorkingGroup
    template_name = "councils/group_detail.html"
    context_object_name = "group"
    slug_url_kwarg = "slug"

    def get_queryset(self):
        return WorkingGroup.objects.select_related("lead", "council")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.object
        user = self.request.user
        memberships = group.memberships.active()
        meetings = group.meetings.select_related("minutes")
        if not user.has_perm("councils.schedule_meeting", group):
            meetings = meetings.published()
        page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(self.request.GET.get("page"))
        members = list(memberships.listed().select_related("user")[:MEMBERS_SHOWN])
        member_count = memberships.count()
        context.update(
            members=members,
            member_count=member_count,
            unlisted_count=member_count - len(members),
            membership=memberships.filter(user=user).first() if user.is_authenticated else None,
            meetings=page.object_list,
            page_obj=page,
        )
        return context


class GroupUpdateView(RulePermissionMixin, UpdateView):
    """The lead keeps the group's purpose up to date."""

    permission_required = "councils.manage_group"
    model = WorkingGroup
    form_class = GroupForm
    template_name = "councils/group_form.html"
    context_object_name = "group"

    def form_valid(self, form):
        messages.success(self.request, _("The group is updated."))
        return super().form_valid(form)


class GroupMembershipView(RulePermissionMixin, View):
    """POST: join (or, with leave=1, leave) a working group in one click."""

    verify_message = gettext_lazy(
        "Please verify your e-mail address before joining a working group."
    )

    def get_permission_required(self):
        leaving = self.request.POST.get("leave")
        return ["councils.leave_group" if leaving else "councils.join_group"]

    @cached_property
    def group(self) -> WorkingGroup:
        return get_object_or_404(WorkingGroup, slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.group

    def post(self, request, slug):
        group = self.get_permission_object()
        if request.POST.get("leave"):
            if services.group_leave(group=group, user=request.user):
                messages.success(request, _("You have left %(group)s.") % {"group": group})
        else:
            services.group_join(group=group, user=request.user)
            messages.success(request, _("Welcome to %(group)s.") % {"group": group})
        return redirect(group)


class GroupListingView(RulePermissionMixin, View):
    """POST: a member chooses whether the group's page lists their name (show=1) or not."""

    permission_required = "councils.leave_group"

    def post(self, request, slug):
        group = get_object_or_404(WorkingGroup, slug=slug)
        show = request.POST.get("show") == "1"
        if services.membership_name_show(group=group, user=request.user, show=show):
            messages.success(
                request,
                _("Your name is listed on the group's page.")
                if show
                else _("Your name is no longer listed on the group's page."),
            )
        return redirect(group)


class MeetingScheduleView(SubmitOnceMixin, RulePermissionMixin, FormView):
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

    def form_valid(self, form):
        publish = "publish" in self.request.POST
        meeting = services.meeting_schedule(
            meeting=form.save(commit=False), agenda=form.agenda_titles(), publish=publish
        )
        if publish:
            messages.success(self.request, _("The meeting is published and its members notified."))
        else:
            messages.success(self.request, _("The meeting is saved as a draft."))
        return redirect(meeting)

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class MeetingObjectMixin:
    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.select_related("group__lead", "council"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.meeting


class MeetingDetailView(MeetingObjectMixin, RulePermissionMixin, TemplateView):
    permission_required = "councils.read_meeting"
    template_name = "councils/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        user = self.request.user
        minutes = (
            Minutes.objects.filter(meeting=meeting)
            .prefetch_related("attachments", "revisions", "attendees", "attending_members")
            .first()
        )
        if minutes is not None:
            minutes.meeting = meeting
        context.update(
            meeting=meeting,
            agenda=list(meeting.agenda_items.all()),
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


class MeetingUpdateView(MeetingObjectMixin, RulePermissionMixin, FormView):
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


class MeetingActionView(MeetingObjectMixin, RulePermissionMixin, View):
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


class MinutesCreateView(
    SubmitOnceMixin, MeetingObjectMixin, RulePermissionMixin, ServiceFormMixin, FormView
):
    permission_required = "councils.post_minutes"
    form_class = MinutesForm
    template_name = "councils/minutes_form.html"
    success_message = gettext_lazy("The draft minutes are saved.")

    def dispatch(self, request, *args, **kwargs):
        if Minutes.objects.filter(meeting_id=kwargs["pk"]).exists():
            return redirect("councils:minutes_edit", pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def run(self, form):
        return services.minutes_create(
            meeting=self.meeting, author=self.request.user, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MinutesObjectMixin(MeetingObjectMixin):
    @cached_property
    def minutes(self) -> Minutes:
        return get_object_or_404(
            Minutes.objects.select_related("meeting__group__lead"), meeting_id=self.kwargs["pk"]
        )

    @cached_property
    def meeting(self) -> Meeting:
        return self.minutes.meeting

    def get_permission_object(self):
        return self.minutes


class MinutesUpdateView(MinutesObjectMixin, RulePermissionMixin, FormView):
    """Edits minutes before publication; published minutes take a correction instead."""

    permission_required = "councils.edit_minutes"
    template_name = "councils/minutes_form.html"

    def get_form_class(self):
        return CorrectionForm if self.minutes.is_published else MinutesForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.minutes}
        if not self.minutes.is_published:
            kwargs["meeting"] = self.meeting
        return kwargs

    def form_valid(self, form):
        minutes = self.minutes
        if minutes.is_published:
            fields = {k: form.cleaned_data[k] for k in ("body", "decisions", "action_items")}
            services.minutes_correct(
                minutes=Minutes.objects.get(pk=minutes.pk),
                author=self.request.user,
                reason=form.cleaned_data["reason"],
                **fields,
            )
            messages.success(self.request, _("The correction is published with its reason."))
        else:
            form.save()
            messages.success(self.request, _("The minutes are saved."))
        return redirect(minutes)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, minutes=self.minutes, **kwargs)


class MinutesAdvanceView(MinutesObjectMixin, RulePermissionMixin, View):
    permission_required = "councils.edit_minutes"

    def post(self, request, pk):
        minutes = self.minutes
        if run_service(
            request, services.minutes_advance, minutes=minutes, expected=request.POST.get("from")
        ):
            messages.success(
                request,
                _("The minutes are now: %(status)s.") % {"status": minutes.get_status_display()},
            )
        return redirect(minutes)


class MinutesCommentView(MinutesObjectMixin, RulePermissionMixin, View):
    """POST: an attendee comments on circulated minutes."""

    permission_required = "councils.comment_minutes"

    def get_next_url(self) -> str:
        return self.minutes.get_absolute_url()

    def post(self, request, pk):
        minutes = self.minutes
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a comment first."))
            return redirect(minutes)
        run_service(
            request,
            services.minutes_comment,
            minutes=minutes,
            author=request.user,
            body=form.cleaned_data["body"],
            done=_("Thank you: your comment reaches the organisers."),
        )
        return redirect(minutes)


class AttachmentCreateView(SubmitOnceMixin, MinutesObjectMixin, RulePermissionMixin, FormView):
    permission_required = "councils.edit_minutes"
    form_class = AttachmentForm
    template_name = "councils/attachment_form.html"

    def form_valid(self, form):
        services.minutes_attach(
            minutes=self.minutes,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
        messages.success(self.request, _("The file is attached."))
        return redirect(self.minutes)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


def _ics_response(meetings, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar(meetings, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _calendar_meetings():
    return Meeting.objects.published().select_related("group").prefetch_related("agenda_items")


def meetings_ical(request):
    """Upcoming meetings and those of the last twelve months; older years: `meetings_ical_year`."""
    return _ics_response(
        _calendar_meetings().in_calendar_window(),
        name=_("Gwangju OGP Council meetings"),
        filename="meetings.ics",
    )


def meetings_ical_year(request, year: int):
    """The archive: every meeting of one year."""
    if not 2000 <= year <= 2100:
        raise Http404
    return _ics_response(
        _calendar_meetings().of_year(year),
        name=_("Gwangju OGP Council meetings %(year)d") % {"year": year},
        filename=f"meetings-{year}.ics",
    )


def meeting_ical(request, pk):
    """One published meeting as a calendar file: the digest links it where a notice attaches it."""
    meeting = get_object_or_404(_calendar_meetings(), pk=pk)
    return _ics_response([meeting], name=meeting.body_name, filename="meeting.ics")


def group_ical(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    meetings = group.meetings.published().select_related("group").prefetch_related("agenda_items")
    return _ics_response(meetings, name=group.name, filename=f"group-{group.pk}.ics")


class AttachmentDownloadView(MinutesObjectMixin, RulePermissionMixin, View):
    permission_required = "councils.read_minutes"

    def get(self, request, pk, attachment_pk):
        return file_response(get_object_or_404(self.minutes.attachments, pk=attachment_pk))


class DocumentDetailView(DetailView):
    template_name = "councils/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return Document.objects.public().prefetch_related("attachments")


class DocumentFileView(View):
    """Files of documents that are not public reach the secretariat only; others find nothing."""

    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(
            DocumentAttachment.objects.select_related("document"), pk=attachment_pk, document_id=pk
        )
        if not request.user.has_perm("councils.read_document", attachment.document):
            raise Http404
        return file_response(attachment)
