"""The council's workflows, one module per part of its work (as `models/`)."""

from .groups import group_join, group_leave, membership_name_show
from .meetings import (
    meeting_cancel,
    meeting_postpone,
    meeting_publish,
    meeting_schedule,
    meeting_update,
)
from .minutes import (
    minutes_advance,
    minutes_attach,
    minutes_comment,
    minutes_correct,
    minutes_create,
)
from .notices import notice_compose, notice_is_void, notices_retry, reminders_send
from .personal_data import personal_data_erase, personal_data_export

__all__ = [
    "group_join",
    "group_leave",
    "meeting_cancel",
    "meeting_postpone",
    "meeting_publish",
    "meeting_schedule",
    "meeting_update",
    "membership_name_show",
    "minutes_advance",
    "minutes_attach",
    "minutes_comment",
    "minutes_correct",
    "minutes_create",
    "notice_compose",
    "notice_is_void",
    "notices_retry",
    "personal_data_erase",
    "personal_data_export",
    "reminders_send",
]
