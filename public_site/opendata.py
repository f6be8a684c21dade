"""Open data: read-only datasets of the council's public record, as JSON and CSV.

Only what the public pages show: no account, no e-mail, no proposer, no ballot.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from consultations.models import Poll
from consultations.results import poll_results
from councils.models import CommitteeMember, Meeting, Minutes, WorkingGroup
from ogp_portal.spreadsheets import csv_text
from opinions.models import OpinionMap
from plans.models import Commitment, DraftComment, Milestone
from proposals.models import Call, Proposal

PAGE_SIZE = 100


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _when(value) -> str:
    return value.isoformat() if value else ""


# Each dataset: its records (ordered and paged by primary key) and the rows of one record.


def _committee():
    return CommitteeMember.objects.public()


def _committee_rows(m):
    yield {
        "id": m.pk,
        "category": m.category,
        "affiliation": m.affiliation,
        "position": m.position,
        "name": m.name,
        "note": m.note,
        "display_order": m.display_order,
        "term_start": _when(m.term_start),
        "term_end": _when(m.term_end),
    }


def _groups():
    return (
        WorkingGroup.objects.public()
        .select_related("lead")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
    )


def _group_rows(g):
    yield {
        "id": g.pk,
        "slug": g.slug,
        "name": g.name,
        "area": g.area,
        "purpose": g.purpose,
        "lead_member_id": g.lead_id,
        "lead_name": g.lead.name,
        "member_count": g.member_count,
        "url": _url(g.get_absolute_url()),
    }


def _meetings():
    return Meeting.objects.public().prefetch_related("agenda_items")


def _meeting_rows(m):
    yield {
        "id": m.pk,
        "body": "committee" if m.group_id is None else "working_group",
        "group_id": m.group_id or "",
        "title": m.title,
        "kind": m.kind,
        "format": m.format,
        "starts_at": _when(m.starts_at),
        "ends_at": _when(m.ends_at),
        "venue": m.venue,
        "status": m.status,
        "agenda": " | ".join(item.title for item in m.agenda_items.all()),
        "published_at": _when(m.published_at),
        "url": _url(m.get_absolute_url()),
    }


def _minutes():
    return Minutes.objects.public().annotate(corrections=Count("revisions"))


def _minutes_rows(m):
    yield {
        "id": m.pk,
        "meeting_id": m.meeting_id,
        "published_at": _when(m.published_at),
        "minutes": m.body,
        "decisions": m.decisions,
        "action_items": m.action_items,
        "corrections": m.corrections,
        "url": _url(m.get_absolute_url()),
    }


def _calls():
    return Call.objects.public().annotate(proposal_count=Count("proposals"))


def _call_rows(c):
    yield {
        "id": c.pk,
        "slug": c.slug,
        "title": c.title,
        "opens_at": _when(c.opens_at),
        "closes_at": _when(c.closes_at),
        "status": c.status.value,
        "proposal_count": c.proposal_count,
        "url": _url(c.get_absolute_url()),
    }


def _proposals():
    return Proposal.objects.public().select_related("area")


def _proposal_rows(p):
    yield {
        "id": p.pk,
        "call_id": p.call_id,
        "title": p.title,
        "area": p.area.name if p.area else "",
        "problem": p.problem,
        "solution": p.solution,
        "status": p.status,
        "folded_under_id": p.parent_id or "",
        "supports": p.support_count,
        "submitted_at": _when(p.submitted_at),
        "response": p.response,
        "responded_at": _when(p.responded_at),
        "url": _url(p.get_absolute_url()),
    }


def _poll_results():
    return Poll.objects.public().filter(result__isnull=False).select_related("result")


def _poll_result_rows(poll):
    results = poll_results(poll)
    turnout = results["turnout"]
    for option in results["options"]:
        yield {
            "poll_id": poll.pk,
            "poll": results["poll"],
            "question": results["question"],
            "closes_at": results["closes_at"],
            "option": option["label"],
            "votes": option["votes"],
            "ballots": results["ballots"],
            "ballots_online": turnout["ballots_online"],
            "ballots_on_site": turnout["ballots_on_site"],
            "eligible": turnout["eligible"] or "",
            "eligible_counts": turnout["eligible_counts"],
            "turnout_percent": "" if turnout["eligible"] is None else turnout["turnout_percent"],
            "url": _url(poll.get_absolute_url()),
        }


def _commitments():
    return Commitment.objects.public().with_progress()


def _commitment_rows(c):
    yield {
        "id": c.pk,
        "plan_id": c.plan_id,
        "title": c.title,
        "lead_agency": c.lead_agency,
        "proposal_id": c.proposal_id or "",
        "transparency": c.transparency,
        "participation": c.participation,
        "accountability": c.accountability,
        "starts_on": _when(c.starts_on),
        "ends_on": _when(c.ends_on),
        "progress": round(c.progress or 0),
        "url": _url(c.get_absolute_url()),
    }


def _milestones():
    return Milestone.objects.public().with_evidence()


def _milestone_rows(m):
    yield {
        "id": m.pk,
        "commitment_id": m.commitment_id,
        "title": m.title,
        "department": m.department,
        "due_on": _when(m.due_on),
        "completion": m.completion_level(),
    }


def _draft_comments():
    return DraftComment.objects.public().select_related("commitment")


def _draft_comment_rows(c):
    """A comment on the draft plan and its answer; no one's name (a hidden comment keeps only
    the reason it was hidden for)."""
    yield {
        "id": c.pk,
        "commitment_id": c.commitment.commitment_id,
        "draft_commitment_title": c.commitment.title,
        "paragraph": "" if c.paragraph is None else c.paragraph + 1,
        "quote": "" if c.is_hidden else c.quote,
        "comment": "" if c.is_hidden else c.body,
        "posted_at": _when(c.created_at),
        "hidden_reason": c.hidden_reason if c.is_hidden else "",
        "outcome": c.outcome,
        "reasons": c.reasons,
        "answered_at": _when(c.answered_at),
        "url": _url(c.get_absolute_url()),
    }


def _opinion_maps():
    return (
        OpinionMap.objects.public()
        .filter(result__isnull=False)
        .select_related("result")
        .defer("result__published_votes")
    )


def _opinion_group_rows(opinion_map):
    """One row per statement and shown group: counts only, nobody's vote."""
    result = opinion_map.result
    texts = dict(opinion_map.statements.visible().values_list("pk", "text"))
    consensus = {pk: rank for rank, pk in enumerate(result.consensus, 1)}
    divisive = {pk: rank for rank, pk in enumerate(result.divisive, 1)}
    for row in result.statements:
        if row["id"] not in texts:
            continue
        for group, counts in zip(result.groups, row["groups"], strict=True):
            votes = counts["agree"] + counts["disagree"] + counts["pass"]
            yield {
                "map_id": opinion_map.pk,
                "map": opinion_map.title,
                "computed_at": _when(result.computed_at),
                "statement_id": row["id"],
                "statement": texts[row["id"]],
                "group": group["label"],
                "group_size": group["size"],
                "agree": counts["agree"],
                "disagree": counts["disagree"],
                "pass": counts["pass"],
                "agree_percent": round(100 * counts["agree"] / votes, 1) if votes else "",
                "consensus_rank": consensus.get(row["id"], ""),
                "divisive_rank": divisive.get(row["id"], ""),
                "url": _url(opinion_map.get_absolute_url()),
            }


