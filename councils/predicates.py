"""Pure, cheap questions about a person and a council object, for rules.py."""

import rules


@rules.predicate
def is_group_lead(user, group) -> bool:
    return group is not None and group.is_led_by(user)


@rules.predicate
def is_meeting_organiser(user, meeting) -> bool:
    """The lead of the meeting's group; committee meetings belong to the secretariat alone."""
    return meeting is not None and meeting.group_id is not None and meeting.group.is_led_by(user)


@rules.predicate
def is_published_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.is_published


@rules.predicate
def is_minutes_organiser(user, minutes) -> bool:
    return minutes is not None and is_meeting_organiser(user, minutes.meeting)


@rules.predicate
def is_published_minutes(user, minutes) -> bool:
    return minutes is not None and minutes.is_published


@rules.predicate
def is_circulated_to(user, minutes) -> bool:
    """Attendees read circulated minutes to comment on them."""
    return (
        minutes is not None
        and user.is_authenticated
        and minutes.is_circulated
        and minutes.attendees.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_public_document(user, document) -> bool:
    return document is not None and document.is_public
