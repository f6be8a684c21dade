"""The committee: its public roster and its meetings by quarter."""

from itertools import groupby

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from ..models import CommitteeMember, Council, Meeting, MemberCategory


class CouncilMixin:
    def get_council(self) -> Council:
        council = Council.objects.primary()
        if council is None:
            raise Http404
        return council


MEETINGS_PER_PAGE = 20


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
        committee_meetings = Meeting.objects.public().of_committee().filter(council=council)
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
