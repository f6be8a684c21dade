"""What the append-only rule allows: a deleted person's identifiers become a pseudonym, and
after two years the identifiers of the audit trail and the access records themselves go.

The audit and access tables refuse every UPDATE and DELETE (a trigger), whoever asks, with two
narrow exceptions, each reachable only through one SECURITY DEFINER function of the database:

- `audit_pseudonymise(actor, pseudonym, addresses, names, account type)` replaces the account's
  addresses wherever they stand whole, and its names and user name where they stand whole in
  the person's own entries and records, by the pseudonym;
  the trigger lets an UPDATE through only while this function runs, and only when no column
  but the identifying ones changed;
- `audit_erase_expired(before)` deletes access records, and empties the actor's address and
  client address of audit entries, older than `before`, which must be at least two years ago;
  the trigger checks the age of each row again.

The application's database role needs only INSERT and SELECT on the two tables and EXECUTE on
these two functions (they run as the tables' owner). Elsewhere than PostgreSQL (local SQLite)
there is no trigger, and the same is done with plain updates.
"""

import hmac
import re
from functools import reduce
from operator import or_
from urllib.parse import quote, quote_plus

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from .models import AccessRecord, AuditEntry


def pseudonym_of(user_id: int) -> str:
    """The same keyed hash for a person in every entry: their traces stay together, unnamed."""
    digest = hmac.new(settings.AUDIT_PSEUDONYM_KEY.encode(), f"user:{user_id}".encode(), "sha256")
    return f"pseudonym:{digest.hexdigest()[:20]}"


# An identifier stands whole where no letter, digit or one of . _ % + @ - touches it: the rule
# of the database's audit_whole, so that "ogp" is found in "ogp" and "q=ogp", not in
# "secretariat@ogp-demo.example".
EDGE = "A-Za-z0-9._%+@-"


def _whole(identifier: str) -> re.Pattern:
    return re.compile(f"(?<![{EDGE}]){re.escape(identifier)}(?![{EDGE}])")


def _spellings(identifiers: list[str]) -> list[str]:
    """Each identifier as written and as a URL's query writes it, longest first."""
    found = set()
    for identifier in identifiers:
        if len(identifier) >= 2:
            found |= {identifier, quote(identifier, safe=""), quote_plus(identifier)}
    return sorted(found, key=len, reverse=True)


def _replace_whole(rows, fields: list[str], identifiers: list[str], pseudonym: str) -> None:
    """Replaces each identifier where it stands whole in `fields` of `rows` (tables without the
    append-only trigger: the admin's history, and the audit tables on SQLite)."""
    for identifier in identifiers:
        pattern = _whole(identifier)
        mentions = reduce(or_, (Q(**{f"{field}__contains": identifier}) for field in fields))
        for row in rows.filter(mentions).only("pk", *fields):
            changed = {
                field: pattern.sub(lambda _: pseudonym, getattr(row, field))
                for field in fields
                if getattr(row, field)
            }
            type(row).objects.filter(pk=row.pk).update(**changed)


def audit_pseudonymise(*, user_id: int, addresses: list[str], names: list[str]) -> None:
    """Replaces a deleted person's identifiers in the audit trail, the access records and the
    admin's own history (Django's `LogEntry`, which has no trigger) by their pseudonym.

    Addresses belong to one account: they go wherever they stand whole. Names and user names
    are shared with others: they go only from the person's own rows (their actions, and the
    entries about their account), so that nobody rewrites others' traces by deleting an account
    named like a part of them.
    """
    pseudonym = pseudonym_of(user_id)
    addresses, names = _spellings(addresses), _spellings(names)
    account_type = ContentType.objects.get_for_model(get_user_model()).pk
    log_fields = ["object_repr", "change_message"]
    _replace_whole(LogEntry.objects.all(), log_fields, addresses, pseudonym)
    own_log = Q(user_id=user_id) | Q(content_type_id=account_type, object_id=str(user_id))
    _replace_whole(LogEntry.objects.filter(own_log), log_fields, names, pseudonym)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT audit_pseudonymise(%s, %s, %s, %s, %s)",
                [user_id, pseudonym, addresses, names, account_type],
            )
        return
    AuditEntry.objects.filter(actor_id=user_id).update(actor_email=pseudonym)
    AccessRecord.objects.filter(actor_id=user_id).update(actor_label=pseudonym)
    entry_fields = ["actor_email", "object_repr", "changes_text"]
    _replace_whole(AuditEntry.objects.all(), entry_fields, addresses, pseudonym)
    own_entries = Q(actor_id=user_id) | Q(content_type_id=account_type, object_pk=str(user_id))
    _replace_whole(AuditEntry.objects.filter(own_entries), entry_fields, names, pseudonym)
    record_fields = ["path", "target"]
    _replace_whole(AccessRecord.objects.all(), record_fields, addresses, pseudonym)
    _replace_whole(AccessRecord.objects.filter(actor_id=user_id), record_fields, names, pseudonym)


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
