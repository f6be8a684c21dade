"""The council's personal data of one person, registered with the kernel's privacy services."""

from ..models import GroupMembership, MinutesComment


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "working_groups": [
            {
                "group": m.group.name,
                "joined_at": m.joined_at,
                "left_at": m.left_at,
                "name_listed": m.show_name,
            }
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "committee_seats": [
            {
                "name": seat.name,
                "affiliation": seat.affiliation,
                "term_start": seat.term_start,
                "term_end": seat.term_end,
            }
            for seat in user.committee_seats.order_by("term_start")
        ],
        "meetings_attended": [
            {"meeting": str(m.meeting), "date": m.meeting.starts_at}
            for m in user.attended_minutes.select_related("meeting").order_by("meeting__starts_at")
        ],
        "comments_on_minutes": [
            {"meeting": str(c.minutes.meeting), "body": c.body, "created_at": c.created_at}
            for c in MinutesComment.objects.filter(author=user).select_related("minutes__meeting")
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Ends open memberships (and their listed names) and unlinks committee seats; comments
    and attendance stay in the record, under "Former member"."""
    GroupMembership.objects.active().filter(user=user).update(left_at=now, show_name=False)
    GroupMembership.objects.filter(user=user).update(show_name=False)
    user.committee_seats.update(user=None)
