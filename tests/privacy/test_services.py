"""Consent, the person's copy of their data, deleting an account, the retention job."""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Envelope, Participation, ParticipationKey, Poll
from consultations.services import poll_vote
from councils.models import GroupMembership, MinutesComment
from ogp_portal.models import FormSubmission
from ogp_portal.sessions import SessionStore, stored_key
from outbox.models import Kind, Message, MobileContact
from outbox.services import digests_send
from privacy.inventory import inventory
from privacy.models import Consent
from privacy.services import (
    account_delete,
    account_export,
    consents_record,
    retention_apply,
)
from proposals.models import Proposal, Support
from proposals.services.debate import comment_post, debate_open
from tests.conftest import second_factor
from tests.factories import (
    MessageFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
    pdf_attachment,
)
from verification.services import verification_in_person

User = get_user_model()


# Consent -----------------------------------------------------------------------------------


def test_consent_is_recorded_once_per_version_and_kept_on_the_account(db):
    user = UserFactory(privacy_version="")
    consents_record(user=user, kinds=[Consent.Kind.TERMS, Consent.Kind.PRIVACY])
    consents_record(user=user, kinds=[Consent.Kind.PRIVACY])
    assert sorted(Consent.objects.filter(user=user).values_list("kind", "version")) == [
        ("privacy", inventory().version),
        ("terms", inventory().version),
    ]
    user.refresh_from_db()
    assert user.privacy_version == inventory().version


def test_agreeing_to_the_terms_alone_is_no_consent_to_personal_data(db):
    user = UserFactory(privacy_version="")
    consents_record(user=user, kinds=[Consent.Kind.TERMS])
    user.refresh_from_db()
    assert user.privacy_version == ""


# Export ------------------------------------------------------------------------------------


def test_export_holds_everything_about_the_person(person):
    data = account_export(user=person)
    assert data["account"]["email"] == "hong@example.org"
    assert data["account"]["first_name"] == "길동"
    assert data["email_addresses"] == [
        {"email": "hong@example.org", "verified": True, "primary": True}
    ]
    assert data["social_accounts"][0]["provider"] == "kakao"
    assert [f["type"] for f in data["second_factors"]] == ["totp"]
    assert {c["kind"] for c in data["consents"]} == {"privacy", "terms"}
    assert {m["subject"] for m in data["emails"]} == {"회의 알림", "지난 알림"}
    assert data["working_groups"][0]["group"] == "에너지 워킹그룹"
    assert data["working_groups"][0]["name_listed"] is True
    assert data["proposals"][0]["title"] == "태양광 지붕 지도"
    assert data["proposals"][0]["contact"] == "010-1234-5678"
    assert data["supports"][0]["proposal"] == "공원 그늘막"
    assert data["poll_participations"] == [
        {"poll": "자전거 도로를 넓힐까요?", "booth": None, "day": timezone.localdate().isoformat()}
    ]
    assert data["comments_on_minutes"][0]["body"] == "3쪽 수치를 고쳐 주세요."


def test_export_holds_the_persons_audit_entries_and_access_records_with_addresses(person):
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AccessRecord, AuditEntry
    from proposals.models import Area

    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Area),
        object_pk="1",
        object_repr="주거",
        action=AuditEntry.Action.UPDATE,
        actor=person,
        actor_email=person.email,
        remote_addr="192.0.2.8",
    )
    AccessRecord.objects.create(
        actor=person, actor_label=person.email, kind="login", remote_addr="192.0.2.7"
    )
    data = account_export(user=person)
    assert [(e["record"], e["ip_address"]) for e in data["audit_entries"]] == [
        ("주거", "192.0.2.8")
    ]
    assert [(r["kind"], r["ip_address"]) for r in data["access_records"]] == [
        (AccessRecord.Kind.LOGIN, "192.0.2.7")
    ]


