"""Role × view matrix for the proposals views."""

import pytest
from django.urls import reverse

from proposals.models import Proposal
from tests.factories import UserFactory

ROLES = ["anonymous", "unverified", "citizen", "proposer", "lead", "secretariat"]
FORM = {"title": "t", "problem": "p", "solution": "s"}


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(as_role, role, proposal):
    client = as_role(role)
    for url in (
        reverse("proposals:call_list"),
        proposal.call.get_absolute_url(),
        reverse("proposals:call_report", args=[proposal.call.slug]),
        proposal.get_absolute_url(),
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
