import rules

from ogp_portal.predicates import is_secretariat

rules.add_perm("verification.verify", rules.is_authenticated)
rules.add_perm("verification.verify_in_person", is_secretariat)
rules.add_perm("verification.import_residents", is_secretariat)
