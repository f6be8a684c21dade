import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from councils.models import CommitteeMember, Meeting, Notice
from outbox.models import Message
from tests.councils.conftest import minutes_admin_form
from tests.factories import (
    PDF,
    CommitteeMemberFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MinutesFactory,
)


def test_end_term_keeps_the_record_and_erases_the_contact_address(staff_client, council):
    member = CommitteeMemberFactory(council=council, contact_email="seat@example.org")
    staff_client.post(
        reverse("admin:councils_committeemember_changelist"),
        {"action": "end_term", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert member.term_end == timezone.localdate()
    assert not CommitteeMember.objects.current().filter(pk=member.pk).exists()
    assert CommitteeMember.objects.past().filter(pk=member.pk).exists()
    assert member.contact_email == ""  # it served the term (privacy inventory: "term")


def test_send_notice_again_retries_failed_deliveries_only(
    staff_client, group, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = MeetingFactory(group=group, published_at=timezone.now())
    person = GroupMembershipFactory(group=group).user

    announced = Notice.objects.create(meeting=meeting, kind="published", meeting_revision=0)

    def notice(recipient, **delivery):
        return Message.objects.create(
            key=f"notice:{announced.pk}:{recipient.pk}",
            recipient=recipient,
            address=recipient.email,
            composer=Notice.COMPOSER,
            composer_ref=announced.pk,
            **delivery,
        )

    sent = notice(group.lead.user, due_at=timezone.now(), status="sent", sent_at=timezone.now())
    failed = notice(
        person, due_at=timezone.now() - dt.timedelta(hours=1), status="failed", attempts=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:councils_meeting_changelist"),
            {"action": "send_notice_again", "_selected_action": [meeting.pk]},
        )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Message.Status.SENT
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert sent.attempts == 0


def test_published_minutes_cannot_be_edited_in_the_admin(staff_client, group):
    minutes = MinutesFactory(meeting__group=group, status="published", published_at=timezone.now())
    page = staff_client.get(reverse("admin:councils_minutes_change", args=[minutes.pk]))
    assert 'name="body"' not in page.content.decode()


def test_the_admin_refuses_a_non_civil_society_lead(staff_client, council):
    from councils.models import MemberCategory, WorkingGroup

    city = CommitteeMemberFactory(council=council, category=MemberCategory.CITY)
    response = staff_client.post(
        reverse("admin:councils_workinggroup_add"),
        {
            "council": council.pk,
            "name": "그룹",
            "slug": "g",
            "purpose": "p",
            "area": "a",
            "lead": city.pk,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not WorkingGroup.objects.filter(slug="g").exists()


def test_admin_uploads_are_checked_by_content_and_recorded(staff_client, db):
    minutes = MinutesFactory()
    url = reverse("admin:councils_minutes_change", args=[minutes.pk])
    bad = staff_client.post(url, minutes_admin_form(minutes, "x.pdf", b"<script>alert(1)</script>"))
    assert bad.status_code == 200 and not minutes.attachments.exists()
    good = staff_client.post(url, minutes_admin_form(minutes, "x.pdf", PDF))
    assert good.status_code == 302, good.content.decode()[:3000]
    attachment = minutes.attachments.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))


def test_a_published_meeting_changes_in_the_admin_only_with_notice(
    staff_client, db, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(published_at=timezone.now())
    GroupMembershipFactory(group=meeting.group)
    page = staff_client.get(reverse("admin:councils_meeting_change", args=[meeting.pk]))
    assert 'name="starts_at_0"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:councils_meeting_changelist"),
            {"action": "postpone", "_selected_action": [meeting.pk]},
        )
    assert Meeting.objects.get().status == Meeting.Status.POSTPONED
    assert len(mail.outbox) == 2
