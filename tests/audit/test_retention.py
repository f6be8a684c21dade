"""A deleted person leaves no e-mail or name in the audit trail or the access records, and
the identifiers go after two years, through the only paths the append-only rule allows."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from auditlog.context import set_actor
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessRecord, AuditEntry, Pseudonymisation
from audit.retention import audit_erase_expired, pseudonym_of
from consultations.models import Booth
from outbox.models import MobileContact
from privacy.services import (
    ADDRESS_FIELDS,
    NAME_FIELDS,
    USERNAME_FIELDS,
    account_delete,
    retention_apply,
)
from proposals.models import Area, Proposal
from tests.conftest import second_factor
from tests.factories import MinutesFactory, PollFactory, ProposalFactory, UserFactory
from verification.models import Verification
from verification.services import verification_in_person

PASSWORD = "a-long-test-password"


def stored_text() -> str:
    """Every column of every audit entry and access record, as a database copy shows them."""
    rows = []
    with connection.cursor() as cursor:
        for table in (AuditEntry._meta.db_table, AccessRecord._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(rows)


@pytest.mark.postgres
def test_after_deletion_no_audit_or_access_row_holds_the_persons_email_or_name(postgres, db):
    person = second_factor(
        UserFactory(
            username="hong-gildong",
            email="hong@example.org",
            first_name="길동",
            last_name="홍",
            is_staff=True,
            is_superuser=True,
        )
    )
    colleague = second_factor(UserFactory(username="colleague", is_staff=True, is_superuser=True))
    # The person signs in, fails once, works in the admin; a colleague opens their page.
    Client().post(reverse("account_login"), {"login": person.email, "password": "wrong"})
    client = Client()
    client.force_login(person)
    area = Area.objects.create(name="주거")
    client.post(
        reverse("admin:proposals_area_change", args=[area.pk]), {"name": "주택", "display_order": 0}
    )
    client.get(reverse("admin:ogp_portal_user_change", args=[colleague.pk]))
    other = Client()
    other.force_login(colleague)
    other.post(
        reverse("admin:ogp_portal_user_change", args=[person.pk]),
        {
            "username": person.username,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": "홍씨",
            "language": "ko",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    text = stored_text()
    assert "hong@example.org" in text and "길동" in text  # the trail named them

    account_delete(user=person)

    text = stored_text()
    # The fifth attack run found the given and family names still standing apart in the
    # entries that set them ("first_name": ["", "길동"]), and in the deletion's own.
    for identifier in ["hong@example.org", "홍 길동", "길동 홍", "hong-gildong", "길동", "홍씨"]:
        assert identifier not in text, identifier
    assert pseudonym_of(person.pk) in text
    # Their traces stay together, under the pseudonym, and stay append-only.
    assert AccessRecord.objects.filter(actor_id=person.pk).count() >= 2
    assert all(
        r.actor_label == pseudonym_of(person.pk)
        for r in AccessRecord.objects.filter(actor_id=person.pk)
    )
    entry = AuditEntry.objects.filter(actor_id=person.pk).first()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor_email="x@example.org")
    # The ledger holds the call: a deletion through the site kept all it gave.
    ledger = Pseudonymisation.objects.get(account=person)
    assert ledger.pseudonym == pseudonym_of(person.pk) and ledger.rows_changed > 0
    assert (ledger.records_kept, ledger.identifiers_kept) == (
        ledger.records_given,
        ledger.identifiers_given,
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Pseudonymisation.objects.filter(pk=ledger.pk).update(rows_changed=0)


@pytest.mark.postgres
def test_identifiers_older_than_two_years_are_erased_and_nothing_younger(postgres, db):
    person = UserFactory(is_staff=True)
    now = timezone.now()
    old, recent = now - dt.timedelta(days=3 * 365), now - dt.timedelta(days=365)
    for at in (old, recent):
        AccessRecord.objects.create(
            actor=person, actor_label=person.email, kind="view", at=at, remote_addr="192.0.2.1"
        )
        AuditEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Area),
            object_pk="1",
            object_repr="주거",
            action=AuditEntry.Action.UPDATE,
            actor=person,
            actor_email=person.email,
            remote_addr="192.0.2.1",
            timestamp=at,
        )

    retention_apply(now=now)

    assert list(AccessRecord.objects.values_list("at", flat=True)) == [recent]
    erased, kept = AuditEntry.objects.filter(object_repr="주거").order_by("timestamp")
    assert (erased.actor_email, erased.remote_addr, erased.object_repr) == (None, None, "주거")
    assert (kept.actor_email, kept.remote_addr) == (person.email, "192.0.2.1")
    # The erasing path refuses a younger cutoff, and the table refuses a plain delete.
    with pytest.raises(IntegrityError, match="two years"), transaction.atomic():
        audit_erase_expired(before=recent + dt.timedelta(days=1))
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AccessRecord.objects.all().delete()


@pytest.mark.postgres
def test_deleting_an_account_leaves_other_peoples_entries_as_they_were(postgres, db):
    """The attack run signed up as ogp@…, whose user name allauth made "ogp", and deleted the
    account: every entry and access record of the secretariat (…@ogp-demo.example) then read
    "secretariat@pseudonym:…-demo.example". Any citizen could so rewrite the staff's traces in
    the append-only trail. The deleted person's own traces still lose their name."""
    colleague = second_factor(
        UserFactory(
            username="kim.minsu",
            email="kim.minsu@gwangju.go.kr",
            is_staff=True,
            is_superuser=True,
        )
    )
    client = Client()
    client.force_login(colleague)
    area = Area.objects.create(name="주거")
    client.post(
        reverse("admin:proposals_area_change", args=[area.pk]), {"name": "주택", "display_order": 0}
    )
    client.get(reverse("admin:ogp_portal_user_changelist"))
    assert AuditEntry.objects.filter(actor_id=colleague.pk).exists()
    assert AccessRecord.objects.filter(actor_id=colleague.pk).exists()

    account_delete(user=UserFactory(username="gwangju", email="gwangju@example.net"))

    assert {e.actor_email for e in AuditEntry.objects.filter(actor_id=colleague.pk)} == {
        colleague.email
    }
    assert {r.actor_label for r in AccessRecord.objects.filter(actor_id=colleague.pk)} == {
        colleague.email
    }


