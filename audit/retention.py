"""What the append-only rule allows: a deleted person's identifiers become a pseudonym, and
after two years the identifiers of the audit trail and the access records themselves go.

The audit and access tables refuse every UPDATE and DELETE (a trigger), whoever asks, with two
narrow exceptions, each reachable only through one SECURITY DEFINER function of the database:

- `audit_pseudonymise(actor, pseudonym, addresses, names, account type, records, members, member
  fields)` replaces the account's addresses wherever they stand whole (in any case, in any of
  their spellings), its names, user name and the private values it gave where they stand whole
  in the person's own entries (their actions, and the entries about their account and their own
  records), and its user names where m2m entries list it among accounts, by the pseudonym; the
  trigger lets an UPDATE through only while this function runs (as the tables' owner), and only
  when no column but the identifying ones changed. The function takes only a deleted account
  (which stays deleted), once (its ledger row binds the pseudonym); of the records it is given
  it keeps those the trail saw written to the account, and of the identifiers those the trail
  recorded as values of an identifying field of the account or those records (the database's
  own list, `audit_identifying_fields`): the caller's role writes the other tables, which prove
  nothing. Access records lose addresses only: their pages and records stay. Each call stands
  in a ledger (`Pseudonymisation`) that nobody may change; an account is created live, never
  already deleted (a trigger);
- `audit_erase_expired(before)` deletes access records, and empties the actor's address and
  client address of audit entries, older than `before`, which must be at least two years ago;
  the trigger checks the age of each row again.

The application's database role needs only INSERT and SELECT on the two tables and EXECUTE on
these two functions (they run as the tables' owner). Elsewhere than PostgreSQL (local SQLite)
there is no trigger, and the same is done with plain updates.
"""

import hmac
import json
import re
from collections import defaultdict
from functools import reduce
from operator import or_
from urllib.parse import quote, quote_plus

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from .models import AccessRecord, AuditEntry, Pseudonymisation


def pseudonym_of(user_id: int) -> str:
    """The same keyed hash for a person in every entry: their traces stay together, unnamed."""
    digest = hmac.new(settings.AUDIT_PSEUDONYM_KEY.encode(), f"user:{user_id}".encode(), "sha256")
    return f"pseudonym:{digest.hexdigest()[:20]}"


# An identifier stands whole where no letter, digit or one of . _ % + @ - touches it: the rule
# of the database's audit_whole, so that "ogp" is found in "ogp" and "q=ogp", not in
# "secretariat@ogp-demo.example".
EDGE = "A-Za-z0-9._%+@-"


def _whole(identifier: str) -> re.Pattern:
    """Whatever its case: an address typed in other letters in the admin is the same address."""
    return re.compile(f"(?<![{EDGE}]){re.escape(identifier)}(?![{EDGE}])", re.IGNORECASE)


def _given(identifiers) -> list[str]:
    """The identifiers worth looking for: two characters or more, each once."""
    return sorted({identifier for identifier in identifiers if len(identifier) >= 2})


# A Korean phone number, written with or without dashes or spaces.
PHONE = re.compile(r"0\d{1,2}[-. ]?\d{3,4}[-. ]?\d{4}")


def _spellings(identifiers: list[str]) -> list[str]:
    """Each identifier as written and as a URL's query writes it, a phone number also with
    and without dashes or spaces, longest first (the database's `audit_spellings`)."""
    found = set()
    for identifier in _given(identifiers):
        found |= {identifier, quote(identifier, safe=""), quote_plus(identifier)}
        if PHONE.fullmatch(identifier):
            digits = re.sub(r"[-. ]", "", identifier)
            parts = re.fullmatch(r"(0\d{2})(\d{3,4})(\d{4})", digits)
            found |= {digits, *(sep.join(parts.groups()) for sep in "- " if parts)}
    return sorted(found, key=len, reverse=True)


# The foreign keys that make a record the person's own: their verification, address, proposal,
# comment or membership (not the staff member who verified, reviewed or hid it).
OWNER_FIELDS = ("user", "author")