def test_export_holds_what_others_did_to_the_persons_records_by_role_only(person):
    """Attack run 5, item 8: a staff member's correction of the person's name, and the
    account's creation, were missing from the export, though deletion counts them as the
    person's rows (`audit_records_of`)."""
    staff = UserFactory(username="clerk-kim", email="kim@city.example", is_staff=True)
    with set_actor(staff, remote_addr="192.0.2.99"):
        person.first_name = "길순"
        person.save()
    entries = account_export(user=person)["audit_entries_about_you"]
    assert entries[0]["by"] == "portal" and entries[0]["record"] == "hong"  # the creation
    (correction,) = [e for e in entries if e["by"] == "staff"]
    assert correction["changes"]["first_name"] == ["길동", "길순"]
    text = json.dumps(entries, cls=DjangoJSONEncoder, ensure_ascii=False)
    for someone_else in ("clerk-kim", "kim@city.example", "192.0.2.99"):
        assert someone_else not in text


def test_export_holds_staff_views_and_downloads_of_the_persons_data_by_role_only(person):
    """Attack run 5, item 8: the export left out the access records of staff opening the
    person's account and downloading the file of their proposal."""
    from proposals.models import ProposalAttachment

    staff = second_factor(
        UserFactory(
            username="clerk-kim", email="kim@city.example", is_staff=True, is_superuser=True
        )
    )
    proposal = Proposal.objects.get(author=person)
    attachment = pdf_attachment(ProposalAttachment, proposal=proposal, title="도면")
    client = Client(REMOTE_ADDR="192.0.2.99")
    client.force_login(staff)
    page = client.get(reverse("admin:ogp_portal_user_change", args=[person.pk]))
    assert page.status_code == 200
    assert (
        attachment.get_absolute_url()
        in client.get(
            reverse("admin:proposals_proposal_change", args=[proposal.pk])
        ).content.decode()
    )  # the admin's link to the file
    assert client.get(attachment.get_absolute_url()).status_code == 200
    about = account_export(user=person)["access_records_about_you"]
    assert [(r["kind"], r["record"], r["by"]) for r in about] == [
        ("view", f"ogp_portal.user #{person.pk}", "staff"),
        ("view", f"proposals.proposal #{proposal.pk}", "staff"),
        ("download", f"proposals.proposal #{proposal.pk}", "staff"),
    ]
    assert about[2]["page"] == attachment.get_absolute_url()
    text = json.dumps(about, cls=DjangoJSONEncoder, ensure_ascii=False)
    for someone_else in ("clerk-kim", "kim@city.example", "192.0.2.99"):
        assert someone_else not in text
    other = UserFactory(email="other@example.org")
    ProposalFactory(author=other)
    assert account_export(user=other)["access_records_about_you"] == []


def test_export_holds_staff_views_of_the_persons_password_page_and_lists_showing_them(person):
    """The seventh attack run: the export left out a staff member's view of the person's
    password page (recorded without the record's key) and of the lists and searches that
    showed the person's row."""
    staff = second_factor(UserFactory(username="clerk", is_staff=True, is_superuser=True))
    other = UserFactory(username="someone-else", email="else@example.org")
    client = Client()
    client.force_login(staff)
    for page in [
        reverse("admin:auth_user_password_change", args=[person.pk]),
        reverse("admin:ogp_portal_user_changelist") + f"?q={person.email}",
        reverse("admin:ogp_portal_user_changelist") + "?q=someone-else",
    ]:
        assert client.get(page).status_code == 200, page
    about = account_export(user=person)["access_records_about_you"]
    assert [(r["kind"], r["record"], r["page"]) for r in about] == [
        ("view", f"ogp_portal.user #{person.pk}", f"/admin/ogp_portal/user/{person.pk}/password/"),
        ("view", "ogp_portal.user", "/admin/ogp_portal/user/"),
    ]
    assert [r["record"] for r in account_export(user=other)["access_records_about_you"]] == [
        "ogp_portal.user"
    ]


def test_export_never_says_what_the_person_voted(person):
    text = json.dumps(account_export(user=person), cls=DjangoJSONEncoder, ensure_ascii=False)
    assert person.receipt not in text
    for label in ("찬성", "반대"):
        assert label not in text


def test_export_leaves_other_people_out(person):
    other = UserFactory(email="other@example.org")
    ProposalFactory(author=other, title="남의 제안")
    text = json.dumps(account_export(user=person), cls=DjangoJSONEncoder, ensure_ascii=False)
    assert "other@example.org" not in text and "남의 제안" not in text


