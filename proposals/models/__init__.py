"""The proposals' models, one module per part of the work: calls, pipeline, reviews, plan."""

from .calls import Area, Call, SupportThreshold
from .debate import (
    COMMENT_EDIT_WINDOW,
    COMMENT_TEXT_LIMIT,
    Comment,
    CommentReport,
    CommentRevision,
    Debate,
    DebateParticipant,
)
from .pipeline import (
    FINAL_STATUSES,
    TRANSITIONS,
    Proposal,
    ProposalAttachment,
    ProposalCorrection,
    ProposalStatus,
    Support,
    ThresholdReached,
    Transition,
)
from .plans import (
    COMPLETION_PERCENT,
    ActionPlan,
    Commitment,
    Completion,
    InspectionPhoto,
    InspectionReport,
    Milestone,
    ProgressUpdate,
    completion_percent_expression,
)
from .reviews import Review

__all__ = [
    "COMMENT_EDIT_WINDOW",
    "COMMENT_TEXT_LIMIT",
    "COMPLETION_PERCENT",
    "FINAL_STATUSES",
    "TRANSITIONS",
    "ActionPlan",
    "Area",
    "Call",
    "Comment",
    "CommentReport",
    "CommentRevision",
    "Commitment",
    "Completion",
    "Debate",
    "DebateParticipant",
    "InspectionPhoto",
    "InspectionReport",
    "Milestone",
    "ProgressUpdate",
    "Proposal",
    "ProposalAttachment",
    "ProposalCorrection",
    "ProposalStatus",
    "Review",
    "Support",
    "SupportThreshold",
    "ThresholdReached",
    "Transition",
    "completion_percent_expression",
]
