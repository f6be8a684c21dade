import rules

from ogp_portal.predicates import is_secretariat, is_verified

from .predicates import (
    is_circulated_to,
    is_group_lead,
    is_meeting_organiser,
    is_minutes_organiser,
    is_public_document,
    is_published_meeting,
    is_published_minutes,
)

rules.add_perm("councils.join_group", is_verified)
rules.add_perm("councils.leave_group", rules.is_authenticated)
rules.add_perm("councils.manage_group", is_group_lead | is_secretariat)
rules.add_perm("councils.schedule_meeting", is_group_lead | is_secretariat)
rules.add_perm("councils.edit_meeting", is_meeting_organiser | is_secretariat)
rules.add_perm(
    "councils.read_meeting", is_published_meeting | is_meeting_organiser | is_secretariat
)
rules.add_perm("councils.post_minutes", is_meeting_organiser | is_secretariat)
rules.add_perm("councils.edit_minutes", is_minutes_organiser | is_secretariat)
rules.add_perm(
    "councils.read_minutes",
    is_published_minutes | is_circulated_to | is_minutes_organiser | is_secretariat,
)
rules.add_perm("councils.comment_minutes", is_circulated_to | is_minutes_organiser | is_secretariat)
rules.add_perm("councils.read_document", is_public_document | is_secretariat)