@pytest.mark.parametrize("size", [1, 6])
def test_export_costs_the_same_queries_whatever_the_amount(person, size, django_assert_num_queries):
    for _ in range(size):
        ProposalFactory(author=person)
        ProposalFactory(author=person).supports.create(user=person)
    # with the mobile contact, notification preferences, debates, opinion maps, verifications,
    # audit entries and access records; and the entries about the person's own records, found as
    # deletion finds them (one query a tracked model that has an owner), and staff's views and
    # downloads of them and lists that showed them (one query more, with the role of each
    # viewer)
    with django_assert_num_queries(45):
        account_export(user=person)


def test_deletion_costs_the_same_queries_whatever_the_amount(person):
    counts = []
    # The first deletion of a process fills Django's cache of content types.
    for size in (1, 1, 6):
        someone = UserFactory()
        for _ in range(size):
            ProposalFactory(author=someone, contact="010-0000-0000")
        with CaptureQueriesContext(connection) as queries:
            account_delete(user=someone)
        counts.append(len(queries))
    assert counts[1] == counts[2]


# Deletion ----------------------------------------------------------------------------------


def test_deletion_empties_the_account_and_keeps_the_public_record(person):
    proposal = Proposal.objects.get(author=person)
    account_delete(user=person)
    person.refresh_from_db()
    assert person.is_deleted and not person.is_active and not person.has_usable_password()
    assert (person.email, person.first_name, person.last_name) == ("", "", "")
    assert person.username == f"deleted-{person.pk}"
    assert person.public_name() == "탈퇴한 회원"
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    # The civic record stands, under "Former member".
    proposal.refresh_from_db()
    assert proposal.author_id == person.pk and proposal.contact == ""
    assert Support.objects.filter(user=person).count() == 1
    assert (
        Participation.objects.filter(user=None, poll__question="자전거 도로를 넓힐까요?").count()
        == 1
    )
    poll = Poll.objects.get(question="자전거 도로를 넓힐까요?")
    assert poll.ballot_count + Envelope.objects.count() == 1  # the vote, counted or not
    assert MinutesComment.objects.filter(author=person).count() == 1
    assert Consent.objects.filter(user=person).count() == 2
    # Memberships end and no longer list a name.
    membership = GroupMembership.objects.get(user=person)
    assert membership.left_at is not None and not membership.show_name


def test_deletion_voids_pending_mail_and_erases_sent_mail(person):
    account_delete(user=person)
    pending = Message.objects.get(key="test:pending")
    sent = Message.objects.get(key="test:sent")
    assert pending.status == Message.Status.VOID
    assert sent.status == Message.Status.SENT
    for message in (pending, sent):
        assert (message.address, message.subject, message.body) == ("", "", "")


def test_deletion_leaves_no_address_in_the_keys_of_its_mail(person):
    """The attack run found a deleted person's addresses in the outbox after deletion: an
    account e-mail's event key ends with the address it went to."""
    for address in ("hong@example.org", "old-hong@example.org"):  # the second one removed
        MessageFactory(
            key=f"account:email_changed:0d5e:{address}",
            recipient=person,
            address=address,
            status=Message.Status.SENT,
            sent_at=timezone.now(),
        )
    account_delete(user=person)
    assert not Message.objects.filter(key__contains="hong@example.org").exists()
    assert Message.objects.filter(key__startswith="account:email_changed:0d5e:erased-").count() == 2
    assert Message.objects.filter(key="test:sent").exists()


def test_deletion_erases_mail_to_every_address_the_account_had_with_it_or_without(person):
    """The attack run found, after deletion, an address the person had removed whole in the
    outbox (the notice that no account has it, written without a recipient), and sign-in code
    mail keyed with the current address: neither names the account, only the address."""
    removed = EmailAddress.objects.create(user=person, email="old-hong@example.org")
    removed.delete()  # the audit trail remembers it
    for key, address in [
        ("account:unknown_account:0d5e:old-hong@example.org", "old-hong@example.org"),
        ("account:login_code:1a2b:hong@example.org", "hong@example.org"),
        # Sent long ago: the retention job emptied the address, the key still ends with it.
        ("account:login_code:3c4d:hong@example.org", ""),
    ]:
        MessageFactory(key=key, recipient=None, address=address, status=Message.Status.SENT)
    MessageFactory(key="account:login_code:5e6f:xhong@example.org", address="xhong@example.org")
    account_delete(user=person)
    assert not Message.objects.filter(key__contains="hong@example.org").exclude(
        address="xhong@example.org"
    )
    assert not Message.objects.filter(address__contains="hong@example.org").exclude(
        address="xhong@example.org"
    )
    assert Message.objects.filter(key__startswith="account:login_code:1a2b:erased-").exists()
    assert Message.objects.get(address="xhong@example.org").key.endswith(":xhong@example.org")


