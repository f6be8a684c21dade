"""The data package of /data/: every open dataset, as CSV and as JSON, with its Table Schema.

A Frictionless Data Package (https://datapackage.org/): each resource names the file the portal
serves, its format and a Table Schema (field types, constraints, primary and foreign keys) with
Korean and English titles; the package names the licence and the sources. `frictionless validate
<url>/data/datapackage.json` checks the files against it.

A dataset longer than a page continues at the address in its `Link: rel="next"` header; the
package's path is the first page.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from consultations.models import Poll, Result
from councils.models import CommitteeMember, Council, Meeting, MemberCategory, Minutes, WorkingGroup
from opinions.models import OpinionMap, Statement
from plans.models import Commitment, Completion, DraftComment, Milestone, Outcome
from proposals.models import Call, Proposal, ProposalStatus

from . import opendata


def _label(model, field: str):
    return model._meta.get_field(field).verbose_name


def _f(name: str, kind: str, title, **constraints) -> dict:
    field = {"name": name, "type": kind, "title": str(title)}
    if kind == "string" and name == "url":
        field["format"] = "uri"
    if constraints:
        field["constraints"] = constraints
    return field


def _id() -> dict:
    return _f("id", "integer", _("identifier"), required=True, unique=True, minimum=1)


def _url_field() -> dict:
    return _f("url", "string", _("web page"), required=True)


def _reference(field: str, resource: str, key: str = "id") -> dict:
    return {"fields": field, "reference": {"resource": resource, "fields": key}}


# Each dataset: its title, the public page it comes from, its fields, primary key, foreign keys.
TABLES = {
    "committee": (
        _("Steering committee members and their terms"),
        "councils:committee",
        lambda: [
            _id(),
            _f(
                "category",
                "string",
                _label(CommitteeMember, "category"),
                required=True,
                enum=MemberCategory.values,
            ),
            _f("affiliation", "string", _label(CommitteeMember, "affiliation"), required=True),
            _f("position", "string", _label(CommitteeMember, "position")),
            _f("name", "string", _label(CommitteeMember, "name"), required=True),
            _f("note", "string", _label(CommitteeMember, "note")),
            _f(
                "display_order",
                "integer",
                _label(CommitteeMember, "display_order"),
                required=True,
                minimum=0,
            ),
            _f("term_start", "date", _label(CommitteeMember, "term_start"), required=True),
            _f("term_end", "date", _label(CommitteeMember, "term_end")),
        ],
        [],
    ),
    "working-groups": (
        _("Working groups"),
        "councils:group_list",
        lambda: [
            _id(),
            _f("slug", "string", _label(WorkingGroup, "slug"), required=True, unique=True),
            _f("name", "string", _label(WorkingGroup, "name"), required=True),
            _f("area", "string", _label(WorkingGroup, "area"), required=True),
            _f("purpose", "string", _label(WorkingGroup, "purpose"), required=True),
            _f("lead_member_id", "integer", _label(WorkingGroup, "lead"), required=True),
            _f("lead_name", "string", _("lead's name"), required=True),
            _f("member_count", "integer", _("current members"), required=True, minimum=0),
            _url_field(),
        ],
        [_reference("lead_member_id", "committee")],
    ),
    "meetings": (
        _("Published meetings"),
        "councils:committee",
        lambda: [
            _id(),
            _f("body", "string", _("held by"), required=True, enum=["committee", "working_group"]),
            _f("group_id", "integer", _label(Meeting, "group")),
            _f("title", "string", _label(Meeting, "title"), required=True),
            _f("kind", "string", _label(Meeting, "kind"), required=True, enum=Meeting.Kind.values),
            _f(
                "format",
                "string",
                _label(Meeting, "format"),
                required=True,
                enum=Meeting.Format.values,
            ),
            _f("starts_at", "datetime", _label(Meeting, "starts_at"), required=True),
            _f("ends_at", "datetime", _label(Meeting, "ends_at"), required=True),
            _f("venue", "string", _label(Meeting, "venue")),
            _f(
                "status",
                "string",
                _label(Meeting, "status"),
                required=True,
                enum=Meeting.Status.values,
            ),
            _f("agenda", "string", _("agenda (items separated by |)")),
            _f("published_at", "datetime", _label(Meeting, "published_at"), required=True),
            _url_field(),
        ],
        [_reference("group_id", "working-groups")],
    ),
    "minutes": (
        _("Published minutes"),
        "councils:committee",
        lambda: [
            _id(),
            _f("meeting_id", "integer", _label(Minutes, "meeting"), required=True, unique=True),
            _f("published_at", "datetime", _label(Minutes, "published_at"), required=True),
            _f("minutes", "string", _label(Minutes, "body"), required=True),
            _f("decisions", "string", _label(Minutes, "decisions")),
            _f("action_items", "string", _label(Minutes, "action_items")),
            _f("corrections", "integer", _("corrections"), required=True, minimum=0),
            _url_field(),
        ],
        [_reference("meeting_id", "meetings")],
    ),
    "calls": (
        _("Calls for proposals"),
        "proposals:call_list",
        lambda: [
            _id(),
            _f("slug", "string", _label(Call, "slug"), required=True, unique=True),
            _f("title", "string", _label(Call, "title"), required=True),
            _f("opens_at", "datetime", _label(Call, "opens_at"), required=True),
            _f("closes_at", "datetime", _label(Call, "closes_at"), required=True),
            _f("status", "string", _("status"), required=True, enum=Call.Status.values),
            _f("proposal_count", "integer", _("proposals"), required=True, minimum=0),
            _url_field(),
        ],
        [],
    ),
    "proposals": (
        _("Citizens' proposals"),
        "proposals:call_list",
        lambda: [
            _id(),
            _f("call_id", "integer", _label(Proposal, "call"), required=True),
            _f("title", "string", _label(Proposal, "title"), required=True),
            _f("area", "string", _label(Proposal, "area")),
            _f("problem", "string", _label(Proposal, "problem"), required=True),
            _f("solution", "string", _label(Proposal, "solution"), required=True),
            _f("status", "string", _("status"), required=True, enum=ProposalStatus.values),
            _f("folded_under_id", "integer", _label(Proposal, "parent")),
            _f("supports", "integer", _("supports"), required=True, minimum=0),
            _f("submitted_at", "datetime", _label(Proposal, "submitted_at"), required=True),
            _f("response", "string", _label(Proposal, "response")),
            _f("responded_at", "datetime", _label(Proposal, "responded_at")),
            _url_field(),
        ],
        [_reference("call_id", "calls"), _reference("folded_under_id", "")],
    ),
    "poll-results": (
        _("Results of the citizen polls"),
        "consultations:poll_list",
        lambda: [
            _f("poll_id", "integer", _("poll"), required=True, minimum=1),
            _f("poll", "string", _label(Poll, "slug"), required=True),
            _f("question", "string", _label(Poll, "question"), required=True),
            _f("closes_at", "datetime", _label(Poll, "closes_at"), required=True),
            _f("option", "string", _("option"), required=True),
            _f("votes", "integer", _("votes"), required=True, minimum=0),
            _f("ballots", "integer", _("ballots"), required=True, minimum=0),
            _f("ballots_online", "integer", _("Ballots online"), required=True, minimum=0),
            _f("ballots_on_site", "integer", _("Ballots on site"), required=True, minimum=0),
            _f("eligible", "integer", _label(Result, "eligible"), minimum=1),
            _f("eligible_counts", "string", _label(Result, "eligible_basis")),
            _f("turnout_percent", "number", _("Turnout"), minimum=0, maximum=100),
            _url_field(),
        ],
        [],
    ),
    "commitments": (
        _("Commitments of the action plan"),
        "tracker",
        lambda: [
            _id(),
            _f("plan_id", "integer", _label(Commitment, "plan"), required=True, minimum=1),
            _f("title", "string", _label(Commitment, "title"), required=True),
            _f("lead_agency", "string", _label(Commitment, "lead_agency"), required=True),
            _f("proposal_id", "integer", _label(Commitment, "proposal")),
            _f("transparency", "boolean", _label(Commitment, "transparency"), required=True),
            _f("participation", "boolean", _label(Commitment, "participation"), required=True),
            _f("accountability", "boolean", _label(Commitment, "accountability"), required=True),
            _f("starts_on", "date", _label(Commitment, "starts_on"), required=True),
            _f("ends_on", "date", _label(Commitment, "ends_on"), required=True),
            _f("progress", "integer", _("progress (%)"), required=True, minimum=0, maximum=100),
            _url_field(),
        ],
        [_reference("proposal_id", "proposals")],
    ),
    "milestones": (
        _("Milestones of the commitments"),
        "tracker",
        lambda: [
            _id(),
            _f("commitment_id", "integer", _label(Milestone, "commitment"), required=True),
            _f("title", "string", _label(Milestone, "title"), required=True),
            _f("department", "string", _label(Milestone, "department")),
            _f("due_on", "date", _label(Milestone, "due_on")),
            _f(
                "completion",
                "string",
                _("completion (OGP IRM scale)"),
                required=True,
                enum=Completion.values,
            ),
        ],
        [_reference("commitment_id", "commitments")],
    ),
    "draft-comments": (
        _("Comments on the draft action plan and their answers"),
        "tracker",
        lambda: [
            _id(),
            _f("commitment_id", "integer", _label(Commitment, "title"), required=True, minimum=1),
            _f(
                "draft_commitment_title",
                "string",
                _("commitment as the draft put it"),
                required=True,
            ),
            _f("paragraph", "integer", _label(DraftComment, "paragraph"), minimum=1),
            _f("quote", "string", _label(DraftComment, "quote")),
            _f("comment", "string", _label(DraftComment, "body")),
            _f("posted_at", "datetime", _label(DraftComment, "created_at"), required=True),
            _f("hidden_reason", "string", _label(DraftComment, "hidden_reason")),
            _f("outcome", "string", _label(DraftComment, "outcome"), enum=Outcome.values),
            _f("reasons", "string", _label(DraftComment, "reasons")),
            _f("answered_at", "datetime", _label(DraftComment, "answered_at")),
            _url_field(),
        ],
        [_reference("commitment_id", "commitments")],
    ),
    "opinion-groups": (
        _("Agreement per opinion group with the statements of the opinion maps"),
        "opinions:map_list",
        lambda: [
            _f("map_id", "integer", _("opinion map"), required=True, minimum=1),
            _f("map", "string", _label(OpinionMap, "title"), required=True),
            _f("computed_at", "datetime", _("computed"), required=True),
            _f("statement_id", "integer", _label(Statement, "text"), required=True, minimum=1),
            _f("statement", "string", _label(Statement, "text"), required=True),
            _f("group", "string", _("opinion group"), required=True, enum=list("ABCDE")),
            _f("group_size", "integer", _("participants in the group"), required=True, minimum=2),
            _f("agree", "integer", _("agree"), required=True, minimum=0),
            _f("disagree", "integer", _("disagree"), required=True, minimum=0),
            _f("pass", "integer", _("pass"), required=True, minimum=0),
            _f("agree_percent", "number", _("share that agrees (%)"), minimum=0, maximum=100),
            _f("consensus_rank", "integer", _("consensus rank"), minimum=1),
            _f("divisive_rank", "integer", _("divisive rank"), minimum=1),
            _url_field(),
        ],
        [],
    ),
}
PRIMARY_KEYS = {"poll-results": ["poll_id", "option"], "opinion-groups": ["statement_id", "group"]}


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _in_both(make):
    """What `make()` returns in Korean, with the English titles beside the Korean ones."""
    with translation.override("en"):
        english = make()
    with translation.override("ko"):
        korean = make()
    return korean, english


def _titled(korean, english) -> dict:
    return {"title": str(korean), "titles": {"ko": str(korean), "en": str(english)}}


def _schema(name: str) -> dict:
    _title, _page, fields_of, foreign_keys = TABLES[name]
    korean, english = _in_both(fields_of)
    fields = [
        {**ko, **_titled(ko["title"], en["title"])} for ko, en in zip(korean, english, strict=True)
    ]
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": PRIMARY_KEYS.get(name, ["id"]),
        "foreignKeys": foreign_keys,
    }


def _resources(name: str) -> list[dict]:
    title, page, _fields, _keys = TABLES[name]
    korean, english = _in_both(lambda: str(title))
    schema = _schema(name)
    common = {
        **_titled(korean, english),
        "sources": [{"title": str(korean), "path": _url(reverse(page))}],
        "licenses": [_licence()],
    }
    as_json = {
        **schema,
        "foreignKeys": [
            {**key, "reference": {**key["reference"], "resource": _json_name(ref)}}
            if (ref := key["reference"]["resource"])
            else key
            for key in schema["foreignKeys"]
        ],
    }
    return [
        {
            "name": name,
            "path": _url(reverse("opendata_dataset", args=[name, "csv"])),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "profile": "tabular-data-resource",
            **common,
            "schema": schema,
        },
        {
            "name": _json_name(name),
            "path": _url(reverse("opendata_dataset", args=[name, "json"])),
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            # The rows are the objects of the "results" list of the page.
            "dialect": {"json": {"property": "results", "keyed": True}},
            **common,
            "schema": as_json,
        },
    ]


def _json_name(name: str) -> str:
    return f"{name}-json"


def _licence() -> dict:
    licence = settings.OPEN_DATA_LICENCE
    return {"name": licence["id"], "path": licence["url"], "title": licence["name"]}


def package() -> dict:
    """The data package of every dataset that /data/ serves, as CSV and as JSON."""
    council = Council.objects.primary()
    korean, english = _in_both(lambda: str(_("Open data of the OGP council")))
    sources = [{"title": str(korean), "path": _url(reverse("opendata"))}]
    if council is not None:
        sources.insert(0, {"title": council.name, "path": _url(council.get_absolute_url())})
    return {
        "name": "gwangju-ogp-council",
        **_titled(korean, english),
        "homepage": _url(reverse("opendata")),
        "licenses": [_licence()],
        "sources": sources,
        "resources": [resource for name in opendata.DATASETS for resource in _resources(name)],
    }
