"""Turnout: every ballot, online and on site, per person the poll's requirement lets vote."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations import services
from consultations.models import Booth, Result
from public_site import opendata
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory
from tests.verification.conftest import KIM
from verification import services as verification
from verification.models import Method

ON_SITE = [
    {"name": "박지훈", "birth_date": dt.date(1975, 11, 30), "district": "nam"},
    {"name": "최유나", "birth_date": dt.date(1988, 5, 5), "district": "dong"},
    {"name": "정하늘", "birth_date": dt.date(2001, 9, 9), "district": "seo"},
]


def resident(n: int, *, born=dt.date(1980, 1, 1)):
    person = UserFactory()
    verification.verification_in_person(
        user=person, name=f"주민{n}", birth_date=born, district="seo", by=None
    )
    return person


def closed(poll):
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    return poll


def residents_poll_with_on_site_voters(**fields):
    """A residents' poll from age 14: 40 accounts with an e-mail address only, 2 verified
    residents of age (one votes online), 1 resident under 14, and 3 people at a booth with no
    account, one of them KIM of the residents' list."""
    poll = PollFactory(required_verification=Method.RESIDENT, minimum_age=14, **fields)
    UserFactory.create_batch(40)
    online_voter, _stays_home = resident(1), resident(2)
    resident(3, born=timezone.localdate() - dt.timedelta(days=365 * 10))  # too young
    services.poll_vote(poll=poll, user=online_voter, option_ids=option_ids(poll, "찬성"))
    booth = Booth.objects.create(poll=poll, name="용봉동", place="북구", opening_hours="9–18")
    for person in [KIM, *ON_SITE[:2]]:
        services.booth_participation_record(booth=booth, **person, id_checked=True)
    yes, no = (o.pk for o in poll.options.all())
    services.booth_totals_enter(booth=booth, ballots=3, invalid=0, votes={yes: 1, no: 2})
    return closed(poll)


# Done when: turnout of a residents-only poll with on-site voters equals the hand-computed
# figure and stays ≤ 100 % in page, CSV and JSON.


@pytest.mark.django_db(transaction=True)
def test_turnout_counts_ballots_online_and_on_site_per_person_the_poll_lets_vote(client):
    poll = residents_poll_with_on_site_voters()
    result = services.poll_freeze(poll=poll)

    # By hand: 4 ballots (1 online + 3 on site); eligible = 2 residents of age with an
    # account + 3 on-site voters without one = 5; 4 ÷ 5 = 80.0 %. The 40 e-mail-only accounts
    # and the resident under 14 do not count.
    assert (result.ballots, result.eligible, result.eligible_basis) == (4, 5, "verified")
    figures = result.turnout_figures()
    assert figures["ballots_online"] == 1 and figures["ballots_on_site"] == 3
    assert figures["turnout_percent"] == 80.0

    page = client.get(poll.get_absolute_url()).content.decode()
    assert "현장 투표" in page and "투표권자" in page and "80.0%" in page
    assert "광주 주민" in page  # what the eligible count counts
    data = client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).json()
    assert data["turnout"]["turnout_percent"] == 80.0 and data["turnout"]["eligible"] == 5
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("consultations:poll_download", args=[poll.slug, "csv"])
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[-1][1:] == ["4", "80.0"] and "투표율" in rows[-1][0]
    assert ["온라인 투표", "1", ""] in rows and ["현장 투표", "3", ""] in rows
    open_rows = opendata.rows("poll-results")
    assert {(r["eligible"], r["turnout_percent"], r["ballots_on_site"]) for r in open_rows} == {
        (5, 80.0, 3)
    }


@pytest.mark.django_db(transaction=True)
def test_a_stated_electorate_is_the_denominator_and_named(client):
    poll = residents_poll_with_on_site_voters(
        electorate=1000, electorate_source="북구 만 14세 이상 주민(2026년 11월)"
    )
    result = services.poll_freeze(poll=poll)
    assert (result.eligible, result.eligible_basis) == (1000, Result.Basis.STATED)
    assert result.turnout_figures()["turnout_percent"] == 0.4
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "북구 만 14세 이상 주민(2026년 11월)" in page and "0.4%" in page


@pytest.mark.django_db(transaction=True)
def test_turnout_never_passes_100_percent_even_with_a_stated_electorate_too_small(client):
    """Many on-site voters and a stale stated electorate: the people who voted are eligible."""
    poll = residents_poll_with_on_site_voters(electorate=2, electorate_source="오래된 수치")
    result = services.poll_freeze(poll=poll)
    assert result.eligible_basis == Result.Basis.VERIFIED and result.eligible == 5
    assert result.turnout <= 100
    data = client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).json()
    assert data["turnout"]["turnout_percent"] <= 100


@pytest.mark.django_db(transaction=True)
def test_an_e_mail_poll_counts_accounts_with_a_verified_address_only():
    poll = PollFactory()
    voters = UserFactory.create_batch(3)
    UserFactory.create_batch(2, verified=False)
    UserFactory(is_active=False)
    for person in voters:
        services.poll_vote(poll=poll, user=person, option_ids=option_ids(poll, "반대"))
    result = services.poll_freeze(poll=closed(poll))
    assert (result.ballots, result.eligible) == (3, 3)
    assert result.turnout == 100


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.django_db(transaction=True)
def test_the_turnout_is_labelled_in_both_languages(client, language):
    poll = residents_poll_with_on_site_voters()
    services.poll_freeze(poll=poll)
    with translation.override(language):
        url = poll.get_absolute_url()
    page = client.get(url).content.decode()
    expected = {
        "ko": ["온라인 투표", "현장 투표", "투표권자", "투표율", "만 14세 이상"],
        "en": ["Ballots online", "Ballots on site", "People eligible", "Turnout", "aged 14"],
    }[language]
    for label in expected:
        assert label in page