def test_deletion_leaves_no_private_value_or_removed_address_in_entries_about_the_person(db):
    """The attack run found, after deletion, the proposal's private contact in its entries, a
    counter verification naming the person (user name, date of birth) in the entry of the staff
    member who made it, and an address the person had removed. Runs on either database: on
    PostgreSQL through the function of the append-only rule."""
    person = UserFactory(username="hong.gildong", email="hong.gildong@example.org")
    clerk = UserFactory(username="clerk", email="clerk@gwangju.go.kr", is_staff=True)
    with set_actor(clerk):
        verification_in_person(
            user=person, name="홍길동", birth_date=dt.date(1980, 1, 2), district="buk", by=clerk
        )
    with set_actor(person):
        proposal = ProposalFactory(author=person, contact="010-4444-1234 jimin.private@example.net")
        proposal.contact = "010-4444-9999"
        proposal.save()
        removed = EmailAddress.objects.create(user=person, email="hong.old@example.net")
        removed.delete()
        # The second attack run: the Kakao member number stayed in the social account's entry.
        SocialAccount.objects.create(user=person, provider="kakao", uid="3141592653")
    # A colleague's own entry with the same date of birth stays as it was.
    with set_actor(clerk):
        verification_in_person(
            user=clerk, name="김서기", birth_date=dt.date(1980, 1, 2), district="seo", by=clerk
        )
    text = stored_text()
    assert "010-4444-1234" in text and "hong.old@example.net" in text and "1980-01-02" in text
    assert "3141592653" in text

    account_delete(user=person)

    for value in [
        "hong.gildong",
        "010-4444-1234",
        "jimin.private@example.net",
        "010-4444-9999",
        "hong.old@example.net",
        "3141592653",
    ]:
        assert value not in stored_text(), value
    verifications = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Verification)
    )
    clerks = str(Verification.objects.get(user=clerk).pk)
    persons = verifications.exclude(object_pk=clerks)
    assert persons.count() == 2  # made by the clerk, deleted with the account
    assert not any("1980-01-02" in str(e.changes) for e in persons)
    assert "1980-01-02" in str(verifications.get(object_pk=clerks).changes)
    assert AuditEntry.objects.filter(actor_email="clerk@gwangju.go.kr").exists()


