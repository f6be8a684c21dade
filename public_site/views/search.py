"""The search page."""

from django.views.generic import TemplateView

from .. import search


class SearchView(TemplateView):
    template_name = "public/search.html"

    def get_context_data(self, **kwargs):
        # A NUL byte is never part of a search and PostgreSQL refuses it in a query.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]
        results = search.search(query) if query else None
        return super().get_context_data(
            query=query,
            results=results,
            total=sum(len(r) for r in results.values()) if results else 0,
            **kwargs,
        )
