"""Search across proposals, minutes, meetings, documents, polls, calls, groups and members.

Each source keeps the search words of its title and text in a column of its own table
(`ogp_portal.search_index`: Korean morphemes and English stems, a GIN-indexed tsvector on
PostgreSQL, text on SQLite), and the query is analysed the same way: a noun is found inside a
compound word and without its particle (아파트 in 녹색아파트조성사업), a phrase in quotes as
consecutive words. Every word or phrase of the query must match. Results come with the
records whose title matches first, then the newest; each carries a snippet of its text with the
matching words marked.
"""

import re
from dataclasses import dataclass, field

from django.db.models import F, Model, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from consultations.models import Poll
from councils.models import CommitteeMember, Document, Meeting, Minutes, WorkingGroup
from ogp_portal.morphemes import Query
from ogp_portal.search_index import Matches
from proposals.models import Call, Proposal

LIMIT = 20
# Characters of text around the first match shown in a snippet.
BEFORE, AFTER = 60, 140


@dataclass(frozen=True)
class Source:
    """What a search reads: the rows the public sees (`public()`, as everywhere), narrowed by
    `only`; its column of search words; the field that puts the newest first among equally good
    matches."""

    model: type[Model]
    newest: str
    column: str = "search_index"
    only: Q = field(default_factory=Q)
    related: tuple[str, ...] = ()

    def public(self):
        return self.model.objects.public().filter(self.only).select_related(*self.related)


SOURCES = {
    "proposals": Source(Proposal, "submitted_at"),
    "minutes": Source(Minutes, "published_at", related=("meeting",)),
    "meetings": Source(Meeting, "starts_at"),
    "documents": Source(Document, "date"),
    # Only a fully public document's text is searched: a partly public one shows no text.
    "document_texts": Source(
        Document,
        "date",
        column="search_index_body",
        only=Q(disclosure=Document.Disclosure.PUBLIC),
    ),
    "polls": Source(Poll, "opens_at"),
    "calls": Source(Call, "opens_at"),
    "groups": Source(WorkingGroup, "pk"),
    # What the committee page shows of a member; never the contact address.
    "members": Source(CommitteeMember, "pk"),
}


@dataclass(frozen=True)
class Hit:
    record: Model
    snippet: SafeString


def _pattern(query: Query) -> re.Pattern:
    """Where the query's words stand in the original text: a Korean morpheme as it is written
    (inside its compound), an English stem with the rest of its word."""
    parts = [
        rf"\b{re.escape(word)}\w*" if word.isascii() else re.escape(word)
        for word in sorted(query.words, key=len, reverse=True)
    ]
    return re.compile("|".join(parts), re.IGNORECASE)


def snippet(text: str, pattern: re.Pattern) -> SafeString:
    """The text around its first match (or its beginning), escaped, matches in <mark>."""
    text = " ".join(text.split())
    first = pattern.search(text)
    start = max(0, first.start() - BEFORE) if first else 0
    end = min(len(text), start + BEFORE + AFTER)
    window = text[start:end]
    marked, at = [], 0
    for match in pattern.finditer(window):
        marked += [escape(window[at : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        at = match.end()
    marked.append(escape(window[at:]))
    # Safe: every piece of the text is escaped above; only the <mark> tags are markup.
    return mark_safe(("…" if start else "") + "".join(marked) + ("…" if end < len(text) else ""))  # noqa: S308  # nosec B308 B703


def _hit(record: Model, column: str, pattern: re.Pattern) -> Hit:
    field = record._meta.get_field(column)
    texts = [str(getattr(record, name) or "") for name in field.body]
    text = next((t for t in texts if pattern.search(t)), next((t for t in texts if t), ""))
    return Hit(record, snippet(text, pattern))


def search(text: str) -> dict[str, list[Hit]]:
    query = Query.parse(text)
    if not query:
        return {kind: [] for kind in SOURCES if kind != "document_texts"}
    pattern = _pattern(query)
    results = {}
    for kind, source in SOURCES.items():
        model, column, newest = source.model, source.column, source.newest
        # The best matches' ids first, from the narrow rows of the index's table; then those
        # records whole: sorting every match of a common word whole costs twice as much.
        matches = source.public().filter(Matches(column, query))
        order = [F(newest).desc(nulls_last=True), "-pk"]
        if model._meta.get_field(column).title:
            matches = matches.annotate(in_title=Matches(column, query, title=True))
            order.insert(0, "-in_title")
        best = matches.order_by(*order).values("pk")[:LIMIT]
        ranked = source.public().filter(pk__in=best)
        if "-in_title" in order:
            ranked = ranked.annotate(in_title=Matches(column, query, title=True))
        results[kind] = [_hit(record, column, pattern) for record in ranked.order_by(*order)]
    texts = results.pop("document_texts")
    shown = {hit.record.pk for hit in results["documents"]}
    results["documents"] += [hit for hit in texts if hit.record.pk not in shown]
    return results
