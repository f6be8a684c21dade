import rules

rules.add_perm("ogp_portal.change_own_name", rules.is_authenticated)
