"""Role × view matrix for the proposals views."""

import pytest
from django.urls import reverse

from councils.models import MemberCategory
from proposals.models import Proposal
from tests.factories import (
    PNG,
    CommitmentFactory,
    CommitteeMemberFactory,
    UserFactory,
    WorkingGroupFactory,
)

ROLES = ["anonymous", "unverified", "citizen", "proposer", "lead", "secretariat"]
FORM = {"title": "t", "problem": "p", "solution": "s"}


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.fixture
def commitment(db):
    return CommitmentFactory()


@pytest.fixture
def lead(commitment):
    group = WorkingGroupFactory(
        lead=CommitteeMemberFactory(
            category=MemberCategory.CIVIL_SOCIETY, user=UserFactory(username="lead")
        )
    )
    commitment.working_groups.add(group)
    return group.lead.user


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(as_role, role, proposal, commitment):
    client = as_role(role)
    for url in (
        reverse("proposals:call_list"),
        proposal.call.get_absolute_url(),
        reverse("proposals:call_report", args=[proposal.call.slug]),
        proposal.get_absolute_url(),
        commitment.plan.get_absolute_url(),
        commitment.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_submitting(as_role, role, open_call):
    response = as_role(role).post(reverse("proposals:proposal_create", args=[open_call.slug]), FORM)
    created = Proposal.objects.exists()
    assert created == (role in {"citizen", "proposer", "lead", "secretariat"})
    if role == "anonymous":
        assert "/accounts/login/" in response.url
    if role == "unverified":
        assert response.url == reverse("account_email")


@pytest.mark.parametrize("role", ROLES)
def test_editing(as_role, role, proposal):
    response = as_role(role).post(
        reverse("proposals:proposal_edit", args=[proposal.pk]), {**FORM, "title": "바뀜"}
    )
    changed = Proposal.objects.get().title == "바뀜"
    assert changed == (role == "proposer")
    if role == "anonymous":
        assert "/accounts/login/" in response.url
    elif role != "proposer":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_supporting(as_role, role, proposal):
    as_role(role).post(reverse("proposals:proposal_support", args=[proposal.pk]))
    counted = Proposal.objects.get().support_count == 1
    assert counted == (role in {"citizen", "lead", "secretariat"})


@pytest.mark.parametrize("role", ROLES)
def test_following(as_role, role, open_call):
    response = as_role(role).post(reverse("proposals:call_follow", args=[open_call.slug]))
    assert open_call.followers.exists() == (role != "anonymous")
    if role == "anonymous":
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize("role", ROLES)
def test_filing_an_inspection(as_role, role, commitment, lead):
    client = as_role(role)
    url = reverse("proposals:inspection_create", args=[commitment.pk])
    response = client.get(url)
    allowed = role in {"lead", "secretariat"}
    if allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == 403
    group = commitment.working_groups.get()
    form = {"group": group.pk, "date": "2026-11-20", "place": "광산구", "findings": "점검함"}
    client.post(url, form)
    assert commitment.inspections.exists() == allowed


def test_a_lead_files_an_inspection_with_a_photo(client, commitment, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    group = commitment.working_groups.get()
    response = client.post(
        reverse("proposals:inspection_create", args=[commitment.pk]),
        {
            "group": group.pk,
            "date": "2026-11-20",
            "place": "광산구 햇빛발전소",
            "findings": "패널 청소가 필요함",
            "photo": SimpleUploadedFile("p.png", PNG),
            "caption": "패널",
        },
    )
    assert response.status_code == 302
    report = commitment.inspections.get()
    assert report.photos.get().content_type == "image/png"
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "패널 청소가 필요함" in page
    assert client.get(reverse("proposals:photo", args=[report.photos.get().pk])).status_code == 200
