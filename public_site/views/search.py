"""The search page: the results of a query are the same for everyone, computed once per
version of the public records (`cache.shared`)."""

import hashlib

from django.views.generic import TemplateView

from ogp_portal.cache import shared

from .. import search


class SearchView(TemplateView):
    template_name = "public/search.html"

    def get_context_data(self, **kwargs):
        # A NUL byte is never part of a search and PostgreSQL refuses it in a query.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]
        results = (
            shared(f"search:{_digest(query)}", lambda: search.search(query)) if query else None
        )
        return super().get_context_data(
            query=query,
            results=results,
            total=sum(len(r) for r in results.values()) if results else 0,
            **kwargs,
        )


def _digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()