DATASETS = {
    "committee": (_committee, _committee_rows),
    "working-groups": (_groups, _group_rows),
    "meetings": (_meetings, _meeting_rows),
    "minutes": (_minutes, _minutes_rows),
    "calls": (_calls, _call_rows),
    "proposals": (_proposals, _proposal_rows),
    "poll-results": (_poll_results, _poll_result_rows),  # one row per option; paged by poll
    "commitments": (_commitments, _commitment_rows),
    "milestones": (_milestones, _milestone_rows),
    "draft-comments": (_draft_comments, _draft_comment_rows),
    # one row per statement and opinion group; paged by map
    "opinion-groups": (_opinion_maps, _opinion_group_rows),
}


def page(name: str, *, after: int = 0, size: int = PAGE_SIZE) -> tuple[list[dict], int | None]:
    """The rows of the `size` records after the record `after` (keyset pagination by id).

    Returns the rows and the cursor of the next page (None on the last page). A record added or
    removed meanwhile never shifts a page, unlike an offset.
    """
    records, rows_of = DATASETS[name]
    found = list(records().filter(pk__gt=after).order_by("pk")[: size + 1])
    shown = found[:size]
    rows = [row for record in shown for row in rows_of(record)]
    return rows, (shown[-1].pk if len(found) > size else None)


def rows(name: str) -> list[dict]:
    """The whole dataset, read a thousand records at a time (for the evidence package)."""
    every, after = [], 0
    while after is not None:
        chunk, after = page(name, after=after, size=1000)
        every += chunk
    return every


def to_csv(data: list[dict]) -> str:
    return csv_text(list(data[0]) if data else [], [row.values() for row in data])


# How long the first-served moment of a content version is remembered; after that a client
# revalidating by date simply downloads the dataset once more.
VERSION_MEMORY = 60 * 60 * 24 * 30


def version(name: str, body: bytes):
    """A strong ETag of the content, and the first moment this content was served."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    key = f"opendata:{name}:{etag}"
    first_seen = cache.get(key)
    if first_seen is None:
        first_seen = timezone.now().replace(microsecond=0)
        cache.set(key, first_seen, timeout=VERSION_MEMORY)
    return etag, first_seen
