import rules

from ogp_portal.predicates import is_secretariat, is_verified

from .predicates import is_booth_officer

rules.add_perm("consultations.vote", is_verified)
rules.add_perm("consultations.follow_poll", rules.is_authenticated)
rules.add_perm("consultations.officiate_booth", is_booth_officer | is_secretariat)
