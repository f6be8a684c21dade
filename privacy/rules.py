import rules

rules.add_perm("privacy.manage_own_data", rules.is_authenticated)
