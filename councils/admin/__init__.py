"""The council's admin pages, one module per part of its work (as `models/`)."""

from . import council, documents, groups, meetings, minutes

__all__ = ["council", "documents", "groups", "meetings", "minutes"]
