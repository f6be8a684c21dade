import rules

from ogp_portal.predicates import is_secretariat

from .predicates import leads_a_group_of_the_commitment

rules.add_perm("plans.file_inspection", leads_a_group_of_the_commitment | is_secretariat)
rules.add_perm("plans.set_completion", is_secretariat)
