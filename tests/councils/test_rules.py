"""Role × view matrix: every council view checks its permission on the server."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import Meeting, Minutes
from tests.factories import PDF, MeetingFactory, MinutesFactory, UserFactory, WorkingGroupFactory

ROLES = ["anonymous", "citizen", "member", "other_lead", "lead", "secretariat"]


@pytest.fixture
def draft_meeting(group):
    return MeetingFactory(group=group)


@pytest.fixture
def held_meeting(group):
    return MeetingFactory(
        group=group,
        starts_at=timezone.now() - dt.timedelta(days=1),
        status=Meeting.Status.HELD,
        published_at=timezone.now() - dt.timedelta(days=3),
    )


@pytest.fixture
def draft_minutes(held_meeting, lead):
    minutes = MinutesFactory(meeting=held_meeting, author=lead)
    services.minutes_attach(minutes=minutes, title="자료", upload=SimpleUploadedFile("a.pdf", PDF))
    return minutes


def expect(response, allowed: bool, role: str):
    """The answer of the server; each test asserts the effect of the action besides."""
    if allowed:
        expected = {200} if response.request["REQUEST_METHOD"] == "GET" else {302}
        assert response.status_code in expected, role
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url, role
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 403, role


def expect_form(client, url: str, data: dict, allowed: bool, role: str) -> None:
    """The form's page and its submission both answer as the role is allowed."""
    expect(client.get(url), allowed, role)
    expect(client.post(url, data), allowed, role)


ORGANISERS = {"lead", "secretariat"}


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_everyone(as_role, role, group, held_meeting):
    client = as_role(role)
    for url in [
        reverse("councils:committee"),
        reverse("councils:group_list"),
        reverse("councils:group_detail", args=[group.slug]),
        reverse("councils:meeting_detail", args=[held_meeting.pk]),
        reverse("councils:meetings_ical"),
        reverse("councils:group_ical", args=[group.slug]),
    ]:
        assert client.get(url).status_code == 200, url


MEETING_FORM = {
    "title": "점검 회의",
    "format": "in_person",
    "starts_at": "2031-05-06T19:00",
    "ends_at": "2031-05-06T21:00",
    "venue": "광주시민센터",
    "agenda": "현장 점검",
}


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_a_meeting(as_role, role, group):
    url = reverse("councils:meeting_schedule", args=[group.slug])
    expect_form(as_role(role), url, MEETING_FORM, role in ORGANISERS, role)
    assert group.meetings.filter(title="점검 회의").exists() == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_draft_meeting(as_role, role, draft_meeting):
    response = as_role(role).get(reverse("councils:meeting_detail", args=[draft_meeting.pk]))
    expect(response, role in ORGANISERS, role)
    assert (draft_meeting.title in response.content.decode()) == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_meeting(as_role, role, draft_meeting):
    url = reverse("councils:meeting_edit", args=[draft_meeting.pk])
    expect_form(
        as_role(role), url, {**MEETING_FORM, "title": "바뀐 회의"}, role in ORGANISERS, role
    )
    draft_meeting.refresh_from_db()
    assert (draft_meeting.title == "바뀐 회의") == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["publish", "postpone", "cancel"])
def test_meeting_actions(as_role, role, action, draft_meeting):
    url = reverse("councils:meeting_action", args=[draft_meeting.pk, action])
    response = as_role(role).post(url)
    expect(response, role in ORGANISERS, role)
    draft_meeting.refresh_from_db()
    changed = draft_meeting.is_published or draft_meeting.status != Meeting.Status.PLANNED
    assert changed == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
def test_writing_minutes(as_role, role, held_meeting):
    url = reverse("councils:minutes_create", args=[held_meeting.pk])
    expect_form(as_role(role), url, {"body": "회의를 열었습니다."}, role in ORGANISERS, role)
    assert Minutes.objects.filter(meeting=held_meeting).exists() == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_advancing_minutes(as_role, role, draft_minutes):
    client = as_role(role)
    pk = draft_minutes.meeting_id
    allowed = role in ORGANISERS
    edit = reverse("councils:minutes_edit", args=[pk])
    expect_form(client, edit, {"body": "고쳐 쓴 회의록"}, allowed, role)
    attach = reverse("councils:attachment_create", args=[pk])
    upload = SimpleUploadedFile("b.pdf", PDF)
    expect_form(client, attach, {"title": "둘째 자료", "file": upload}, allowed, role)
    expect(client.post(reverse("councils:minutes_advance", args=[pk])), allowed, role)
    draft_minutes.refresh_from_db()
    assert (draft_minutes.body == "고쳐 쓴 회의록") == allowed
    assert draft_minutes.attachments.filter(title="둘째 자료").exists() == allowed
    assert (draft_minutes.status == Minutes.Status.CIRCULATED) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_draft_minutes_and_their_files_stay_private(as_role, role, draft_minutes):
    client = as_role(role)
    attachment = draft_minutes.attachments.get()
    url = reverse("councils:attachment_download", args=[draft_minutes.meeting_id, attachment.pk])
    expect(client.get(url), role in ORGANISERS, role)
    page = client.get(reverse("councils:meeting_detail", args=[draft_minutes.meeting_id]))
    assert ("확대를 논의했습니다" in page.content.decode()) == (role in ORGANISERS)


