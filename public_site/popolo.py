"""The council in the Popolo standard: organizations, persons, posts, memberships and events.

Only what the public pages show: the committee page's names, affiliations, positions, roles and
terms (no e-mail, no account), the working groups and their leads, the published meetings with
their agendas and the decisions of their published minutes.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from councils.models import CommitteeMember, Council, Meeting, MemberCategory, Minutes, WorkingGroup

SCHEMAS = "http://www.popoloproject.com/schemas/"
COUNCIL_ID = "council"
COMMITTEE_ID = "committee"


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _link(path: str, note: str) -> dict:
    return {"url": _url(path), "note": note}


def _group_id(group_pk: int) -> str:
    return f"working-group-{group_pk}"


def _seat_post_id(category: str) -> str:
    return f"committee-seat-{category}"


def _organizations(council: Council, groups: list[WorkingGroup]) -> list[dict]:
    committee_page = reverse("councils:committee")
    organizations = [
        {
            "id": COUNCIL_ID,
            "name": council.name,
            "classification": "council",
            "description": council.summary,
            "founding_date": council.operating_start.isoformat(),
            "dissolution_date": council.operating_end.isoformat(),
            "links": [_link(council.get_absolute_url(), _("The council's page"))],
        },
        {
            "id": COMMITTEE_ID,
            "name": _("Steering committee"),
            "classification": "committee",
            "parent_id": COUNCIL_ID,
            "links": [_link(committee_page, _("The committee's page"))],
        },
    ]
    organizations += [
        {
            "id": _group_id(group.pk),
            "name": group.name,
            "classification": "working group",
            "parent_id": COUNCIL_ID,
            "abstract": group.area,
            "description": group.purpose,
            "links": [_link(group.get_absolute_url(), _("The working group's page"))],
        }
        for group in groups
    ]
    return organizations


def _people(seats: list[CommitteeMember]) -> tuple[list[dict], dict[int, str]]:
    """One person per name and affiliation, whatever the number of terms served.

    Returns the persons and the person id of each seat.
    """
    persons, person_of_seat, seen = [], {}, {}
    for seat in seats:
        key = (seat.name, seat.affiliation)
        if key not in seen:
            seen[key] = f"person-{seat.pk}"
            persons.append(
                {
                    "id": seen[key],
                    "name": seat.name,
                    "summary": " · ".join(filter(None, [seat.affiliation, seat.position])),
                }
            )
        person_of_seat[seat.pk] = seen[key]
    return persons, person_of_seat


def _posts(groups: list[WorkingGroup]) -> list[dict]:
    posts = [
        {
            "id": _seat_post_id(category),
            "label": _("Steering committee seat: %(category)s") % {"category": label},
            "role": _("Member"),
            "organization_id": COMMITTEE_ID,
        }
        for category, label in MemberCategory.choices
    ]
    posts += [
        {
            "id": f"{_group_id(group.pk)}-lead",
            "label": _("Lead of %(group)s") % {"group": group.name},
            "role": _("Lead"),
            "organization_id": _group_id(group.pk),
        }
        for group in groups
    ]
    return posts


def _memberships(seats, person_of_seat, groups) -> list[dict]:
    memberships = []
    for seat in seats:
        membership = {
            "id": f"seat-{seat.pk}",
            "person_id": person_of_seat[seat.pk],
            "organization_id": COMMITTEE_ID,
            "post_id": _seat_post_id(seat.category),
            "role": seat.note or _("Member"),
            "label": seat.get_category_display(),
            "start_date": seat.term_start.isoformat(),
        }
        if seat.term_end:
            membership["end_date"] = seat.term_end.isoformat()
        memberships.append(membership)
    for group in groups:
        if group.lead_id not in person_of_seat:
            continue
        membership = {
            "id": f"{_group_id(group.pk)}-lead",
            "person_id": person_of_seat[group.lead_id],
            "organization_id": _group_id(group.pk),
            "post_id": f"{_group_id(group.pk)}-lead",
            "role": _("Lead"),
            "start_date": group.lead.term_start.isoformat(),
        }
        if group.lead.term_end:
            membership["end_date"] = group.lead.term_end.isoformat()
        memberships.append(membership)
    return memberships


def _events(meetings: list[Meeting]) -> list[dict]:
    events = []
    for meeting in meetings:
        event = {
            "id": f"meeting-{meeting.pk}",
            "name": meeting.title,
            "classification": meeting.get_kind_display(),
            "start_date": timezone.localtime(meeting.starts_at).isoformat(),
            "end_date": timezone.localtime(meeting.ends_at).isoformat(),
            "location": meeting.venue,
            "status": meeting.status,
            "organization_id": (
                COMMITTEE_ID if meeting.group_id is None else _group_id(meeting.group_id)
            ),
            "sources": [_link(meeting.get_absolute_url(), _("The meeting's page"))],
        }
        minutes = meeting.published_minutes
        if minutes is not None:
            # The decisions of the published minutes, as a document linked to the meeting.
            event["links"] = [
                {
                    "url": _url(minutes.get_absolute_url()),
                    "note": _("Minutes: decisions"),
                    "text": minutes.decisions,
                }
            ]
        events.append(event)
        events += [
            {
                "id": f"meeting-{meeting.pk}-item-{item.pk}",
                "name": item.title,
                "description": item.description,
                "classification": _("Agenda item"),
                "parent_id": event["id"],
                "organization_id": event["organization_id"],
            }
            for item in meeting.agenda_items.all()
        ]
    return events


def document(*, language: str) -> dict | None:
    """The council's Popolo document in that language, or None before a council is set up."""
    council = Council.objects.primary()
    if council is None:
        return None
    with translation.override(language):
        seats = list(
            CommitteeMember.objects.filter(council=council, term_start__lte=timezone.localdate())
        )
        groups = list(WorkingGroup.objects.filter(council=council).select_related("lead"))
        meetings = list(
            Meeting.objects.public()
            .filter(council=council)
            .order_by("starts_at", "pk")
            .prefetch_related(
                "agenda_items",
                Prefetch(
                    "minutes",
                    queryset=Minutes.objects.public(),
                    to_attr="published_minutes",
                ),
            )
        )
        persons, person_of_seat = _people(seats)
        return {
            "meta": {
                "language": language,
                "licence": settings.OPEN_DATA_LICENCE,
                "schemas": {
                    kind: f"{SCHEMAS}{kind}.json#"
                    for kind in ("person", "organization", "post", "membership", "event")
                },
                "source": _url(reverse("councils:committee")),
            },
            "organizations": _organizations(council, groups),
            "persons": persons,
            "posts": _posts(groups),
            "memberships": _memberships(seats, person_of_seat, groups),
            "events": _events(meetings),
        }
