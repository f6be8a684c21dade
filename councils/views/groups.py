"""Working groups: the list, a group's page, its purpose, joining and leaving."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from ogp_portal.views import PortalUpdateView, PortalView

from .. import services
from ..forms import GroupForm
from ..models import Meeting, WorkingGroup
from .council import MEETINGS_PER_PAGE, CouncilMixin

MEMBERS_SHOWN = 100


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
            calendar_years=Meeting.objects.public().calendar_years(), **kwargs
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
            meetings = meetings.public()
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


class GroupUpdateView(PortalUpdateView):
    """The lead keeps the group's purpose up to date."""

    permission_required = "councils.manage_group"
    model = WorkingGroup
    form_class = GroupForm
    template_name = "councils/group_form.html"
    context_object_name = "group"

    def form_valid(self, form):
        messages.success(self.request, _("The group is updated."))
        return super().form_valid(form)


class GroupMembershipView(PortalView):
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


class GroupListingView(PortalView):
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
