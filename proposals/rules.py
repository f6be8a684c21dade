import rules

from ogp_portal.predicates import is_secretariat, is_verified

from .predicates import (
    has_open_debate,
    is_comment_author,
    is_comment_editable,
    is_editable,
    is_open_for_support,
    is_proposer,
)

rules.add_perm("proposals.submit_proposal", is_verified)
rules.add_perm("proposals.edit_proposal", is_proposer & is_editable)
rules.add_perm("proposals.support_proposal", is_verified & ~is_proposer & is_open_for_support)
rules.add_perm("proposals.follow_call", rules.is_authenticated)
rules.add_perm("proposals.read_internal_notes", is_secretariat)
rules.add_perm("proposals.comment_debate", is_verified & has_open_debate)
rules.add_perm("proposals.answer_debate", is_secretariat & has_open_debate)
rules.add_perm("proposals.edit_comment", is_comment_author & is_comment_editable)
rules.add_perm("proposals.report_comment", is_verified & ~is_comment_author)
rules.add_perm("proposals.moderate_debate", is_secretariat)