@pytest.mark.postgres
def test_the_database_counts_the_identifiers_of_the_fields_deletion_looks_in(postgres, db):
    """A deletion finds identifiers in these fields' recorded values; the database keeps its
    own list of them and takes no identifier recorded elsewhere. Both lists agree, and the
    trail records every one of these fields."""
    site = [*ADDRESS_FIELDS, *USERNAME_FIELDS, *NAME_FIELDS, *settings.AUDIT_PRIVATE_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app_label || '.' || model || '.' || field FROM audit_identifying_fields()"
        )
        assert {row[0] for row in cursor.fetchall()} == {label.lower() for label in site}
    for label in site:
        model, field = label.rsplit(".", 1)
        model = apps.get_model(model)
        assert auditlog.contains(model), label
        fields = auditlog.get_model_fields(model)
        assert field in (fields["include_fields"] or [field]), label
        assert field not in fields["exclude_fields"] + fields["mask_fields"], label


def test_a_mobile_number_staff_typed_into_the_persons_record_goes_in_any_spelling(db):
    """The seventh attack run: a staff member typed the person's mobile number, with dashes,
    into the response to their proposal; the number was kept without them, and deletion left
    the typed one in the staff member's entry."""
    person = UserFactory()
    clerk = UserFactory(is_staff=True)
    with set_actor(person):
        MobileContact.objects.create(user=person, number="01055556666")
        proposal = ProposalFactory(author=person)
    with set_actor(clerk):
        proposal.response = "010-5555-6666 번으로 통화했습니다 (010 5555 6666)"
        proposal.save()
    assert "010-5555-6666" in stored_text()

    account_delete(user=person)

    assert "5555" not in stored_text()


@pytest.mark.parametrize("name", ["null", "true", "id"])
def test_a_public_name_that_is_a_word_of_json_neither_breaks_deletion_nor_renames_a_field(db, name):
    """The eighth attack run renamed a citizen `null` (or `true`, `],`): deletion answered 500,
    the JSON of the trail's entries broken by the replacement, and the account stayed; `id`
    renamed that key in the entries. Names are replaced inside JSON strings only."""
    person = UserFactory(display_name="시민")
    with set_actor(person):
        person.display_name = name
        person.save()
        ProposalFactory(author=person)
    account_delete(user=person)
    person.refresh_from_db()
    assert person.is_deleted
    renamed = AuditEntry.objects.filter(actor_id=person.pk, changes__has_key="display_name")
    assert renamed.get().changes["display_name"] == [pseudonym_of(person.pk)] * 2
    created = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Proposal), action=AuditEntry.Action.CREATE
    )
    assert {"id", "author", "title"} <= set(created.changes)


def test_deletion_leaves_no_user_name_in_m2m_entries_and_no_address_in_any_case(db):
    """The fourth attack run found, after deletion, the person's user name in the m2m entries
    of the trail written by staff (a booth's officers, the attendees of minutes), and an
    address typed in other letters ("HONG@Example.ORG") in an access record. Runs on either
    database: on PostgreSQL through the function of the append-only rule."""
    person = UserFactory(username="hong.officer", email="hong@example.org")
    namesake = UserFactory(username="hong.officer2", email="namesake@example.org")
    clerk = UserFactory(username="clerk", email="clerk@gwangju.go.kr", is_staff=True)
    poll = PollFactory()
    booth = Booth.objects.create(poll=poll, name="용봉동", place="북구", opening_hours="09–18")
    minutes = MinutesFactory()
    with set_actor(clerk):
        booth.officers.add(person, namesake)
        minutes.attendees.add(person)
        booth.officers.remove(person)
    AccessRecord.objects.create(
        actor=clerk,
        actor_label=clerk.email,
        kind=AccessRecord.Kind.VIEW,
        path="/admin/ogp_portal/user/?email__iexact=HONG%40Example.ORG",
        target="ogp_portal.user",
    )
    text = stored_text()
    assert "hong.officer" in text and "HONG%40Example.ORG" in text

    account_delete(user=person)

    text = stored_text()
    assert '"hong.officer"' not in text and "'hong.officer'" not in text
    assert "hong%40example.org" not in text.casefold()
    booth_entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Booth), changes__has_key="officers"
    ).order_by("pk")
    objects = [entry.changes["officers"]["objects"] for entry in booth_entries]
    assert sorted(objects[0]) == sorted([pseudonym_of(person.pk), "hong.officer2"])
    assert objects[1] == [pseudonym_of(person.pk)]
    (attended,) = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(minutes), changes__has_key="attendees"
    )
    assert attended.changes["attendees"]["objects"] == [pseudonym_of(person.pk)]
    assert AccessRecord.objects.get(actor=clerk).actor_label == "clerk@gwangju.go.kr"
