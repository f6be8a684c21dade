"""Committee notices reach every member: by the seat's contact e-mail or by its account."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import CommitteeMember, Council, Meeting
from outbox.models import Message
from tests.factories import (
    CommitteeMemberFactory,
    GroupMembershipFactory,
    MeetingFactory,
    UserFactory,
)


def _committee_meeting(council) -> Meeting:
    start = timezone.now() + dt.timedelta(days=10)
    return MeetingFactory(
        council=council, group=None, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )


def _addresses(meeting) -> set[str]:
    return set(meeting.notices.messages().values_list("address", flat=True))


def test_a_demo_committee_notice_reaches_all_17_members(demo, django_capture_on_commit_callbacks):
    council = Council.objects.get()
    meeting = _committee_meeting(council)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)

    seats = CommitteeMember.objects.filter(council=council).current()
    assert seats.count() == 17
    assert _addresses(meeting) == {seat.notice_address for seat in seats}
    messages = meeting.notices.messages()
    assert messages.count() == 17
    # Sixteen members have no portal account: their notices carry no recipient account.
    assert messages.filter(recipient__isnull=True).count() == 16
    assert set(messages.values_list("status", flat=True)) == {Message.Status.SENT}


def test_a_seat_with_an_account_and_a_contact_address_gets_one_notice_at_the_contact(council):
    person = UserFactory(email="personal@example.org")
    CommitteeMemberFactory(council=council, user=person, contact_email="Office@Example.org")
    meeting = _committee_meeting(council)
    services.meeting_publish(meeting=meeting)

    message = meeting.notices.messages().get()
    assert (message.address, message.recipient) == ("office@example.org", person)


def test_ended_terms_inactive_accounts_and_seats_without_address_get_nothing(council):
    reached = CommitteeMemberFactory(council=council, contact_email="seat@example.org")
    CommitteeMemberFactory(
        council=council,
        contact_email="former@example.org",
        term_start=timezone.localdate() - dt.timedelta(days=400),
        term_end=timezone.localdate() - dt.timedelta(days=1),
    )
    unreachable = CommitteeMemberFactory(council=council, user=UserFactory(is_active=False))
    meeting = _committee_meeting(council)
    services.meeting_publish(meeting=meeting)

    assert _addresses(meeting) == {"seat@example.org"}
    assert list(meeting.seats().unreachable()) == [unreachable]
    assert reached.notice_address == "seat@example.org"
    assert unreachable.notice_address == ""


def test_a_group_notice_reaches_members_and_the_lead_once_each(group, member):
    group.lead.contact_email = ""
    group.lead.save()
    # The lead is also a member of the group: one notice all the same.
    GroupMembershipFactory(group=group, user=group.lead.user)
    meeting = MeetingFactory(group=group, council=group.council)
    services.meeting_publish(meeting=meeting)

    assert sorted(_addresses(meeting)) == sorted(
        [member.email.lower(), group.lead.user.email.lower()]
    )


@pytest.mark.parametrize("republish", [False, True])
def test_publishing_again_writes_no_second_message(council, republish):
    CommitteeMemberFactory(council=council, contact_email="seat@example.org")
    meeting = _committee_meeting(council)
    services.meeting_publish(meeting=meeting)
    if republish:
        services.notices_retry(meetings=Meeting.objects.filter(pk=meeting.pk))
    assert meeting.notices.messages().count() == 1


def test_staff_see_who_the_notices_reach_before_and_after_publishing(staff_client, council):
    CommitteeMemberFactory(council=council, contact_email="seat@example.org")
    CommitteeMemberFactory(council=council, name="연락처없음", affiliation="어느 단체")
    meeting = _committee_meeting(council)
    change = reverse("admin:councils_meeting_change", args=[meeting.pk])

    page = staff_client.get(change).content.decode()
    assert "1개 주소" in page
    assert "연락처없음 (어느 단체)" in page

    answer = staff_client.post(
        reverse("admin:councils_meeting_changelist"),
        {"action": "publish", "_selected_action": [meeting.pk]},
        follow=True,
    )
    warnings = [str(m) for m in answer.context["messages"]]
    assert any("연락처없음 (어느 단체)" in text for text in warnings)
    page = staff_client.get(change).content.decode()
    assert f"?composer_ref={meeting.notices.get().pk}" in page


def test_contact_addresses_stay_private(demo, client):
    for url in [
        reverse("councils:committee"),
        reverse("opendata_dataset", args=["committee", "json"]),
    ]:
        assert "ogp-demo.example" not in client.get(url).content.decode()
