"""Search across proposals, minutes, meetings, documents, polls, calls, groups and members.

PostgreSQL: full-text search with the "simple" configuration and prefix matching, so that a
Korean word is found inside a word with its particle (태양광 → 태양광을). Each source's text
vector has a GIN expression index (migrations `public.0001_search_indexes` and
`public.0002_search_more_indexes`, built from `SOURCES`): the query filters with `@@` on the
same expression, so it reads the index instead of computing every row's vector, and ranks the
newest `CANDIDATES` matches (ranking computes a vector per row). SQLite: substring match.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from consultations.models import Poll
from councils.models import CommitteeMember, Document, Meeting, Minutes, WorkingGroup
from proposals.models import Call, Proposal

LIMIT = 20
# Ranking computes each match's vector again: only the newest matches are ranked.
CANDIDATES = 200
CONFIG = "simple"
# The fields of each source are the columns of its table: an index can hold nothing joined.
SOURCES = {
    "proposals": (Proposal, ["title", "problem", "solution", "response"]),
    "minutes": (Minutes, ["body", "decisions", "action_items"]),
    "meetings": (Meeting, ["title", "venue"]),
    "documents": (Document, ["title", "summary", "registration_number"]),
    # Only a fully public document's text is searched: a partly public one shows no text.
    "document_texts": (Document, ["body"]),
    "polls": (Poll, ["question", "explanation"]),
    "calls": (Call, ["title", "description"]),
    "groups": (WorkingGroup, ["name", "purpose"]),
    # What the committee page shows of a member; never the contact address.
    "members": (CommitteeMember, ["name", "affiliation", "position", "note"]),
}


def vector(fields: list[str]) -> SearchVector:
    """The text vector of a source, exactly as its index holds it."""
    return SearchVector(*fields, config=CONFIG)


def _public(kind: str):
    model = SOURCES[kind][0]
    if kind == "minutes":
        return model.objects.published().select_related("meeting")
    if kind == "meetings":
        return model.objects.published()
    if kind == "documents":
        return model.objects.public()
    if kind == "document_texts":
        return model.objects.filter(disclosure=Document.Disclosure.PUBLIC)
    if kind == "polls":
        return model.objects.published()
    if kind == "members":
        return model.objects.current()
    return model.objects.all()


def terms(text: str) -> list[str]:
    return [t for t in re.split(r"[\s\"'():&|!<>*\\]+", text) if t][:8]


def search(text: str) -> dict[str, list]:
    words = terms(text)
    if not words:
        return {kind: [] for kind in SOURCES if kind != "document_texts"}
    results = {}
    for kind, (_model, fields) in SOURCES.items():
        queryset = _public(kind)
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
