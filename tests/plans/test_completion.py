"""A milestone's IRM completion level from its evidence, the secretariat's level with its logged
reason, and the page where the secretariat sets it (role by role, bad input)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from councils.models import Document, Minutes
from ogp_portal.uploads import checked_upload
from plans import services
from plans.models import Completion, Evidence, InspectionReport, Milestone
from tests.factories import PDF, CommitmentFactory, DocumentFactory, MinutesFactory


@pytest.fixture
def commitment(group):
    commitment = CommitmentFactory()
    commitment.working_groups.add(group)
    return commitment


@pytest.fixture
def milestone(commitment):
    return Milestone.objects.create(commitment=commitment, title="현황 파악")


def inspection(commitment, group, *, days_ago: int = 1) -> InspectionReport:
    return InspectionReport.objects.create(
        commitment=commitment,
        group=group,
        author=group.lead.user,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        place="광주광역시청",
        findings="현장 확인",
    )


def level(milestone) -> str:
    return Milestone.objects.with_evidence().get(pk=milestone.pk).completion_level()


def test_a_milestone_without_evidence_has_no_evidence(milestone):
    assert level(milestone) == Completion.NO_EVIDENCE
    assert milestone.commitment.completion_level() == Completion.NO_EVIDENCE


def test_a_completed_inspection_and_a_published_document_make_it_complete(
    milestone, commitment, group
):
    document = DocumentFactory(council=group.council, disclosure=Document.Disclosure.PUBLIC)
    Evidence.objects.create(milestone=milestone, kind="document", document=document)
    assert level(milestone) == Completion.SUBSTANTIAL
    report = inspection(commitment, group)
    Evidence.objects.create(milestone=milestone, kind="inspection", inspection=report)
    assert level(milestone) == Completion.COMPLETED
    assert commitment.completion_level() == Completion.COMPLETED


def test_each_rule_below_complete(milestone, commitment, group):
    # Evidence that is not public or not carried out yet: not started.
    private = DocumentFactory(council=group.council, disclosure=Document.Disclosure.NOT_PUBLIC)
    Evidence.objects.create(milestone=milestone, kind="document", document=private)
    future = inspection(commitment, group, days_ago=-3)
    Evidence.objects.create(milestone=milestone, kind="inspection", inspection=future)
    draft = MinutesFactory(meeting__group=group, status=Minutes.Status.DRAFT)
    Evidence.objects.create(milestone=milestone, kind="decision", minutes=draft)
    assert level(milestone) == Completion.NOT_STARTED
    # A decision in published minutes, or an upload: limited.
    draft.status, draft.published_at = Minutes.Status.PUBLISHED, timezone.now()
    draft.save(update_fields=["status", "published_at"])
    assert level(milestone) == Completion.LIMITED
    # A dataset: substantial.
    Evidence.objects.create(milestone=milestone, kind="dataset", url="https://data.example.org/a")
    assert level(milestone) == Completion.SUBSTANTIAL


def test_an_upload_shows_work_begun_and_is_served(client, milestone):
    upload = ContentFile(PDF, name="사진대장.pdf")
    record = Evidence.objects.create(milestone=milestone, kind="upload", **checked_upload(upload))
    assert level(milestone) == Completion.LIMITED
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_evidence_must_point_at_a_record_of_its_kind(milestone):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(milestone=milestone, kind="document")


def test_a_commitment_averages_its_milestones(commitment):
    first = Milestone.objects.create(commitment=commitment, title="1")
    second = Milestone.objects.create(commitment=commitment, title="2")
    Evidence.objects.create(milestone=first, kind="dataset", url="https://data.example.org/a")
    assert commitment.completion_level() == Completion.LIMITED  # (75 + 0) / 2 < 50
    Evidence.objects.create(milestone=second, kind="dataset", url="https://data.example.org/b")
    assert commitment.completion_level() == Completion.SUBSTANTIAL


def test_an_override_is_logged_and_shown(client, milestone, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("proposals:milestone_completion", args=[milestone.pk]),
        {"level": "completed", "reason": "부서 결과보고서(혁신소통기획관-4100)로 확인"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completion_level() == Completion.COMPLETED
    assert milestone.derived_completion() == Completion.NO_EVIDENCE
    entry = AuditEntry.objects.get_for_object(milestone).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor_id == secretariat.pk
    assert entry.changes_dict["completion"] == [None, "completed"]
    assert "혁신소통기획관-4100" in entry.changes_dict["completion_reason"][1]
    for url in (
        milestone.commitment.get_absolute_url(),
        reverse("tracker"),
        reverse("self_assessment"),
    ):
        html = client.get(url).content.decode()
        assert "부서 결과보고서(혁신소통기획관-4100)로 확인" in html, url
        assert "완료" in html and "이용 가능한 증거 없음" in html, url


def test_the_level_goes_back_to_the_evidence_with_a_reason(milestone, secretariat):
    services.milestone_completion_set(
        milestone=milestone, level="limited", reason="착수 보고", by=secretariat
    )
    services.milestone_completion_set(
        milestone=milestone, level=None, reason="증거 등록 완료", by=secretariat
    )
    milestone.refresh_from_db()
    assert not milestone.is_overridden and milestone.completion_level() == "no_evidence"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("lead", 403),
        ("staff_without_mfa", 302),
        ("secretariat", 200),
    ],
)
def test_who_may_set_a_level(as_role, milestone, role, expected):
    client = as_role(role)
    url = reverse("proposals:milestone_completion", args=[milestone.pk])
    assert client.get(url).status_code == expected
    client.post(url, {"level": "completed", "reason": "이유"})
    milestone.refresh_from_db()
    assert milestone.is_overridden == (role == "secretariat")


@pytest.mark.parametrize(
    "data",
    [
        {"level": "completed", "reason": "   "},
        {"level": "no_evidence", "reason": "이유"},
        {"level": "나쁜값", "reason": "이유"},
        {"level": "completed", "reason": "가" * 3000},
        {},
    ],
)
def test_bad_input_is_refused_on_the_form(client, milestone, secretariat, data):
    client.force_login(secretariat)
    response = client.post(reverse("proposals:milestone_completion", args=[milestone.pk]), data)
    assert response.status_code == 200
    milestone.refresh_from_db()
    assert not milestone.is_overridden


def test_an_unknown_milestone_or_file_is_404(client, secretariat, milestone):
    client.force_login(secretariat)
    assert client.get(reverse("proposals:milestone_completion", args=[999999])).status_code == 404
    Evidence.objects.create(milestone=milestone, kind="dataset", url="https://data.example.org/a")
    record = Evidence.objects.get()
    assert client.get(reverse("proposals:evidence_file", args=[record.pk])).status_code == 404
