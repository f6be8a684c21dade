"""The council's models, one module per part of its work."""

from .council import (
    CommitteeMember,
    Council,
    Direction,
    MemberCategory,
    TimelineEntry,
)
from .documents import Document, DocumentAttachment
from .groups import GroupMembership, WorkingGroup
from .meetings import (
    AgendaItem,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Notice,
    NoticeKind,
)
from .minutes import (
    Minutes,
    MinutesAttachment,
    MinutesComment,
    MinutesRevision,
)

__all__ = [
    "AgendaItem",
    "CommitteeMember",
    "Council",
    "Direction",
    "Document",
    "DocumentAttachment",
    "GroupMembership",
    "Meeting",
    "MeetingFormat",
    "MeetingKind",
    "MeetingStatus",
    "MemberCategory",
    "Minutes",
    "MinutesAttachment",
    "MinutesComment",
    "MinutesRevision",
    "Notice",
    "NoticeKind",
    "TimelineEntry",
    "WorkingGroup",
]