@pytest.mark.parametrize("role", ROLES)
def test_published_minutes_and_their_files_are_public(as_role, role, draft_minutes):
    Minutes.objects.filter(pk=draft_minutes.pk).update(
        status=Minutes.Status.PUBLISHED, published_at=timezone.now()
    )
    client = as_role(role)
    attachment = draft_minutes.attachments.get()
    url = reverse("councils:attachment_download", args=[draft_minutes.meeting_id, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_circulated_minutes_reach_the_attendees_only(client, draft_minutes, member, citizen):
    draft_minutes.attendees.add(member)
    services.minutes_advance(minutes=draft_minutes)
    url = reverse("councils:meeting_detail", args=[draft_minutes.meeting_id])
    client.force_login(member)
    assert "확대를 논의했습니다" in client.get(url).content.decode()
    client.force_login(citizen)
    assert "확대를 논의했습니다" not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_joining_a_group(as_role, role, group):
    response = as_role(role).post(reverse("councils:group_membership", args=[group.slug]))
    if role == "anonymous":
        assert "/accounts/login/" in response.url
    else:
        assert response.url == group.get_absolute_url()
        assert group.memberships.active().filter(user__username=role).exists() or role in {
            "lead",
            "other_lead",
        }


def test_an_unverified_person_cannot_join(client, group):
    from tests.factories import UserFactory

    client.force_login(UserFactory(verified=False))
    response = client.post(reverse("councils:group_membership", args=[group.slug]))
    assert response.url == reverse("account_email")
    assert not group.memberships.exists()


def test_a_lead_cannot_act_on_another_groups_meeting(client, other_lead, draft_meeting):
    client.force_login(other_lead)
    assert (
        client.post(
            reverse("councils:meeting_action", args=[draft_meeting.pk, "publish"])
        ).status_code
        == 403
    )
    assert not Meeting.objects.get(pk=draft_meeting.pk).is_published


@pytest.mark.parametrize("role", ROLES)
def test_managing_a_group(as_role, role, group):
    url = reverse("councils:group_edit", args=[group.slug])
    expect_form(as_role(role), url, {"purpose": "새 목적"}, role in ORGANISERS, role)
    group.refresh_from_db()
    assert (group.purpose == "새 목적") == (role in ORGANISERS)


@pytest.fixture
def attendee(db):
    return UserFactory(username="attendee")


@pytest.mark.parametrize("role", [*ROLES, "attendee"])
def test_commenting_on_circulated_minutes(as_role, role, draft_minutes, attendee, member):
    draft_minutes.attendees.add(attendee)
    services.minutes_advance(minutes=draft_minutes)
    client = as_role(role)
    url = reverse("councils:minutes_comment", args=[draft_minutes.meeting_id])
    allowed = role in ORGANISERS | {"attendee"}
    expect(client.post(url, {"body": "의견입니다"}), allowed, role)
    assert draft_minutes.comments.exists() == allowed


def test_a_former_lead_loses_the_groups_powers(client, db):
    group = WorkingGroupFactory()
    client.force_login(group.lead.user)
    url = reverse("councils:meeting_schedule", args=[group.slug])
    assert client.get(url).status_code == 200
    group.lead.end_term(on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("disclosure", ["public", "partly_public", "not_public"])
def test_document_files_are_read_by_everyone_unless_the_document_is_not_public(
    as_role, role, disclosure, council
):
    from councils.models import DocumentAttachment
    from tests.factories import DocumentFactory, pdf_attachment

    document = DocumentFactory(council=council, disclosure=disclosure)
    attachment = pdf_attachment(DocumentAttachment, document=document, title="x")
    allowed = disclosure != "not_public" or role == "secretariat"
    response = as_role(role).get(attachment.get_absolute_url())
    assert response.status_code == (200 if allowed else 404), role
    if allowed:
        assert b"".join(response.streaming_content) == PDF
