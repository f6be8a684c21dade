"""What the append-only rule allows: a deleted person's identifiers become a pseudonym, and
after two years the identifiers of the audit trail and the access records themselves go.

The audit and access tables refuse every UPDATE and DELETE (a trigger), whoever asks, with two
narrow exceptions, each reachable only through one SECURITY DEFINER function of the database:

- `audit_pseudonymise(actor, pseudonym, identifiers)` replaces, in every entry and record, the
  account's address and the given identifiers (addresses, name, user name) by the pseudonym;
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

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import Replace

from .models import AccessRecord, AuditEntry


def pseudonym_of(user_id: int) -> str:
    """The same keyed hash for a person in every entry: their traces stay together, unnamed."""
    digest = hmac.new(settings.AUDIT_PSEUDONYM_KEY.encode(), f"user:{user_id}".encode(), "sha256")
    return f"pseudonym:{digest.hexdigest()[:20]}"


def audit_pseudonymise(*, user_id: int, identifiers: list[str]) -> None:
    """Replaces the person's identifiers in the audit trail, the access records and the
    admin's own history (Django's `LogEntry`, which has no trigger)."""
    pseudonym = pseudonym_of(user_id)
    identifiers = sorted({i for i in identifiers if len(i) >= 2}, key=len, reverse=True)
    for identifier in identifiers:
        LogEntry.objects.filter(
            Q(object_repr__contains=identifier) | Q(change_message__contains=identifier)
        ).update(
            object_repr=Replace("object_repr", Value(identifier), Value(pseudonym)),
            change_message=Replace("change_message", Value(identifier), Value(pseudonym)),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT audit_pseudonymise(%s, %s, %s)", [user_id, pseudonym, identifiers]
            )
        return
    AuditEntry.objects.filter(actor_id=user_id).update(actor_email=pseudonym)
    AccessRecord.objects.filter(actor_id=user_id).update(actor_label=pseudonym)
    for identifier in identifiers:
        AuditEntry.objects.filter(
            Q(object_repr__contains=identifier) | Q(changes_text__contains=identifier)
        ).update(
            object_repr=Replace("object_repr", Value(identifier), Value(pseudonym)),
            changes_text=Replace("changes_text", Value(identifier), Value(pseudonym)),
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
