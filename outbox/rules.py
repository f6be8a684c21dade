import rules

rules.add_perm("outbox.choose_notifications", rules.is_authenticated)
