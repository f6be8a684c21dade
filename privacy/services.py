"""Workflows about a person's data: consent, their copy of it, deleting the account, retention.

The account model lives in the kernel, the rest of a person's data in the domain apps, which
the kernel does not import: each app registers what it holds about a person (`personal_data_
register` in its `ready()`), and the export and deletion here call every registered part.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    Value,
)
from django.db.models.functions import Cast, Concat, Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessRecord, AuditEntry
from audit.retention import (
    audit_erase_expired,
    audit_pseudonymise,
    audit_recorded_values,
    audit_records_of,
)
from ogp_portal.models import FormSubmission, StaffInvitation
from outbox.models import Message, MobileContact, Preference

from .inventory import inventory
from .models import Consent

EXPORT_FORMAT = "ogp-portal-personal-data/1"
# Where the audit trail recorded the identifiers an account had, removed ones included, by
# kind (the private ones are `AUDIT_PRIVATE_FIELDS`): the database keeps the same list
# (`audit_identifying_fields`) and takes no other identifier from a deletion.
ADDRESS_FIELDS = [
    "ogp_portal.User.email", "account.EmailAddress.email", "outbox.MobileContact.number",
]  # fmt: skip
USERNAME_FIELDS = ["ogp_portal.User.username"]
NAME_FIELDS = [
    "ogp_portal.User.first_name", "ogp_portal.User.last_name", "ogp_portal.User.display_name",
]  # fmt: skip


@dataclass(frozen=True)
class PersonalData:
    """What an app holds about a person: its part of the export, and how deletion empties it.

    `export(user=…)` returns sections (name → list of plain dicts); `erase(user=…, now=…)`
    removes or detaches what is personal and keeps the public record.
    """

    export: Callable[..., dict[str, list[dict]]]
    erase: Callable[..., None]


PARTS: dict[str, PersonalData] = {}


def personal_data_register(name: str, *, export, erase) -> None:
    """Called from an app's `ready()`."""
    PARTS[name] = PersonalData(export=export, erase=erase)


# Consent ---------------------------------------------------------------------------------------


@transaction.atomic
def consents_record(*, user, kinds, now=None) -> list[Consent]:
    """Records what the person agreed to at the policy's current version (once per version).

    The account keeps the version of its last consent to the collection and use of personal
    data, so that checking it on each request costs no query.
    """
    version = inventory().version
    now = now or timezone.now()
    consents = [
        Consent.objects.get_or_create(
            user=user, kind=kind, version=version, defaults={"given_at": now}
        )[0]
        for kind in kinds
    ]
    if Consent.Kind.PRIVACY in kinds and user.privacy_version != version:
        user.privacy_version = version
        user.save(update_fields=["privacy_version"])
    return consents


# The person's copy of their data ---------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def _recorded_changes(entry) -> dict:
    """The values an entry recorded of the person's record, by field; a field that points to
    another record (an account, a group) shows as changed with no value, as its value would
    name someone else."""
    model = entry.content_type.model_class()
    changes = {}
    for name, values in (entry.changes_dict or {}).items():
        try:
            related = model is None or model._meta.get_field(name).is_relation
        except FieldDoesNotExist:
            related = True
        changes[name] = None if related else values
    return changes


def _by(actor_id, staff: bool) -> str:
    """Who did something to the person's records, by role only: the staff member's name and
    address are that person's data, and the secretariat answers who on request."""
    return "portal" if actor_id is None else "staff" if staff else "other"


def _audit_entries_about(user, records: list[tuple[int, str]]) -> list[dict]:
    """The trail's entries about the person's own records (`audit_records_of`, as deletion
    finds them) written by someone else or by the portal itself: a staff member correcting
    their name, a counter verification, the account's creation; who wrote them by role only
    (staff, another account, the portal)."""
    keys = defaultdict(list)
    for content_type, pk in records:
        keys[content_type].append(pk)
    about = reduce(or_, (Q(content_type_id=t, object_pk__in=pks) for t, pks in keys.items()))
    entries = list(
        AuditEntry.objects.filter(about)
        .exclude(actor_id=user.pk)
        .select_related("content_type")
        .order_by("timestamp", "pk")
    )
    staff = set(
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True))
        .filter(pk__in={e.actor_id for e in entries if e.actor_id})
        .values_list("pk", flat=True)
    )
    return [
        {
            "at": _when(e.timestamp),
            "action": e.get_action_display(),
            "record": e.object_repr,
            "changes": _recorded_changes(e),
            "by": _by(e.actor_id, e.actor_id in staff),
        }
        for e in entries
    ]


