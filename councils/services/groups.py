"""Working-group memberships: joining, leaving, and whether the group's page lists a name."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import GroupMembership, WorkingGroup

# A person's joins and leaves run one at a time (their account row is locked), so many clicks
# at once end in one membership or none, never in a clash.


@transaction.atomic
def group_join(*, group: WorkingGroup, user) -> GroupMembership:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    membership, _created = GroupMembership.objects.active().get_or_create(group=group, user=user)
    return membership


@transaction.atomic
def group_leave(*, group: WorkingGroup, user) -> int:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    return (
        GroupMembership.objects.active()
        .filter(group=group, user=user)
        .update(left_at=timezone.now())
    )


@transaction.atomic
def membership_name_show(*, group: WorkingGroup, user, show: bool) -> int:
    """The member chooses whether the group's page lists their name (not listed by default)."""
    return GroupMembership.objects.active().filter(group=group, user=user).update(show_name=show)
