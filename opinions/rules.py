import rules

from ogp_portal.predicates import is_secretariat, is_verified

from .predicates import is_open_map

rules.add_perm("opinions.take_part", is_verified & is_open_map)
rules.add_perm("opinions.moderate_statements", is_secretariat)
