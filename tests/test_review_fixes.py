"""Defects found in review, each pinned by a test."""

import csv
import datetime as dt
import io

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations import services as polls
from councils.models import Meeting, Minutes
from tests.consultations.conftest import option_ids
from tests.factories import (
    CallFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MinutesFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def staff_client(client, db):
    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


def test_account_names_never_show_on_public_pages(client, db):
    group = WorkingGroupFactory()
    GroupMembershipFactory(group=group, user=UserFactory(username="kim.private", first_name=""))
    html = client.get(group.get_absolute_url()).content.decode()
    assert "kim.private" not in html and "참여자" in html


def test_admin_uploads_are_checked_by_content_and_recorded(staff_client, db):
    minutes = MinutesFactory()
    url = reverse("admin:councils_minutes_change", args=[minutes.pk])
    form = {
        "meeting": minutes.meeting_id,
        "body": minutes.body,
        "decisions": "",
        "action_items": "",
        "author": minutes.author_id,
        "attachments-TOTAL_FORMS": 1,
        "attachments-INITIAL_FORMS": 0,
        "attachments-0-title": "자료",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    bad = staff_client.post(
        url,
        {**form, "attachments-0-file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>")},
    )
    assert bad.status_code == 200 and not minutes.attachments.exists()
    good = staff_client.post(url, {**form, "attachments-0-file": SimpleUploadedFile("x.pdf", PDF)})
    assert good.status_code == 302, good.content.decode()[:3000]
    attachment = minutes.attachments.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))


def test_a_second_click_does_not_publish_minutes_by_accident(client, db):
    minutes = MinutesFactory()
    lead = minutes.meeting.group.lead.user
    client.force_login(lead)
    url = reverse("councils:minutes_advance", args=[minutes.meeting_id])
    client.post(url, {"from": "draft"})
    response = client.post(url, {"from": "draft"}, follow=True)
    assert Minutes.objects.get().status == Minutes.Status.CIRCULATED
    assert "이미 다음 단계" in response.content.decode()


def test_a_former_lead_loses_the_groups_powers(client, db):
    group = WorkingGroupFactory()
    client.force_login(group.lead.user)
    url = reverse("councils:meeting_schedule", args=[group.slug])
    assert client.get(url).status_code == 200
    group.lead.end_term(on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(url).status_code == 403


def test_a_published_meeting_changes_in_the_admin_only_with_notice(
    staff_client, db, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(published_at=timezone.now())
    GroupMembershipFactory(group=meeting.group)
    page = staff_client.get(reverse("admin:councils_meeting_change", args=[meeting.pk]))
    assert 'name="starts_at_0"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:councils_meeting_changelist"),
            {"action": "postpone", "_selected_action": [meeting.pk]},
        )
    assert Meeting.objects.get().status == Meeting.Status.POSTPONED
    assert len(mail.outbox) == 2


def test_no_ballot_after_the_result_is_frozen(db):
    poll = PollFactory()
    polls.poll_close_now(poll=poll)
    Poll = type(poll)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    poll.refresh_from_db()
    with pytest.raises(polls.ValidationError, match="마감"):
        polls.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))


def test_an_absurd_option_id_is_a_message_not_a_500(client, db):
    poll = PollFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]), {"option": ["9" * 40]}, follow=True
    )
    assert response.status_code == 200
    assert "이 투표의 선택지 가운데서 골라 주세요." in response.content.decode()


def test_csv_cells_never_run_as_spreadsheet_formulas(client, db):
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    ProposalFactory(call=call, title='=HYPERLINK("http://evil.example","x")')
    body = client.get(reverse("proposals:call_report", args=[call.slug]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=")
    data = client.get(reverse("opendata_dataset", args=["proposals", "csv"]))
    assert "'=HYPERLINK" in data.content.decode("utf-8-sig")


def test_files_follow_the_disclosure_of_what_they_belong_to(client, db):
    from councils.models import Document, DocumentAttachment
    from proposals.models import ProposalAttachment
    from tests.factories import CouncilFactory

    secret = Document.objects.create(
        council=CouncilFactory(),
        title="비공개",
        registration_number="X-9",
        date=dt.date(2021, 6, 1),
        issuing_office="혁신소통기획관",
        disclosure=Document.Disclosure.NOT_PUBLIC,
    )
    hidden = DocumentAttachment.objects.create(
        document=secret,
        title="첨부",
        file=SimpleUploadedFile("a.pdf", PDF),
        content_type="application/pdf",
        size=len(PDF),
    )
    url = reverse("councils:document_file", args=[secret.pk, hidden.pk])
    assert client.get(url).status_code == 404
    proposal = ProposalFactory()
    shown = ProposalAttachment.objects.create(
        proposal=proposal,
        title="계획",
        file=SimpleUploadedFile("b.pdf", PDF),
        content_type="application/pdf",
        size=len(PDF),
    )
    response = client.get(reverse("proposals:proposal_file", args=[proposal.pk, shown.pk]))
    assert response.status_code == 200
    assert (
        client.get(reverse("proposals:proposal_file", args=[proposal.pk + 1, shown.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_following_a_poll(client, db, role):
    poll = PollFactory()
    url = reverse("consultations:poll_follow", args=[poll.slug])
    if role == "citizen":
        client.force_login(UserFactory())
    response = client.post(url)
    assert poll.followers.exists() == (role == "citizen")
    if role == "anonymous":
        assert "/accounts/login/" in response.url