def test_an_address_removed_and_taken_by_someone_else_keeps_their_mail(person):
    removed = EmailAddress.objects.create(user=person, email="old-hong@example.org")
    removed.delete()
    other = UserFactory(email="old-hong@example.org")
    MessageFactory(key="account:login_code:1a2b:old-hong@example.org", recipient=other)
    account_delete(user=person)
    assert Message.objects.get(recipient=other).address == "old-hong@example.org"


def test_the_mobile_number_is_in_the_export_and_goes_with_the_account(person):
    MobileContact.objects.create(user=person, number="010-5555-1234", sms_consent_at=timezone.now())
    MessageFactory(key="sms:meeting:1", recipient=None, address="010-5555-1234")
    (contact,) = account_export(user=person)["mobile_contact"]
    assert contact["number"] == "010-5555-1234" and contact["sms_consent_at"]
    account_delete(user=person)
    assert not MobileContact.objects.filter(user=person).exists()
    assert not Message.objects.filter(address="010-5555-1234").exists()


def test_deletion_ends_every_session(person, client):
    client.force_login(person)
    other_browser = SessionStore(session_key=client.session.session_key)
    assert other_browser.get("_auth_user_id") == str(person.pk)
    account_delete(user=person)
    response = client.get("/privacy/my-data/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_deleted_account_cannot_be_deleted_twice(person):
    account_delete(user=person)
    with pytest.raises(ValidationError):
        account_delete(user=person)


def test_deletion_leaves_other_people_alone(person):
    other = UserFactory(email="other@example.org")
    account_delete(user=person)
    other.refresh_from_db()
    assert other.is_active and other.email == "other@example.org"
    assert EmailAddress.objects.filter(user=other).exists()


# Retention ---------------------------------------------------------------------------------


def test_unconfirmed_accounts_go_after_their_period(db):
    days = inventory().retention["unverified"].days
    now = timezone.now()
    old = UserFactory(verified=False, date_joined=now - dt.timedelta(days=days + 1))
    EmailAddress.objects.create(user=old, email=old.email, verified=False, primary=True)
    recent = UserFactory(verified=False, date_joined=now - dt.timedelta(days=days - 1))
    confirmed = UserFactory(date_joined=now - dt.timedelta(days=days + 30))
    assert retention_apply(now=now)["unverified_accounts"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, confirmed.pk]).count() == 2
    assert retention_apply(now=now)["unverified_accounts"] == 0


def test_an_unconfirmed_account_with_a_civic_record_is_emptied_not_deleted(db):
    now = timezone.now()
    person = UserFactory(verified=False, date_joined=now - dt.timedelta(days=30))
    ProposalFactory(author=person)
    retention_apply(now=now)
    person.refresh_from_db()
    assert person.is_deleted and person.email == ""


def test_sent_mail_loses_its_address_and_text_after_its_period(db):
    user = UserFactory()
    days = inventory().retention["outbox"].days
    now = timezone.now()
    message, fresh = MessageFactory.create_batch(
        2, recipient=user, status=Message.Status.SENT, due_at=now
    )
    Message.objects.filter(pk=message.pk).update(created_at=now - dt.timedelta(days=days + 1))
    pending = MessageFactory(recipient=user, due_at=now)
    Message.objects.filter(pk=pending.pk).update(created_at=now - dt.timedelta(days=days + 1))
    assert retention_apply(now=now)["emails"] == 1
    message.refresh_from_db()
    assert (message.address, message.subject, message.body) == ("", "", "")
    for kept in (fresh, pending):
        kept.refresh_from_db()
        assert kept.address == user.email
    assert retention_apply(now=now)["emails"] == 0


