"""The audit trail: admin changes, admin actions and site transitions each leave an entry with
actor, client address, time and before/after; nobody changes or deletes an entry; entries
outlive their actor's account; ballots never reach it."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from consultations.models import Ballot, BallotChoice, Option, Participation
from councils.models import Meeting, Minutes
from proposals.models import Area, Proposal, ProposalStatus, Transition
from tests.conftest import admin_action, second_factor
from tests.factories import MeetingFactory, MinutesFactory, PollFactory, ProposalFactory

Action = AuditEntry.Action


@pytest.fixture
def staff(db):
    return second_factor(
        get_user_model().objects.create_user(
            username="auditor", email="auditor@example.org", is_staff=True, is_superuser=True
        )
    )


def entries_of(obj, **filters):
    return AuditEntry.objects.get_for_object(obj).filter(**filters)


def test_an_admin_change_is_recorded_with_actor_address_and_before_after(client, staff):
    area = Area.objects.create(name="에너지")
    client.force_login(staff)
    response = client.post(
        reverse("admin:proposals_area_change", args=[area.pk]),
        {"name": "에너지 전환", "display_order": 0},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    entry = entries_of(area, action=Action.UPDATE).get()
    assert entry.actor_id == staff.pk and entry.actor_email == "auditor@example.org"
    assert entry.remote_addr == "203.0.113.7"
    assert entry.changes_dict["name"] == ["에너지", "에너지 전환"]
    assert entry.operation == "admin:proposals_area_change"
    assert timezone.now() - entry.timestamp < dt.timedelta(minutes=1)


def test_an_admin_action_is_recorded_by_name_with_what_it_changed(
    client, staff, group, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(group=group)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        admin_action(client, "publish", [meeting], REMOTE_ADDR="203.0.113.8")
    meeting.refresh_from_db()
    assert meeting.is_published
    ran = entries_of(meeting, action=Action.ACCESS).get()
    assert (ran.operation, ran.actor_id, ran.remote_addr) == (
        "admin:councils_meeting_changelist · publish",
        staff.pk,
        "203.0.113.8",
    )
    changed = entries_of(meeting, action=Action.UPDATE).get()
    assert changed.operation == "admin:councils_meeting_changelist · publish"
    before, after = changed.changes_dict["published_at"]
    assert before == "None" or before is None
    assert after


def test_an_admin_action_that_changes_nothing_is_recorded_too(client, staff):
    proposals = ProposalFactory.create_batch(2)
    client.force_login(staff)
    response = admin_action(client, "export_csv", proposals)
    assert response.status_code == 200
    assert (
        AuditEntry.objects.filter(
            operation="admin:proposals_proposal_changelist · export_csv", action=Action.ACCESS
        ).count()
        == 2
    )


def test_a_refused_admin_action_is_recorded(client, staff):
    proposal = ProposalFactory()
    client.force_login(staff)
    admin_action(client, "adopt", [proposal])
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert entries_of(
        proposal, action=Action.ACCESS, operation="admin:proposals_proposal_changelist · adopt"
    ).exists()


def test_a_pipeline_move_is_recorded(client, staff):
    proposal = ProposalFactory()
    client.force_login(staff)
    admin_action(client, "start_review", [proposal])
    moved = entries_of(proposal, action=Action.UPDATE).get()
    assert moved.changes_dict["status"] == ["submitted", "in_review"]
    assert moved.actor_id == staff.pk
    step = AuditEntry.objects.get_for_object(Transition.objects.get())
    assert step.get().action == Action.CREATE


def test_a_site_publication_is_recorded(client, group, lead, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(group=group)
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("councils:meeting_action", args=[meeting.pk, "publish"]),
            REMOTE_ADDR="198.51.100.4",
        )
    entry = entries_of(meeting, action=Action.UPDATE).get()
    assert (entry.actor_id, entry.remote_addr, entry.operation) == (
        lead.pk,
        "198.51.100.4",
        "councils:meeting_action · publish",
    )
    assert entry.changes_dict["published_at"][0] in (None, "None")


def test_a_site_minutes_step_and_a_correction_are_recorded(
    client, group, lead, django_capture_on_commit_callbacks
):
    minutes = MinutesFactory(
        meeting=MeetingFactory(
            group=group,
            starts_at=timezone.now() - dt.timedelta(days=1),
            status=Meeting.Status.HELD,
            published_at=timezone.now(),
        ),
        author=lead,
        status=Minutes.Status.APPROVED,
    )
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("councils:minutes_advance", args=[minutes.meeting_id]), {"from": "approved"}
        )
    published = entries_of(minutes, action=Action.UPDATE).get()
    assert published.changes_dict["status"] == ["approved", "published"]
    client.post(
        reverse("councils:minutes_edit", args=[minutes.meeting_id]),
        {"body": "고친 본문", "decisions": "", "action_items": "", "reason": "오타 수정"},
    )
    corrected = entries_of(minutes, action=Action.UPDATE).order_by("timestamp", "pk").last()
    assert corrected.changes_dict["body"][1] == "고친 본문"
    assert corrected.actor_id == lead.pk


def test_the_actor_s_account_may_go_and_the_entries_stay(client, staff):
    area = Area.objects.create(name="교통")
    client.force_login(staff)
    client.post(
        reverse("admin:proposals_area_change", args=[area.pk]),
        {"name": "대중교통", "display_order": 0},
    )
    client.logout()
    staff_id = staff.pk
    get_user_model().objects.filter(pk=staff_id).delete()
    entry = entries_of(area, action=Action.UPDATE).get()
    assert entry.actor_id == staff_id and entry.actor_email == "auditor@example.org"
    assert entry.actor_label == f"auditor@example.org (#{staff_id})"


def test_nothing_in_the_admin_changes_or_deletes_an_entry(client, staff):
    area = Area.objects.create(name="복지")
    entry = entries_of(area).get()
    client.force_login(staff)
    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        client.post(
            reverse("admin:audit_auditentry_change", args=[entry.pk]), {"operation": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, operation=entry.operation).exists()


def test_staff_filter_the_trail(client, staff):
    from django.contrib.contenttypes.models import ContentType

    Area.objects.create(name="복지")
    ProposalFactory(title="다른 제안")
    client.force_login(staff)
    listing = reverse("admin:audit_auditentry_changelist")
    area_type = ContentType.objects.get_for_model(Area).pk
    for filters, shown in [
        (f"?content_type__id__exact={area_type}", {"복지"}),
        ("?q=복지", {"복지"}),
        ("?action__exact=0&q=다른", {"다른 제안"}),
    ]:
        page = client.get(listing + filters)
        assert {e.object_repr for e in page.context["cl"].result_list} == shown, filters


def test_staff_without_a_second_factor_do_not_read_the_trail(client, staff):
    Authenticator.objects.filter(user=staff).delete()
    client.force_login(staff)
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_an_entry(postgres, staff):
    Area.objects.create(name="환경")
    entry = AuditEntry.objects.latest()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(operation="rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).operation == entry.operation


@pytest.mark.postgres
def test_on_postgres_deleting_the_actor_s_account_keeps_the_entries(postgres, client, staff):
    area = Area.objects.create(name="주거")
    client.force_login(staff)
    client.post(
        reverse("admin:proposals_area_change", args=[area.pk]), {"name": "주택", "display_order": 0}
    )
    client.logout()
    staff_id = staff.pk
    before = AuditEntry.objects.filter(actor_id=staff_id).count()
    assert before >= 1
    staff.delete()
    assert AuditEntry.objects.filter(actor_id=staff_id).count() == before


def test_a_vote_leaves_nothing_in_the_trail(client, citizen):
    poll = PollFactory(slug="ask")
    client.force_login(citizen)
    before = AuditEntry.objects.count()
    option = poll.options.first()
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]), {"option": [option.pk]}
    )
    assert response.status_code == 303  # to the receipt
    assert Participation.objects.filter(user=citizen).exists()
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(actor_id=citizen.pk).exists()


def test_ballot_tables_are_not_tracked():
    from auditlog.registry import auditlog

    for model in (Ballot, BallotChoice, Participation):
        assert not auditlog.contains(model), model
    assert "votes" in auditlog.get_model_fields(Option)["exclude_fields"]


def test_secrets_stay_out_of_the_trail(client, staff, citizen):
    client.force_login(staff)
    client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"password1": "another-long-password-9", "password2": "another-long-password-9"},
    )
    citizen.refresh_from_db()
    entry = entries_of(citizen, operation="admin:auth_user_password_change").get()
    assert entry.changes_dict["password"] == ["••••••••", "••••••••"]
    assert citizen.password not in str(entry.changes)
    second_factor(citizen)
    created = AuditEntry.objects.get_for_model(Authenticator).latest()
    assert "secret" not in str(created.changes)


def test_publishing_and_closing_a_poll_in_the_admin_are_recorded(
    client, staff, django_capture_on_commit_callbacks
):
    from consultations.models import Poll, Result

    poll = PollFactory(slug="draft-poll", published_at=None)
    client.force_login(staff)
    admin_action(client, "publish", [poll])
    published = entries_of(poll, action=Action.UPDATE).get()
    assert published.changes_dict["published_at"][0] in (None, "None")
    assert published.operation == "admin:consultations_poll_changelist · publish"
    with django_capture_on_commit_callbacks(execute=True):
        admin_action(client, "close_now", [poll])
    assert Poll.objects.get(pk=poll.pk).has_closed
    frozen = AuditEntry.objects.get_for_object(Result.objects.get(poll=poll)).get()
    assert (frozen.action, frozen.actor_id) == (Action.CREATE, staff.pk)
