import rules

from ogp_portal.predicates import is_verified

rules.add_perm("consultations.vote", is_verified)
rules.add_perm("consultations.follow_poll", rules.is_authenticated)
