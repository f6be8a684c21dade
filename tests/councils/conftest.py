import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    CommitteeMemberFactory,
    UserFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def other_lead(council):
    return WorkingGroupFactory(council=council, slug="transport").lead.user


@pytest.fixture
def committee_seat(council):
    return CommitteeMemberFactory(council=council, user=UserFactory(username="seat"))


def minutes_admin_form(minutes, name: str, content: bytes) -> dict:
    """The admin's change form of these minutes, as sent with one new attachment."""
    return {
        "meeting": minutes.meeting_id,
        "body": minutes.body,
        "decisions": "",
        "action_items": "",
        "author": minutes.author_id,
        "attachments-TOTAL_FORMS": 1,
        "attachments-INITIAL_FORMS": 0,
        "attachments-0-title": "자료",
        "attachments-0-file": SimpleUploadedFile(name, content),
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
