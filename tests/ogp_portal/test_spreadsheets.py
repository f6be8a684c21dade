"""Every CSV the site serves: one writer, every cell kept as text, rows intact."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services as polls
from ogp_portal.spreadsheets import csv_text, safe_cell
from tests.consultations.conftest import option_ids
from tests.factories import CallFactory, PollFactory, ProposalFactory, UserFactory

AWKWARD = [
    'say "yes"',
    "one, two",
    "first line\nsecond line",
    "=1+1",
    "+82-62",
    "-5",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example","x")',
]


def rows_of(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", AWKWARD)
def test_a_cell_reads_back_as_the_same_text_never_as_a_formula(text):
    (row,) = rows_of(csv_text(["label"], [[text]]).encode())[1:]
    assert row == [safe_cell(text)]
    assert not row[0].startswith(("=", "+", "-", "@"))
    assert row[0].lstrip("'") == text


def test_numbers_stay_numbers():
    assert rows_of(csv_text(["n"], [[-5], [3.5]]).encode())[1:] == [["-5"], ["3.5"]]


def test_the_call_report(client, db):
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    for title in AWKWARD:
        ProposalFactory(call=call, title=title)
    body = client.get(reverse("proposals:call_report", args=[call.slug]) + "?format=csv")
    titles = [row[1] for row in rows_of(body.content)[1:]]
    assert titles == [safe_cell(t) for t in AWKWARD]


def test_open_data(client, db):
    ProposalFactory(title=AWKWARD[-1])
    data = client.get(reverse("opendata_dataset", args=["proposals", "csv"]))
    (row,) = rows_of(data.content)[1:]
    assert "'" + AWKWARD[-1] in row


def test_the_poll_result(client, db):
    poll = PollFactory(results="live", options=["찬성", "반대", *AWKWARD])
    polls.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "=1+1"))
    polls.ballots_count(poll=poll, everything=True)
    body = client.get(reverse("consultations:poll_download", args=[poll.slug, "csv"]))
    rows = rows_of(body.content)
    assert rows[0] == ["option", "votes", "percent"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert set(by_label) == {safe_cell(label) for label in ["찬성", "반대", *AWKWARD]}
    assert by_label["'=1+1"] == ["1", "100.0"]
