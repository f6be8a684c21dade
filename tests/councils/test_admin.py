import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from councils.models import CommitteeMember, Notice
from ogp_portal.outbox.models import Message
from tests.factories import (
    CommitteeMemberFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MinutesFactory,
    UserFactory,
)


@pytest.fixture
def secretariat_client(client, db):
    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label == "councils"],
    ids=lambda m: m.__name__,
)
def test_every_council_model_has_a_working_admin(secretariat_client, model, group):
    MinutesFactory(meeting__group=group)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert secretariat_client.get(changelist).status_code == 200
    assert secretariat_client.get(changelist + "?q=회의").status_code == 200
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert secretariat_client.get(change).status_code == 200


def test_end_term_keeps_the_record(secretariat_client, council):
    member = CommitteeMemberFactory(council=council)
    secretariat_client.post(
        reverse("admin:councils_committeemember_changelist"),
        {"action": "end_term", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert member.term_end == timezone.localdate()
    assert not CommitteeMember.objects.current().filter(pk=member.pk).exists()
    assert CommitteeMember.objects.past().filter(pk=member.pk).exists()


def test_send_notice_again_retries_failed_deliveries_only(
    secretariat_client, group, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = MeetingFactory(group=group, published_at=timezone.now())
    person = GroupMembershipFactory(group=group).user

    def notice(recipient, **delivery):
        message = Message.objects.create(
            key=f"notice:{meeting.pk}:published:0:0:{recipient.pk}",
            recipient=recipient,
            address=recipient.email,
            composer="councils.notice",
            **delivery,
        )
        Notice.objects.create(
            message=message, meeting=meeting, kind="published", meeting_revision=0
        )
        return message

    sent = notice(group.lead.user, due_at=timezone.now(), status="sent", sent_at=timezone.now())
    failed = notice(
        person, due_at=timezone.now() - dt.timedelta(hours=1), status="failed", attempts=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            reverse("admin:councils_meeting_changelist"),
            {"action": "send_notice_again", "_selected_action": [meeting.pk]},
        )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Message.Status.SENT
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert sent.attempts == 0


def test_published_minutes_cannot_be_edited_in_the_admin(secretariat_client, group):
    minutes = MinutesFactory(meeting__group=group, status="published", published_at=timezone.now())
    page = secretariat_client.get(reverse("admin:councils_minutes_change", args=[minutes.pk]))
    assert 'name="body"' not in page.content.decode()


def test_the_admin_refuses_a_non_civil_society_lead(secretariat_client, council):
    from councils.models import MemberCategory, WorkingGroup

    city = CommitteeMemberFactory(council=council, category=MemberCategory.CITY)
    response = secretariat_client.post(
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
