from itertools import groupby

from django.http import Http404
from django.views.generic import TemplateView

from .models import CommitteeMember, Council, MemberCategory


class CommitteeView(TemplateView):
    """The public roster: current members grouped by category, past members on request."""

    template_name = "councils/committee.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = Council.objects.primary()
        if council is None:
            raise Http404
        show_past = self.request.GET.get("past") == "1"
        members = list(CommitteeMember.objects.filter(council=council).current())
        category_order = {value: i for i, value in enumerate(MemberCategory.values)}
        members.sort(key=lambda m: (category_order[m.category], m.display_order, m.pk))
        groups = [
            (MemberCategory(category).label, list(rows))
            for category, rows in groupby(members, key=lambda m: m.category)
        ]
        government = sum(1 for m in members if m.is_government)
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
        )
        return context
