"""Small-count protection: a booth with fewer than k ballots is published nowhere on its own."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.disclosure import channels_disclosed
from consultations.models import Booth, Poll
from tests.consultations.conftest import option_ids
from tests.factories import CouncilFactory, PollFactory, UserFactory
from tests.verification.conftest import KIM

BOOTH = "용봉동 행정복지센터"


def channel(name, ballots, yes, kind="booth"):
    return {
        "channel": kind,
        "name": name,
        "ballots": ballots,
        "counts": [["찬성", yes], ["반대", ballots - yes]],
    }


@pytest.mark.parametrize(
    ("ballots", "rows"),
    [
        # online 40, booths of 12 and 1: the booth of one joins the next smallest.
        ([40, 12, 1], [("online", 40), ("other", 13)]),
        # two small booths together reach k: they are one row.
        ([40, 12, 6, 5], [("online", 40), ("A", 12), ("other", 11)]),
        # every booth large enough: all shown.
        ([40, 12, 10], [("online", 40), ("A", 12), ("B", 10)]),
        # nothing but one group of k left: the total alone.
        ([9, 3], []),
        ([30, 2], []),
    ],
)
def test_every_published_row_holds_at_least_k_ballots(ballots, rows):
    channels = [channel("", ballots[0], 0, kind="online")] + [
        channel(name, n, 1) for name, n in zip("ABC", ballots[1:], strict=False)
    ]
    published = channels_disclosed(channels, minimum=10)
    assert [(c["name"] or c["channel"], c["ballots"]) for c in published] == rows
    assert all(c["ballots"] >= 10 for c in published)
    if published:
        assert sum(c["ballots"] for c in published) == sum(ballots)
        assert sum(c["counts"][0][1] for c in published) == sum(c["counts"][0][1] for c in channels)


@pytest.fixture
def closed_with_a_booth_of_one(db, residents):
    """The attack: one resident recorded at a booth, paper totals 1 / 찬성 1 / 반대 0."""
    return with_a_booth_of_one(minimum=10)


def with_a_booth_of_one(*, minimum: int):
    CouncilFactory()
    poll = PollFactory(slug="small-booth", disclosure_minimum=minimum)
    booth = Booth.objects.create(poll=poll, name=BOOTH, place="북구", opening_hours="09–18")
    for n in range(12):
        services.poll_vote(
            poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대" if n % 2 else "찬성")
        )
    services.booth_participation_record(booth=booth, **KIM, id_checked=False)
    yes, no = option_ids(poll, "찬성")[0], option_ids(poll, "반대")[0]
    services.booth_totals_enter(booth=booth, ballots=1, invalid=0, votes={yes: 1, no: 0})
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    services.poll_freeze(poll=poll)
    return poll


def test_a_booth_with_fewer_than_k_ballots_is_not_published_separately_anywhere(
    closed_with_a_booth_of_one, client
):
    poll = closed_with_a_booth_of_one
    page = client.get(poll.get_absolute_url()).content.decode()
    # The booth stays listed as a place to vote; its ballots show in no row of a breakdown.
    assert f'<th scope="row">{BOOTH}' not in page and 'id="channels"' not in page
    assert 'id="disclosure-rule"' in page and "10" in page  # the rule, stated on the page

    data = client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).json()
    assert data["channels"] == [] and data["smallest_group_published"] == 10
    assert BOOTH not in json.dumps(data, ensure_ascii=False)

    download = client.get(reverse("consultations:poll_download", args=[poll.slug, "csv"]))
    rows = list(
        csv.reader(
            io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))
            if download.streaming
            else io.StringIO(download.content.decode("utf-8-sig"))
        )
    )
    assert all(BOOTH not in cell for row in rows for cell in row)

    package = client.get(reverse("evidence_package"))
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        for name in archive.namelist():
            assert BOOTH not in archive.read(name).decode("utf-8-sig"), name


def test_a_smaller_k_set_for_the_poll_shows_the_booths_that_reach_it(db, residents, client):
    poll = with_a_booth_of_one(minimum=2)
    data = client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).json()
    # The booth of one still cannot stand alone: it joins the online channel, and only the
    # total remains.
    assert data["channels"] == []


def test_a_booth_cannot_be_worked_out_from_counts_published_while_counting(db, residents, client):
    """The attack run read the online counts from the download between closing and the
    booth's totals, then the final result: the difference was the one resident's choice. The
    downloads, like the page, publish no count while the poll is closed and counting."""
    CouncilFactory()
    poll = PollFactory(slug="counting-booth")
    booth = Booth.objects.create(poll=poll, name=BOOTH, place="북구", opening_hours="09–18")
    for n in range(12):
        services.poll_vote(
            poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대" if n % 2 else "찬성")
        )
    services.booth_participation_record(booth=booth, **KIM, id_checked=False)
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    services.ballots_count(poll=poll, everything=True)
    assert poll.is_counting
    for extension in ("json", "csv"):
        answer = client.get(reverse("consultations:poll_download", args=[poll.slug, extension]))
        assert answer.status_code == 404, extension


def test_a_poll_voted_at_booths_shows_no_counts_while_voting(staff_client):
    """The attack run: the last live online counts, taken from the final result, gave the
    booths' totals. A poll with booths cannot show live results, whichever is set first."""
    live = PollFactory(results="live")
    page = staff_client.post(
        reverse("admin:consultations_booth_add"),
        {"poll": live.pk, "name": BOOTH, "place": "북구", "opening_hours": "09–18"},
    )
    assert page.status_code == 200 and not Booth.objects.exists()
    assert "마감 후에만 결과를 공개" in page.content.decode()

    poll = PollFactory(results="after_closing")
    Booth.objects.create(poll=poll, name=BOOTH, place="북구", opening_hours="09–18")
    poll.results = "live"
    with pytest.raises(ValidationError, match="마감 후에만"):
        poll.full_clean()


def test_once_voted_a_live_poll_cannot_turn_to_results_after_closing_and_take_booths(
    staff_client,
):
    """The attack run (from the code): staff switch a live poll to results after closing once
    votes are in, then add a booth; the final result minus the last live counts gives the
    booth's totals. When results are shown is fixed at the first vote."""
    poll = PollFactory(results="live")
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    poll.results = "after_closing"
    with pytest.raises(ValidationError, match="결과 공개 시점"):
        poll.full_clean()
    form = staff_client.get(reverse("admin:consultations_poll_change", args=[poll.pk]))
    assert 'name="results"' not in form.content.decode()  # shown, not editable
    poll.refresh_from_db()
    assert poll.results == "live"


def test_k_is_fixed_once_someone_has_voted(closed_with_a_booth_of_one, staff_client):
    """Attack run 5, item 2: staff lowered k to 2 after the votes and the published result,
    and every booth of two ballots came out on its own, with its voters' choices."""
    poll = closed_with_a_booth_of_one
    form = staff_client.get(reverse("admin:consultations_poll_change", args=[poll.pk]))
    assert 'name="disclosure_minimum"' not in form.content.decode()  # shown, not editable
    poll.disclosure_minimum = 2
    with pytest.raises(ValidationError, match="공개하는 최소 인원을 바꿀 수 없습니다"):
        poll.full_clean()
    # Nor by any other route: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.filter(pk=poll.pk).update(disclosure_minimum=2)
    poll.refresh_from_db()
    assert poll.disclosure_minimum == 10


def test_k_is_changed_freely_before_the_first_vote(db):
    poll = PollFactory(disclosure_minimum=10)
    poll.disclosure_minimum = 5
    poll.full_clean()
    poll.save()
    poll.refresh_from_db()
    assert poll.disclosure_minimum == 5
