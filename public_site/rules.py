import rules

rules.add_perm("public.view_own_participation", rules.is_authenticated)
