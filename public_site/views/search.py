"""The search page: the results of a query are the same for everyone, computed once per
version of the public records (`{% shared %}`)."""

import hashlib

from django.views.generic import TemplateView

from ogp_portal.views import SharedPageMixin

from .. import search


class SearchView(SharedPageMixin, TemplateView):
    template_name = "public/search.html"

    def get_context_data(self, **kwargs):
        # A NUL byte is never part of a search and PostgreSQL refuses it in a query.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]
        return super().get_context_data(
            query=query,
            query_digest=hashlib.sha256(query.encode()).hexdigest(),
            shared_compute=lambda: results(query),
            **kwargs,
        )


def results(query: str) -> dict:
    found = search.search(query)
    return {"results": found, "total": sum(len(r) for r in found.values())}