def test_expired_sessions_and_old_form_records_go(db):
    now = timezone.now()
    user = UserFactory()
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=stored_key(store.session_key)).update(
        expire_date=now - dt.timedelta(seconds=1)
    )
    live = SessionStore()
    live.create()
    old = FormSubmission.objects.create(token="6f1c7c4e-8a7e-4c5f-9d0e-2b6a1f3e4d5c", user=user)
    days = inventory().retention["form"].days
    FormSubmission.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=days + 1))
    FormSubmission.objects.create(token="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", user=user)
    done = retention_apply(now=now)
    assert done["sessions"] == 1 and done["form_submissions"] == 1
    assert Session.objects.filter(session_key=stored_key(live.session_key)).exists()
    assert FormSubmission.objects.count() == 1


def test_the_beat_task_runs_the_retention_job(db):
    from privacy.tasks import apply_retention

    assert set(apply_retention.delay().get()) == {
        "unverified_accounts",
        "emails",
        "audit_identifiers",
        "sessions",
        "form_submissions",
    }


def test_staff_delete_an_account_at_its_owners_request_from_the_admin(staff_client, person):
    response = staff_client.post(
        "/admin/ogp_portal/user/",
        {"action": "delete_accounts", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "탈퇴한 회원" in response.content.decode()
    person.refresh_from_db()
    assert person.is_deleted


def test_others_notices_of_the_persons_comments_name_them_former_member(person):
    """The fourth attack run found the deleted person's public name in others' notices (a reply
    to their comment, a comment on their proposal), sent or pending, and in the daily digest
    that gathered one, kept the outbox's 180 days."""
    person.display_name = "햇살가득"
    person.save()
    other = UserFactory(display_name="햇살가득", language="en")  # the same public name
    proposer = UserFactory(display_name="제안자")
    debate = debate_open(proposal=ProposalFactory(author=proposer, title="버스 노선"))
    first = comment_post(debate=debate, author=other, body="노선을 늘려 주세요")
    reply = comment_post(debate=debate, author=person, body="동의합니다", parent=first)
    to_other = Message.objects.get(key__startswith=f"comment:{reply.pk}:reply:")
    to_proposer = Message.objects.get(key__startswith=f"comment:{reply.pk}:proposer:")
    Message.objects.filter(pk=to_proposer.pk).update(status=Message.Status.SENT)
    Message.objects.filter(pk=to_other.pk).update(status=Message.Status.HELD)
    digests_send()
    digest = Message.objects.get(recipient=other, kind=Kind.DIGEST)
    own = Message.objects.get(key__startswith=f"comment:{first.pk}:proposer:")
    assert "햇살가득" in to_other.subject + to_other.body and "햇살가득" in digest.body

    account_delete(user=person)

    for message in (to_other, to_proposer, digest):
        message.refresh_from_db()
        assert "햇살가득" not in message.subject + message.body.replace("Dear 햇살가득,", "")
    assert "Former member replied to your comment" in to_other.subject
    assert "Former member replied to your comment" in digest.body
    assert "Dear 햇살가득," in digest.body  # the recipient of the same name keeps their greeting
    assert "탈퇴한 회원" in to_proposer.body and "동의합니다" in to_proposer.body
    own.refresh_from_db()
    assert "햇살가득" in own.body  # the namesake's own comment, told to the proposer


def test_deletion_detaches_the_participation_keys_from_the_account(person):
    """The fourth attack run found a participation key (the keyed hash of the person's
    resident details) still tied to the deleted account through its participation: whoever
    verifies with the same details again is linked to the deleted account's traces. The key
    stays, so that the same person voting again from a new account is still refused."""
    clerk = UserFactory(is_staff=True)
    resident = {"name": "홍길동", "birth_date": dt.date(1980, 1, 2), "district": "buk"}
    verification_in_person(user=person, **resident, by=clerk)
    poll = PollFactory()
    poll_vote(poll=poll, user=person, option_ids=[poll.options.first().pk])
    (key,) = ParticipationKey.objects.filter(poll=poll)

    account_delete(user=person)

    assert not Participation.objects.filter(user=person).exists()
    key.refresh_from_db()
    assert key.participation.user_id is None and key.participation.poll == poll
    again = UserFactory()
    verification_in_person(user=again, **resident, by=clerk)
    with pytest.raises(ValidationError, match="이미 이 투표에 참여"):
        poll_vote(poll=poll, user=again, option_ids=[poll.options.first().pk])
    assert Participation.objects.filter(poll=poll).count() == 1