def _access_records_about(user, records: list[tuple[int, str]]) -> list[dict]:
    """The access records of someone else's view or download of the person's account or own
    records (`audit_records_of`; a file by the record it belongs to), or of a list or search
    that showed one of their rows, in one query: when, what (the record or the list, and the
    page without its query, which holds staff's search marks) and who by role only, as in the
    trail's entries about them."""
    label = ContentType.objects.get_for_id  # cached by `audit_records_of`
    models = [(f"{label(t).app_label}.{label(t).model}", pk) for t, pk in records]
    # A record's own pages, and the lists and searches that showed its row.
    seen = reduce(
        or_,
        (Q(target=model, shown__contains=f" {pk} ") for model, pk in models),
        Q(target__in=[f"{model} #{pk}" for model, pk in models]),
    )
    by_staff = ExpressionWrapper(
        Q(actor__is_staff=True) | Q(actor__is_superuser=True), output_field=BooleanField()
    )
    accesses = (
        AccessRecord.objects.filter(seen)
        .exclude(actor_id=user.pk)
        .annotate(by_staff=by_staff)
        .order_by("at", "pk")
    )
    return [
        {
            "at": _when(r.at),
            "kind": r.kind,
            "record": r.target,
            "page": r.path.partition("?")[0],
            "by": _by(r.actor_id, r.by_staff),
        }
        for r in accesses
    ]


