"""The council in Popolo JSON: every object validates against the Popolo schemas."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft3Validator
from referencing import Registry, Resource

from councils.models import CommitteeMember, Meeting
from tests.factories import CommitteeMemberFactory, MeetingFactory, MinutesFactory

SCHEMAS = Path(__file__).parent.parent / "data" / "popolo"
KINDS = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "events": "event",
}


def _validators() -> dict[str, Draft3Validator]:
    contents = {path.stem: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema)) for schema in contents.values()
    )
    return {
        kind: Draft3Validator(
            contents[kind], registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER
        )
        for kind in KINDS.values()
    }


def _popolo(client, language: str = "ko") -> dict:
    response = client.get(reverse("popolo", args=[language]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_object_validates_against_the_popolo_schemas(client, demo, language):
    document = _popolo(client, language)
    validators = _validators()
    for collection, kind in KINDS.items():
        assert document[collection], collection
        for item in document[collection]:
            errors = [e.message for e in validators[kind].iter_errors(item)]
            assert not errors, (kind, item["id"], errors)
        assert (
            document["meta"]["schemas"][kind]
            == f"http://www.popoloproject.com/schemas/{kind}.json#"
        )
    assert document["meta"]["language"] == language


def test_the_references_between_objects_resolve(client, demo):
    document = _popolo(client)
    ids = {collection: {item["id"] for item in document[collection]} for collection in KINDS}
    for collection in KINDS:
        assert len(ids[collection]) == len(document[collection]), collection
    for membership in document["memberships"]:
        assert membership["person_id"] in ids["persons"]
        assert membership["organization_id"] in ids["organizations"]
        assert membership["post_id"] in ids["posts"]
    for post in document["posts"]:
        assert post["organization_id"] in ids["organizations"]
    for organization in document["organizations"]:
        assert organization.get("parent_id", "council") in ids["organizations"]
    for event in document["events"]:
        assert event["organization_id"] in ids["organizations"]
        assert event.get("parent_id", event["id"]) in ids["events"]


def test_only_what_the_committee_page_shows(client, demo):
    from django.contrib.auth import get_user_model

    text = client.get(reverse("popolo", args=["ko"])).content.decode()
    for user in get_user_model().objects.all():
        assert (not user.email or user.email not in text) and f'"{user.username}"' not in text
    for seat in CommitteeMember.objects.exclude(contact_email=""):
        assert seat.contact_email not in text
    assert "contact" not in text and "email" not in text


def test_terms_are_memberships_with_dates_and_meetings_are_events(client, council):
    import datetime as dt

    ended = CommitteeMemberFactory(
        council=council,
        name="지난위원",
        term_start=dt.date(2021, 5, 4),
        term_end=dt.date(2022, 1, 1),
    )
    again = CommitteeMemberFactory(
        council=council,
        name="지난위원",
        affiliation=ended.affiliation,
        term_start=dt.date(2022, 1, 1),
        note="위원장",
        contact_email="seat@example.org",
    )
    CommitteeMemberFactory(council=council, name="앞으로위원", term_start=dt.date(2999, 1, 1))
    minutes = MinutesFactory(
        decisions="태양광 조례 제정을 건의한다.",
        status="published",
        published_at=timezone.now(),
        meeting__group=None,
        meeting__council=council,
    )
    minutes.meeting.agenda_items.create(order=1, title="조례 검토")
    MeetingFactory(council=council, group=None, title="공개 전 회의", published_at=None)
    document = _popolo(client)
    persons = [p for p in document["persons"] if p["name"] == "지난위원"]
    assert len(persons) == 1 and "앞으로위원" not in json.dumps(document, ensure_ascii=False)
    terms = {m["id"]: m for m in document["memberships"]}
    assert terms[f"seat-{ended.pk}"]["end_date"] == "2022-01-01"
    assert terms[f"seat-{again.pk}"]["person_id"] == persons[0]["id"]
    assert terms[f"seat-{again.pk}"]["role"] == "위원장"
    assert terms[f"seat-{again.pk}"]["post_id"] == "committee-seat-civil_society"
    assert "end_date" not in terms[f"seat-{again.pk}"]
    events = {e["id"]: e for e in document["events"]}
    meeting = events[f"meeting-{minutes.meeting_id}"]
    assert meeting["organization_id"] == "committee"
    assert meeting["links"][0]["text"] == "태양광 조례 제정을 건의한다."
    assert meeting["links"][0]["url"].endswith("#minutes")
    (item,) = [e for e in document["events"] if e.get("parent_id") == meeting["id"]]
    assert item["name"] == "조례 검토"
    assert not any(e["name"] == "공개 전 회의" for e in document["events"])
    assert Meeting.objects.count() == 2
    assert "seat@example.org" not in json.dumps(document)


def test_labels_follow_the_language_and_unknown_languages_are_not_found(client, council):
    korean, english = _popolo(client, "ko"), _popolo(client, "en")
    assert english["organizations"][1]["name"] == "Steering committee"
    assert korean["organizations"][1]["name"] != "Steering committee"
    assert client.get(reverse("popolo", args=["fr"])).status_code == 404


def test_no_council_yet_is_not_found(client, db):
    assert client.get(reverse("popolo", args=["ko"])).status_code == 404


@pytest.mark.parametrize("extra", [0, 20])
def test_query_count_does_not_grow_with_the_data(client, demo, django_assert_num_queries, extra):
    from councils.models import Council

    council = Council.objects.get()
    CommitteeMemberFactory.create_batch(extra, council=council)
    MeetingFactory.create_batch(
        extra, council=council, group=None, published_at="2024-01-01T00:00Z"
    )
    with django_assert_num_queries(6):
        client.get(reverse("popolo", args=["ko"]))
