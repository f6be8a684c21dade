"""Search across proposals, minutes, meetings, documents, polls, calls, groups and members.

PostgreSQL: full-text search with the "simple" configuration and prefix matching, so that a
Korean word is found inside a word with its particle (태양광 → 태양광을). Each source's text
vector has a GIN expression index, declared in the Meta of its model (`SearchIndex`, with the
same fields as `SOURCES`; a test checks the plan uses it): the query filters with `@@` on the
same expression, so it reads the index instead of computing every row's vector, and ranks the
newest `CANDIDATES` matches (ranking computes a vector per row). SQLite: substring match.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Q

from consultations.models import Poll
from councils.models import CommitteeMember, Document, Meeting, Minutes, WorkingGroup
from proposals.models import Call, Proposal

LIMIT = 20
# Ranking computes each match's vector again: only the newest matches are ranked.
CANDIDATES = 200
CONFIG = "simple"


@dataclass(frozen=True)
class Source:
    """What a search reads: the rows the public sees (`public()`, as everywhere), narrowed by
    `only`, and the fields of its text. The fields are columns of the model's table: an index
    can hold nothing joined (each source's index is declared in its model's `Meta`)."""

    model: type[models.Model]
    fields: list[str]
    only: Q = field(default_factory=Q)
    related: tuple[str, ...] = ()

    def public(self):
        return self.model.objects.public().filter(self.only).select_related(*self.related)


SOURCES = {
    "proposals": Source(Proposal, ["title", "problem", "solution", "response"]),
    "minutes": Source(Minutes, ["body", "decisions", "action_items"], related=("meeting",)),
    "meetings": Source(Meeting, ["title", "venue"]),
    "documents": Source(Document, ["title", "summary", "registration_number"]),
    # Only a fully public document's text is searched: a partly public one shows no text.
    "document_texts": Source(Document, ["body"], only=Q(disclosure=Document.Disclosure.PUBLIC)),
    "polls": Source(Poll, ["question", "explanation"]),
    "calls": Source(Call, ["title", "description"]),
    "groups": Source(WorkingGroup, ["name", "purpose"]),
    # What the committee page shows of a member; never the contact address.
    "members": Source(CommitteeMember, ["name", "affiliation", "position", "note"]),
}


def vector(fields: list[str]) -> SearchVector:
    """The text vector of a source, exactly as its index holds it."""
    return SearchVector(*fields, config=CONFIG)


def terms(text: str) -> list[str]:
    return [t for t in re.split(r"[\s\"'():&|!<>*\\]+", text) if t][:8]


def search(text: str) -> dict[str, list]:
    words = terms(text)
    if not words:
        return {kind: [] for kind in SOURCES if kind != "document_texts"}
    results = {}
    for kind, source in SOURCES.items():
        queryset, fields = source.public(), source.fields
        if connection.vendor == "postgresql":
            query = SearchQuery(
                " & ".join(f"{word}:*" for word in words), config=CONFIG, search_type="raw"
            )
            matches = queryset.annotate(text=vector(fields)).filter(text=query)
            newest = matches.order_by("-pk").values("pk")[:CANDIDATES]
            queryset = (
                queryset.filter(pk__in=newest)
                .annotate(rank=SearchRank(vector(fields), query))
                .order_by("-rank", "-pk")
            )
        else:
            for word in words:
                match = Q()
                for name in fields:
                    match |= Q(**{f"{name}__icontains": word})
                queryset = queryset.filter(match)
            queryset = queryset.order_by("-pk")
        results[kind] = list(queryset[:LIMIT])
    texts = results.pop("document_texts")
    results["documents"] += [d for d in texts if d not in results["documents"]]
    return results