def account_export(*, user) -> dict:
    """Everything the portal holds about the person, as plain data for a JSON download.

    Poll participation says which polls, never what was chosen: nothing stored ties a ballot
    or its receipt to a person.
    """
    records = audit_records_of(user_id=user.pk)
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "policy_version": inventory().version,
        "account": {
            "username": user.username,
            "public_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_staff": user.is_staff,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "social_accounts": [
            {
                "provider": a.provider,
                "uid": a.uid,
                "date_joined": _when(a.date_joined),
                "last_login": _when(a.last_login),
            }
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "second_factors": [
            {
                "type": a.type,
                "created_at": _when(a.created_at),
                "last_used_at": _when(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "consents": [
            {"kind": c.kind, "version": c.version, "given_at": _when(c.given_at)}
            for c in Consent.objects.filter(user=user)
        ],
        "emails": [
            {
                "address": m.address,
                "subject": m.subject,
                "status": m.status,
                "created_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
            }
            for m in Message.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "mobile_contact": [
            {
                "number": c.number,
                "sms_consent_at": _when(c.sms_consent_at),
                "alimtalk_consent_at": _when(c.alimtalk_consent_at),
                "changed_at": _when(c.changed_at),
            }
            for c in MobileContact.objects.filter(user=user)
        ],
        "notification_preferences": [
            {"kind": p.kind, "frequency": p.frequency, "changed_at": _when(p.changed_at)}
            for p in Preference.objects.filter(user=user).order_by("kind")
        ],
        # What the person did that the audit trail recorded, and the access records of their
        # sign-ins and reading, each with the client address it came from.
        "audit_entries": [
            {
                "at": _when(e.timestamp),
                "action": e.get_action_display(),
                "record": e.object_repr,
                "operation": e.operation,
                "ip_address": e.remote_addr,
            }
            for e in AuditEntry.objects.filter(actor_id=user.pk).order_by("timestamp", "pk")
        ],
        "access_records": [
            {"at": _when(r.at), "kind": r.kind, "page": r.path, "ip_address": r.remote_addr}
            for r in AccessRecord.objects.filter(actor_id=user.pk).order_by("at", "pk")
        ],
        # What others (staff, the portal itself) did to the person's own records, and which of
        # them staff opened or downloaded.
        "audit_entries_about_you": _audit_entries_about(user, records),
        "access_records_about_you": _access_records_about(user, records),
    }
    for part in PARTS.values():
        data.update(part.export(user=user))
    return data


# Deleting an account ---------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user, now=None):
    """Deletes the person's account by emptying it in place.

    The row stays, because civic records (proposals, comments, minutes, audit entries) point to
    it and must keep standing; everything that names or reaches the person goes: addresses,
    names, social sign-in, second factors, the mobile number and its consents, pending e-mail
    and the text of sent e-mail (to any address the account ever had, with it or without),
    follows, open memberships. Public contributions then show "Former member"; in the audit
    trail and the access records, the person becomes a keyed hash (`audit.retention`), in their
    own entries and in those about their records, whoever wrote them. The password becomes
    unusable and the account inactive, which also ends every session it had.

    A session nobody signed in to may still hold an address (a sign-in by code begun from it):
    it goes when it expires, at most 14 days later (`retention_apply`). Sessions are stored
    encoded, so finding those would mean decoding every session of the table, in the
    transaction of the deletion.
    """
    now = now or timezone.now()
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        raise ValidationError(_("This account is already deleted."))
    # Before anything is emptied: the person's own records, and every address the account ever
    # had (removed ones are in the trail and the outbox) and its mobile number.
    records = audit_records_of(user_id=user.pk)
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        *Message.objects.filter(recipient=user).values_list("address", flat=True),
        *MobileContact.objects.filter(user=user).values_list("number", flat=True),
        *audit_recorded_values(records=records, fields=ADDRESS_FIELDS),
    } - {""}
    # An address removed and since taken by another account is theirs now: out of their mail
    # and traces, it goes from the person's own rows only.
    taken = {
        *EmailAddress.objects.filter(email__in=addresses)
        .exclude(user=user)
        .values_list("email", flat=True),
        *get_user_model()
        .objects.filter(email__in=addresses)
        .exclude(pk=user.pk)
        .values_list("email", flat=True),
    }
    addresses -= taken
    names = [
        *taken,
        user.username,
        user.get_full_name(),
        f"{user.last_name} {user.first_name}",
        f"{user.last_name}{user.first_name}",
        user.display_name,
        # The parts of the name, which the trail records as values of their own (a one-letter
        # family name alone is too short to be told from any other text, and stays).
        user.first_name,
        user.last_name,
        *audit_recorded_values(records=records, fields=NAME_FIELDS),
        # What the person gave in private fields (a contact, a date of birth), as the trail
        # recorded it in the entries about their records.
        *audit_recorded_values(records=records, fields=settings.AUDIT_PRIVATE_FIELDS),
    ]
    # The user names the account had, by which the trail's m2m entries list it (a booth's
    # officers, the attendees of minutes); one another account holds now is theirs.
    members = {user.username, *audit_recorded_values(records=records, fields=USERNAME_FIELDS)}
    members -= set(
        get_user_model()
        .objects.filter(username__in=members)
        .exclude(pk=user.pk)
        .values_list("username", flat=True)
    )
    for part in PARTS.values():
        part.erase(user=user, now=now)
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    FormSubmission.objects.filter(user=user).delete()
    StaffInvitation.objects.filter(user=user).delete()
    MobileContact.objects.filter(user=user).delete()
    # The account's mail, and mail to any of its addresses written without it (a sign-in code,
    # the notice that no account has an address), the address then often standing only in the
    # event key, which ends with it.
    messages = Message.objects.filter(
        Q(recipient=user)
        | Q(address__in=addresses)
        | reduce(or_, (Q(key__endswith=f":{a}") for a in addresses), Q(pk__in=[]))
    )
    messages.filter(status__in=[Message.Status.PENDING, Message.Status.HELD]).update(
        status=Message.Status.VOID, lease_until=None
    )
    Preference.objects.filter(user=user).delete()
    key = F("key")
    for address in sorted(addresses, key=len, reverse=True):
        key = Replace(key, Value(f":{address}"), Concat(Value(":erased-"), Cast("pk", CharField())))
    messages.update(
        key=key,
        address="",
        subject="",
        body="",
        html_body="",
        sealed="",
        last_error="",
    )
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = user.display_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = now
    user.save()
    # Last, so that the entries the emptying itself wrote are covered too.
    audit_pseudonymise(
        user_id=user.pk,
        addresses=list(addresses),
        names=names,
        records=records,
        members=sorted(members),
    )
    return user


# Retention -------------------------------------------------------------------------------------


def retention_apply(*, now=None) -> dict[str, int]:
    """Deletes what has outlived its purpose, by the inventory's retention periods.

    Safe to run twice. Returns how many rows each step removed or emptied.
    """
    now = now or timezone.now()
    periods = inventory().retention
    done = {}

    # Accounts whose address was never confirmed: nothing else can hang on them, as taking
    # part needs a verified address; one that did take part is emptied instead.
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    stale = (
        get_user_model()
        .objects.filter(
            date_joined__lt=now - periods["unverified"].period,
            deleted_at__isnull=True,
            is_staff=False,
            last_login__isnull=True,
        )
        .exclude(Exists(verified))
    )
    done["unverified_accounts"] = 0
    for person in stale.iterator():
        with transaction.atomic():
            sid = transaction.savepoint()
            try:
                person.delete()
            except (ProtectedError, RestrictedError):  # a civic record points to it: empty it
                transaction.savepoint_rollback(sid)
                account_delete(user=person, now=now)
            done["unverified_accounts"] += 1

    # Sent, failed and voided e-mail: the address and text go; the row keeps its event key.
    done["emails"] = (
        Message.objects.exclude(status__in=[Message.Status.PENDING, Message.Status.HELD])
        .filter(created_at__lt=now - periods["outbox"].period)
        .exclude(address="", subject="", body="", html_body="", sealed="")
        .update(address="", subject="", body="", html_body="", sealed="", last_error="")
    )
    done["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    done["audit_identifiers"] = audit_erase_expired(before=now - periods["access_log"].period)
    done["form_submissions"] = FormSubmission.objects.filter(
        created_at__lt=now - periods["form"].period
    ).delete()[0]
    return done