def audit_records_of(*, user_id: int) -> list[tuple[int, str]]:
    """The tracked records that are the person's own, as (content type, key): their account,
    the records whose owner is the person now, and those the trail saw written or moved to them
    (a verification revoked since). The entries about them concern the person, whoever made
    them: a counter verification names the person in the staff member's entry."""
    user_model = get_user_model()
    owned = {}
    for model in auditlog.get_models():
        owners = [
            f.name
            for f in model._meta.concrete_fields
            if f.name in OWNER_FIELDS and f.related_model is user_model
        ]
        if owners:
            owned[model] = owners
    types = {m: t.pk for m, t in ContentType.objects.get_for_models(user_model, *owned).items()}
    records = {(types[user_model], str(user_id))}
    for model, owners in owned.items():
        mine = reduce(or_, (Q(**{f"{owner}_id": user_id}) for owner in owners))
        pks = model._base_manager.filter(mine).values_list("pk", flat=True)
        records |= {(types[model], str(pk)) for pk in pks}
    written = reduce(
        or_,
        (
            Q(**{f"changes__{owner}__1": value})
            for owner in {o for owners in owned.values() for o in owners}
            for value in (user_id, str(user_id))
        ),
    )
    records |= set(
        AuditEntry.objects.filter(
            written, content_type_id__in=[types[m] for m in owned]
        ).values_list("content_type_id", "object_pk")
    )
    return sorted(records)


def audit_member_fields() -> list[tuple[int, str]]:
    """The m2m fields of tracked records that list accounts (a booth's officers, the attendees
    of minutes), as (content type, field): their entries name each account by its user name."""
    user_model = get_user_model()
    fields = defaultdict(list)
    for tracked in settings.AUDITLOG_INCLUDE_TRACKING_MODELS:
        if not isinstance(tracked, dict):
            continue
        model = apps.get_model(tracked["model"])
        for name in tracked.get("m2m_fields", []):
            if model._meta.get_field(name).related_model is user_model:
                fields[model].append(name)
    types = ContentType.objects.get_for_models(*fields)
    return sorted((types[model].pk, name) for model, names in fields.items() for name in names)


def _replace_members(members: list[str], pseudonym: str) -> int:
    """The person's user name, where it stands as an element of an m2m entry's list of
    accounts, becomes the pseudonym (the audit tables on SQLite)."""
    changed = []
    for content_type, field in audit_member_fields():
        entries = AuditEntry.objects.filter(content_type_id=content_type, changes__has_key=field)
        for entry in entries.only("pk", "changes"):
            objects = entry.changes[field].get("objects") or []
            if set(objects) & set(members):
                entry.changes[field]["objects"] = [
                    pseudonym if o in members else o for o in objects
                ]
                changed.append(entry)
    return AuditEntry.objects.bulk_update(changed, ["changes"])


def audit_recorded_values(*, records: list[tuple[int, str]], fields: list[str]) -> set[str]:
    """Every value the trail recorded, before or after a change, of `fields` ("app.Model.field")
    of these records: what the person gave and changed since (a contact, a removed address)."""
    models = defaultdict(set)
    for label in fields:
        model, field = label.rsplit(".", 1)
        models[apps.get_model(model)].add(field)
    wanted = {t.pk: models[m] for m, t in ContentType.objects.get_for_models(*models).items()}
    keys = defaultdict(list)
    for content_type, pk in records:
        if content_type in wanted:
            keys[content_type].append(pk)
    if not keys:
        return set()
    about = reduce(or_, (Q(content_type_id=t, object_pk__in=pks) for t, pks in keys.items()))
    values = set()
    for content_type, changes in AuditEntry.objects.filter(about).values_list(
        "content_type_id", "changes"
    ):
        for field in wanted[content_type] & set(changes or {}):
            values |= {str(v) for v in changes[field] if v not in (None, "", "None")}
    return values


def _json_spelling(identifier: str) -> str:
    """The identifier as it appears inside a JSON string."""
    return json.dumps(identifier, ensure_ascii=False)[1:-1]


def _replace_whole(
    rows, fields: list[str], identifiers: list[str], pseudonym: str, json_fields=()
) -> int:
    """Replaces each identifier where it stands whole in `fields` (text) and `json_fields` of
    `rows` (tables without the append-only trigger: the admin's history, and the audit tables
    on SQLite), in one read and one write whatever their number; returns the rows changed."""
    if not identifiers:
        return 0
    mentions = reduce(
        or_,
        [Q(**{f"{field}__icontains": i}) for field in fields for i in identifiers]
        + [
            Q(**{f"{field}_as_text__icontains": spelling})
            for field in json_fields
            for i in identifiers
            # As the database stores it, and as the JSON of a non-ASCII name is written.
            for spelling in {json.dumps(i)[1:-1], _json_spelling(i)}
        ],
    )
    rows = rows.annotate(**{f"{f}_as_text": Cast(f, TextField()) for f in json_fields})
    patterns = [_whole(i) for i in identifiers]

    def replaced(value):
        # Inside JSON, in its strings only: a name such as "null" or "id" leaves the JSON and
        # its keys as they are (the database's `audit_jsonb_replace`).
        if isinstance(value, str):
            for pattern in patterns:
                value = pattern.sub(lambda _: pseudonym, value)
            return value
        if isinstance(value, list):
            return [replaced(item) for item in value]
        if isinstance(value, dict):
            return {key: replaced(item) for key, item in value.items()}
        return value

    changed = []
    for row in rows.filter(mentions).only("pk", *fields, *json_fields):
        for field in [*fields, *json_fields]:
            setattr(row, field, replaced(getattr(row, field)))
        changed.append(row)
    return rows.model._default_manager.bulk_update(changed, [*fields, *json_fields])


