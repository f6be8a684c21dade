import rules

from ogp_portal.predicates import is_secretariat, is_verified

from .predicates import (
    answers_for_the_lead_department,
    is_draft_comment_author,
    is_draft_open,
    leads_a_group_of_the_commitment,
)

rules.add_perm("plans.file_inspection", leads_a_group_of_the_commitment | is_secretariat)
rules.add_perm("plans.comment_draft", is_verified & is_draft_open)
rules.add_perm("plans.answer_draft_comment", is_secretariat | answers_for_the_lead_department)
rules.add_perm("plans.report_draft_comment", is_verified & ~is_draft_comment_author)
rules.add_perm("plans.moderate_draft", is_secretariat)
rules.add_perm("plans.set_completion", is_secretariat)
