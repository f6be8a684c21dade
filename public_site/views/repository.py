"""The document repository."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from councils.models import Document, Minutes
from proposals.models import Call

REPOSITORY_PER_PAGE = 20


class RepositoryView(TemplateView):
    """The document repository: official documents, published minutes and call reports."""

    template_name = "public/repository.html"

    def get_context_data(self, **kwargs):
        lists = {
            "documents": Document.objects.public().order_by("-date", "-pk"),
            "minutes": Minutes.objects.public()
            .select_related("meeting__group")
            .order_by("-published_at", "-pk"),
            "calls": Call.objects.closed().order_by("-closes_at", "-pk"),
        }
        pages = {
            name: Paginator(items, REPOSITORY_PER_PAGE).get_page(self.request.GET.get(name))
            for name, items in lists.items()
        }
        return super().get_context_data(pages=pages, **kwargs)
