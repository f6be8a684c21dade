"""The proposals' models, one module per part of the work: calls, pipeline, reviews, debate."""

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
from .reviews import Review

__all__ = [
    "COMMENT_EDIT_WINDOW",
    "COMMENT_TEXT_LIMIT",
    "FINAL_STATUSES",
    "TRANSITIONS",
    "Area",
    "Call",
    "Comment",
    "CommentReport",
    "CommentRevision",
    "Debate",
    "DebateParticipant",
    "Proposal",
    "ProposalAttachment",
    "ProposalCorrection",
    "ProposalStatus",
    "Review",
    "Support",
    "SupportThreshold",
    "ThresholdReached",
    "Transition",
]
