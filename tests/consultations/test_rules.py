"""Role × view matrix for the polls: who may vote and follow, by the effect on the poll."""

import pytest
from django.urls import reverse

from consultations.models import Participation
from tests.consultations.conftest import option_ids
from tests.factories import UserFactory

ROLES = ["anonymous", "unverified", "citizen", "secretariat"]


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified", verified=False)


@pytest.mark.parametrize("role", ROLES)
def test_voting(as_role, role, poll):
    response = as_role(role).post(
        reverse("consultations:poll_vote", args=[poll.slug]),
        {"option": option_ids(poll, "찬성")},
    )
    allowed = role in {"citizen", "secretariat"}
    assert Participation.objects.filter(poll=poll).exists() == allowed
    assert poll.envelopes.count() == (1 if allowed else 0)
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))
        assert poll.get_absolute_url() in response.url
    elif role == "unverified":
        assert response.url == reverse("account_email")
    else:
        assert response.status_code == 303
        assert response.url == reverse("consultations:poll_voted", args=[poll.slug])


@pytest.mark.parametrize("role", ROLES)
def test_following(as_role, role, poll):
    response = as_role(role).post(reverse("consultations:poll_follow", args=[poll.slug]))
    assert poll.followers.exists() == (role != "anonymous")
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))
