"""Writing to the audit trail beyond what django-auditlog records of tracked records."""

from .models import AuditEntry


def admin_action_record(*, action: str, objects) -> int:
    """One entry per object an admin action was run on, naming the action.

    Written before the action runs, so a refused or failing action is on record too; what the
    action changes in tracked records follows as their own entries. Actor, client address and
    operation (the changelist and the action's name) come from the request (`AuditMiddleware`).
    """
    count = 0
    for obj in objects:
        AuditEntry.objects.log_create(
            obj, force_log=True, action=AuditEntry.Action.ACCESS, additional_data={"action": action}
        )
        count += 1
    return count
