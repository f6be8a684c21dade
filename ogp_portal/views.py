from django.views.generic import TemplateView

from councils.models import CommitteeMember, Council


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = Council.objects.prefetch_related("directions").primary()
        context["council"] = council
        context["member_count"] = (
            CommitteeMember.objects.filter(council=council).current().count() if council else 0
        )
        return context