def audit_pseudonymise(
    *,
    user_id: int,
    addresses: list[str],
    names: list[str],
    records: list[tuple[int, str]],
    members: list[str],
) -> None:
    """Replaces a deleted person's identifiers in the audit trail, the access records and the
    admin's own history (Django's `LogEntry`, which has no trigger) by their pseudonym.

    Addresses belong to one account: they go wherever they stand whole. Names, user names and
    the private values the person gave (a contact, a date of birth) may be shared with others:
    they go only from the person's own rows (their actions, and the entries about `records`:
    their account and own records, from `audit_records_of`), so that nobody rewrites others'
    traces by deleting an account named like a part of them. Addresses are matched whatever
    their case. `members` are the user names the account had: the m2m entries that list
    accounts (a booth's officers, the attendees of minutes) name it by them, whoever wrote them.
    """
    pseudonym = pseudonym_of(user_id)
    given = {"addresses": _given(addresses), "names": _given(names), "members": _given(members)}
    addresses, names = _spellings(addresses), _spellings(names)
    account_type = ContentType.objects.get_for_model(get_user_model()).pk
    keys = defaultdict(list)
    for content_type, pk in records:
        keys[content_type].append(pk)
    log_fields = ["object_repr", "change_message"]
    _replace_whole(LogEntry.objects.all(), log_fields, addresses, pseudonym)
    own_log = reduce(
        or_,
        (Q(content_type_id=t, object_id__in=pks) for t, pks in keys.items()),
        Q(user_id=user_id),
    )
    _replace_whole(LogEntry.objects.filter(own_log), log_fields, names, pseudonym)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT audit_pseudonymise(%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    user_id,
                    pseudonym,
                    given["addresses"],
                    given["names"],
                    account_type,
                    [f"{t}:{pk}" for t, pk in records],
                    given["members"],
                    [f"{t}:{field}" for t, field in audit_member_fields()],
                ],
            )
        return
    # The same steps as the database's function, less its checks: this is a developer's copy.
    entry_fields = ["actor_email", "object_repr", "changes_text"]
    entry_json = ["changes", "serialized_data", "additional_data"]
    own_entries = reduce(
        or_,
        (Q(content_type_id=t, object_pk__in=pks) for t, pks in keys.items()),
        Q(actor_id=user_id),
    )
    record_fields = ["path", "target"]
    changed = sum(
        [
            AuditEntry.objects.filter(actor_id=user_id).update(actor_email=pseudonym),
            AccessRecord.objects.filter(actor_id=user_id).update(actor_label=pseudonym),
            _replace_whole(
                AuditEntry.objects.all(), entry_fields, addresses, pseudonym, entry_json
            ),
            _replace_whole(
                AuditEntry.objects.filter(own_entries), entry_fields, names, pseudonym, entry_json
            ),
            _replace_members(members, pseudonym),
            _replace_whole(AccessRecord.objects.all(), record_fields, addresses, pseudonym),
            _replace_whole(
                AccessRecord.objects.filter(actor_id=user_id), record_fields, names, pseudonym
            ),
        ]
    )
    identifiers = len(addresses) + len(names) + len(members)
    Pseudonymisation.objects.create(
        account_id=user_id,
        pseudonym=pseudonym,
        records_given=len(records),
        records_kept=len(records),
        identifiers_given=identifiers,
        identifiers_kept=identifiers,
        rows_changed=changed,
    )


def audit_erase_expired(*, before) -> int:
    """Removes the identifiers older than `before` (the retention period ago, at least two
    years: the database refuses less); returns the rows touched."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_erase_expired(%s)", [before])
            return cursor.fetchone()[0]
    erased = AccessRecord.objects.filter(at__lt=before).delete()[0]
    return erased + AuditEntry.objects.filter(timestamp__lt=before).exclude(
        actor_email=None, remote_addr=None
    ).update(actor_email=None, remote_addr=None)
