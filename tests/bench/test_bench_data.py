"""The benchmark's data generator: a tiny council on PostgreSQL, consistent and browsable."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from bench.load import pages
from bench.management.commands.bench_data import LIVE_POLL, PUBLISHED_POLL, counter_drift
from consultations.models import Ballot, BallotChoice, Envelope, Participation, Poll, Result
from councils.models import Document, DocumentAttachment
from proposals.models import Proposal, Transition


@pytest.fixture
def bench_council(postgres, transactional_db):
    """`VACUUM` runs outside a transaction, hence a transactional test."""
    out = io.StringIO()
    call_command("bench_data", scale=0.0001, stdout=out)
    return out.getvalue()


@pytest.mark.postgres
def test_counters_equal_the_ballots(bench_council):
    assert "counters checked against ballots" in bench_council
    assert counter_drift() == []
    for poll in Poll.objects.prefetch_related("options"):
        assert Ballot.objects.filter(poll=poll).count() == poll.ballot_count > 0
        assert Participation.objects.filter(poll=poll).count() == poll.ballot_count
        marked = dict(
            BallotChoice.objects.filter(ballot__poll=poll)
            .values_list("option")
            .annotate(n=Count("pk"))
        )
        assert {o.pk: o.votes for o in poll.options.all() if o.votes} == marked
    result = Result.objects.get(poll__slug=PUBLISHED_POLL)
    assert result.ballots == result.participants
    assert result.receipts_sha256 == Ballot.objects.filter(poll=result.poll).receipts_sha256()
    assert not Envelope.objects.exists()
    assert not Result.objects.filter(poll__slug=LIVE_POLL).exists()


@pytest.mark.postgres
def test_proposals_went_along_the_pipeline_step_by_step(bench_council):
    moved = Proposal.objects.exclude(status=Proposal.Status.SUBMITTED)
    assert moved.exists()
    for proposal in moved.prefetch_related("transitions"):
        steps = [(t.from_status, t.to_status) for t in proposal.transitions.all()]
        assert steps[0][0] == Proposal.Status.SUBMITTED
        assert steps[-1][1] == proposal.status
        assert all(Proposal(status=old).can_move_to(new) for old, new in steps)
    assert Transition.objects.count() >= moved.count()


@pytest.mark.postgres
def test_every_benchmarked_page_answers_and_a_citizen_can_vote(bench_council, client):
    for name, url in pages().items():
        if url.startswith("/bench/"):
            continue  # the minimal view lives in bench.urls, not in the portal's URLs
        assert client.get(url).status_code == 200, name
    poll = Poll.objects.get(slug=LIVE_POLL)
    voter = (
        get_user_model()
        .objects.filter(username__startswith="citizen")
        .exclude(poll_participations__poll=poll)
        .first()
    )
    client.force_login(voter)
    response = client.post(poll.get_absolute_url() + "vote/", {"option": poll.options.first().pk})
    assert response.status_code == 303  # to the receipt
    assert Envelope.objects.filter(poll=poll).count() == 1
    assert counter_drift() == []


def test_bench_data_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_data", scale=0.0001)


@pytest.mark.postgres
def test_every_document_has_a_file_stored_under_a_random_name(bench_council, client):
    attachments = list(DocumentAttachment.objects.select_related("document"))
    assert len(attachments) == Document.objects.count() > 0
    for attachment in attachments:
        assert re.fullmatch(r"documents/\d{4}/[0-9a-f]{32}\.pdf", attachment.file.name)
        assert attachment.original_name == f"{attachment.document.registration_number} 첨부.pdf"
    public = next(a for a in attachments if a.document.is_public)
    assert client.get(public.get_absolute_url())["Content-Type"] == "application/pdf"
