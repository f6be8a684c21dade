"""Nothing in the database, the admin or an export ties a person to a choice."""

import csv
import io
import json
from pathlib import Path

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.db import models
from django.urls import reverse

from consultations import services
from consultations.models import Ballot, BallotChoice, Envelope, Option, Participation, Result
from tests.consultations.conftest import count_all, option_ids
from tests.factories import UserFactory

PERSONAL = {"user", "recipient", "author", "voter", "person", "email"}


def related_models(model):
    return {f.related_model for f in model._meta.get_fields() if f.is_relation}


def test_ballots_and_envelopes_know_no_person_and_no_time(db):
    from django.contrib.auth import get_user_model

    for model in [Ballot, BallotChoice, Envelope]:
        fields = model._meta.get_fields()
        assert {f.name for f in fields} & PERSONAL == set()
        assert not any(isinstance(f, models.DateField | models.TimeField) for f in fields)
        assert isinstance(model._meta.pk, models.UUIDField)  # no insertion order to line up
        assert get_user_model() not in related_models(model)
        assert Participation not in related_models(model)


def test_participations_know_no_ballot_and_no_choice(db):
    assert related_models(Participation) & {Ballot, Option} == set()
    assert all(not isinstance(f, models.DateTimeField) for f in Participation._meta.get_fields())


def test_the_unique_vote_constraint_is_in_the_first_migration():
    first = (Path(__file__).parents[2] / "consultations/migrations/0001_initial.py").read_text()
    assert "participation_once_per_person" in first


def test_the_admin_shows_no_ballot_and_no_participation(db):
    assert Ballot not in admin.site._registry
    assert Envelope not in admin.site._registry
    assert Participation not in admin.site._registry
    assert Result in admin.site._registry


def test_exports_and_admin_pages_hold_aggregates_only(client, poll):
    voters = [UserFactory(username=f"voter{n}", first_name=f"투표자{n}") for n in range(3)]
    receipts = [
        services.poll_vote(poll=poll, user=v, option_ids=option_ids(poll, "찬성")) for v in voters
    ]
    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    poll.results = "live"
    poll.save()
    count_all(poll)
    data = json.loads(
        client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).content
    )
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("consultations:poll_download", args=[poll.slug, "csv"])
                ).content.decode("utf-8-sig")
            )
        )
    )
    client.force_login(staff)
    admin_page = client.get(reverse("admin:consultations_poll_change", args=[poll.pk]))
    texts = [json.dumps(data, ensure_ascii=False), repr(rows), admin_page.content.decode()]
    for text in texts:
        for voter in voters:
            assert voter.username not in text and voter.email not in text
            assert voter.first_name not in text
        for receipt in receipts:
            assert receipt not in text
    assert rows[1][:2] == ["찬성", "3"]
