import rules

# Whoever is signed in may open a staff invitation: the link itself names the one account it
# works for (`ogp_portal.enrolment.staff_invitation_accept`).
rules.add_perm("ogp_portal.accept_staff_invitation", rules.is_authenticated)
rules.add_perm("ogp_portal.change_own_name", rules.is_authenticated)
