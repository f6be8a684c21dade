"""The self-assessment report (page, print stylesheet, JSON) and the tracker give the same
numbers, each linked to its records; the plan's completion on the tracker and in the evidence
package; the records pages; roles, bad input and bounded query counts."""

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from plans.models import Evidence, InspectionReport, Milestone
from public_site import transparency
from tests.factories import CommitmentFactory, MeetingFactory, ProposalFactory, UserFactory


def figures_in(html: str) -> dict[str, tuple[str, str]]:
    """Each figure shown on a page: its key, the number and the address it links to."""
    return {
        key: (url, value)
        for key, url, value in re.findall(
            r'data-figure="([\w-]+)">[^<]*: <a href="([^"]+)" class="figure-value">(-?\d+)</a>',
            html,
        )
    }


def test_the_report_and_the_tracker_give_the_same_numbers_each_linked(client, demo):
    council = Council.objects.get()
    expected = {
        f.key: (f.url, str(f.value))
        for f in transparency.all_figures(council, transparency.plan_completion())
    }
    assert {"quarters_held", "announced_late", "minutes_late", "proposals_awaiting"} <= set(
        expected
    )
    assert "level_substantial" in expected and "level_no_evidence" in expected
    tracker = figures_in(client.get(reverse("tracker")).content.decode())
    page = client.get(reverse("self_assessment"))
    assert page.status_code == 200
    report = figures_in(page.content.decode())
    assert tracker == report == expected
    document = json.loads(client.get(reverse("self_assessment_json")).content)
    in_json = {
        f["key"]: (f["records"], str(f["value"]))
        for section in document["sections"]
        for requirement in section["requirements"]
        for f in requirement["figures"]
    } | {
        f["key"]: (f["records"], str(f["value"]))
        for f in document["completion"]["commitments_per_level"]
    }
    assert in_json == {k: (transparency.absolute(url), v) for k, (url, v) in expected.items()}


def test_each_number_leads_to_its_records(client, demo):
    report = figures_in(client.get(reverse("self_assessment")).content.decode())
    for key, (url, value) in report.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if url.startswith("/transparency/records/"):
            html = response.content.decode()
            assert f"{value}</h1>" in html, key
            listed = html.count("<li><a href=")
            assert listed == min(int(value), 50), key


def test_the_records_of_contributions_awaiting_a_response(client, demo):
    from proposals.models import Proposal

    waiting = transparency.awaiting_response(transparency.contributions()["proposals"][1])
    html = client.get(transparency.records_url("proposals_awaiting")).content.decode()
    for proposal in waiting[:50]:
        assert proposal.get_absolute_url() in html
    assert Proposal.objects.exists()


def test_the_report_follows_ogps_structure_with_the_plans_progress(client, demo):
    document = json.loads(client.get(reverse("self_assessment_json")).content)
    assert [s["key"] for s in document["sections"]] == [
        "forum",
        "co_creation",
        "contributions",
        "repository",
    ]
    assert document["sections"][1]["steps"], "the recorded co-creation steps"
    commitment = document["completion"]["commitments"][0]
    milestone = commitment["milestones"][0]
    assert milestone["level"] == milestone["derived_level"] == "substantial"
    assert "document" in {e["kind"] for e in milestone["evidence"]}
    assert all(e["url"].startswith("http") for e in milestone["evidence"])


def test_the_report_prints_as_a_document(client, demo):
    html = client.get(reverse("self_assessment")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*report-print\.css" media="print">', html)


def test_the_evidence_package_holds_the_plans_completion(client, demo):
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("evidence_package")).content))
    completion = json.loads(archive.read("completion.json"))
    assert completion["commitments"][0]["milestones"][0]["evidence"]
    assert {f["key"] for f in completion["commitments_per_level"]} == {
        f"level_{level}"
        for level in ["no_evidence", "not_started", "limited", "substantial", "completed"]
    }


def demo_account(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


@pytest.fixture
def demo_citizen(demo):
    return demo_account("citizen@ogp-demo.example")


@pytest.fixture
def demo_lead(demo):
    return demo_account("lead@ogp-demo.example")


@pytest.fixture
def demo_secretariat(demo):
    from allauth.mfa.models import Authenticator

    from tests.conftest import second_factor

    staff = demo_account("secretariat@ogp-demo.example")
    if not Authenticator.objects.filter(user=staff).exists():
        second_factor(staff)
    return staff


@pytest.mark.parametrize("role", ["anonymous", "demo_citizen", "demo_lead", "demo_secretariat"])
def test_everyone_reads_the_report_and_its_records(as_role, demo, role):
    client = as_role(role)
    for url in (
        reverse("self_assessment"),
        reverse("self_assessment_json"),
        transparency.records_url("announced"),
        transparency.records_url("level_substantial"),
    ):
        response = client.get(url)
        assert response.status_code == 200, (role, url)
    html = client.get(reverse("self_assessment")).content.decode()
    assert "현황 파악" in html  # the same report, whoever reads it
    shown = client.get(Milestone.objects.get().commitment.get_absolute_url()).content.decode()
    assert ("/completion/" in shown) == (role == "demo_secretariat")


@pytest.mark.parametrize(
    "path",
    [
        "/transparency/records/nothing/",
        "/transparency/records/level_bogus/",
        "/transparency/records/quarters_held/",  # a number with no list of its own
        "/transparency/records/members/",
    ],
)
def test_an_unknown_figure_is_404(client, demo, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["x", "-1", "999999", "1" * 40, "%00"])
def test_a_bad_page_number_shows_a_page(client, demo, page):
    response = client.get(transparency.records_url("announced") + f"?page={page}")
    assert response.status_code == 200


def test_without_a_council_the_report_is_404(client, db):
    assert client.get(reverse("self_assessment")).status_code == 404
    assert client.get(reverse("self_assessment_json")).status_code == 404


@pytest.mark.parametrize("extra", [0, 8])
def test_query_counts_of_the_report_are_bounded(client, demo, extra, django_assert_max_num_queries):
    council = Council.objects.get()
    group = council.working_groups.first()
    for n in range(extra):
        commitment = CommitmentFactory()
        milestone = Milestone.objects.create(commitment=commitment, title=f"m{n}")
        Evidence.objects.create(milestone=milestone, kind="dataset", url=f"https://d.example/{n}")
        report = InspectionReport.objects.create(
            commitment=commitment,
            group=group,
            author=group.lead.user or UserFactory(),
            date=timezone.localdate(),
            place="현장",
            findings="확인",
        )
        Evidence.objects.create(milestone=milestone, kind="inspection", inspection=report)
        MeetingFactory(council=council, group=group, published_at=timezone.now())
        ProposalFactory()
    with django_assert_max_num_queries(32):
        client.get(reverse("self_assessment"))
    with django_assert_max_num_queries(32):
        client.get(reverse("self_assessment_json"))
    with django_assert_max_num_queries(24):
        client.get(transparency.records_url("announced"))
    with django_assert_max_num_queries(24):
        client.get(transparency.records_url("level_substantial"))
    with django_assert_max_num_queries(21):
        client.get(reverse("tracker"))
