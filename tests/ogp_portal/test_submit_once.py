"""A form that creates something is taken once: double clicks, reloads and retries."""

import re
import uuid
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal
from tests.conftest import at_once
from tests.factories import CallFactory, UserFactory

FORM = {"title": "한 번만", "problem": "문제", "solution": "해결"}


def token_of(page: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


def test_the_same_form_sent_twice_makes_one_proposal(client, db):
    call = CallFactory()
    client.force_login(UserFactory())
    url = reverse("proposals:proposal_create", args=[call.slug])
    token = token_of(client.get(url).content.decode())
    first = client.post(url, {**FORM, "submission": token})
    again = client.post(url, {**FORM, "submission": token}, follow=True)
    assert Proposal.objects.count() == 1
    assert again.redirect_chain[0][0] == first.url
    assert "이미 보낸 양식" in again.content.decode()
    # A new rendering of the form is a new proposal.
    client.post(url, {**FORM, "submission": token_of(client.get(url).content.decode())})
    assert Proposal.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(client, db):
    call = CallFactory()
    client.force_login(UserFactory())
    url = reverse("proposals:proposal_create", args=[call.slug])
    token = str(uuid.uuid4())
    refused = client.post(url, {**FORM, "title": "", "submission": token})
    assert refused.status_code == 200 and token in refused.content.decode()
    client.post(url, {**FORM, "submission": token})
    assert Proposal.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clicks_at_once_make_one_proposal(postgres):
    call = CallFactory()
    person = UserFactory()
    url = reverse("proposals:proposal_create", args=[call.slug])
    token = str(uuid.uuid4())
    clicks = 5  # fewer than the connections in the pool
    tabs = [Client() for _ in range(clicks)]
    for tab in tabs:
        tab.force_login(person)
    answers = at_once(*[partial(tab.post, url, {**FORM, "submission": token}) for tab in tabs])
    assert [answer.status_code for answer in answers] == [302] * clicks
    assert Proposal.objects.count() == 1
