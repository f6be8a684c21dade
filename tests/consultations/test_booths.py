"""On-site voting at booths, requirements per poll, and the result per channel (issue #14)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Booth, Participation, Result
from privacy.services import account_delete
from tests.consultations.conftest import count_all, option_ids
from tests.factories import PollFactory, UserFactory
from tests.verification.conftest import KIM, LEE, code_in
from verification import services as verification
from verification.models import Method


@pytest.fixture
def resident_poll(db):
    return PollFactory(slug="residents", required_verification=Method.RESIDENT)


@pytest.fixture
def booth(resident_poll):
    return Booth.objects.create(
        poll=resident_poll,
        name="용봉동 행정복지센터",
        place="북구 용봉로 1",
        opening_hours="09:00–18:00",
    )


@pytest.fixture
def officer(booth):
    person = UserFactory(username="officer")
    booth.officers.add(person)
    return person


def vote(poll, person, label="찬성"):
    return services.poll_vote(poll=poll, user=person, option_ids=option_ids(poll, label))


def phone_verified(person, number: str, sms) -> None:
    verification.phone_code_send(user=person, number=number)
    verification.phone_code_confirm(user=person, code=code_in(sms[-1][1]))


def at_booth(booth, person, *, id_checked=False):
    return services.booth_participation_record(booth=booth, **person, id_checked=id_checked)


# Done when: a poll that requires "Gwangju resident" refuses a person with only a verified
# e-mail, with a clear message and a way to verify; the same person verified by the residents'
# list votes once, and cannot vote again on site or from a second account verified by the same
# phone or census entry.


def test_a_resident_poll_refuses_an_email_only_person_with_a_way_to_verify(
    client, citizen, resident_poll
):
    client.force_login(citizen)
    page = client.get(resident_poll.get_absolute_url()).content.decode()
    assert "광주 주민" in page
    assert reverse("verification:list") in page  # the way to verify
    response = client.post(
        reverse("consultations:poll_vote", args=[resident_poll.slug]),
        {"option": option_ids(resident_poll, "찬성")},
        follow=True,
    )
    assert "광주 주민" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_verified_resident_votes_once_and_not_again_at_a_booth(
    client, citizen, residents, resident_poll, booth
):
    verification.resident_verify(user=citizen, **KIM)
    client.force_login(citizen)
    url = reverse("consultations:poll_vote", args=[resident_poll.slug])
    response = client.post(url, {"option": option_ids(resident_poll, "찬성")}, follow=True)
    assert 'id="receipt-code"' in response.content.decode()
    again = client.post(url, {"option": option_ids(resident_poll, "반대")}, follow=True)
    assert "이미 이 투표에 참여하셨습니다." in again.content.decode()
    with pytest.raises(ValidationError, match="이미"):
        at_booth(booth, KIM)
    with pytest.raises(ValidationError, match="이미"):
        at_booth(booth, KIM, id_checked=True)
    assert Participation.objects.filter(poll=resident_poll).count() == 1


def test_a_second_account_with_the_same_census_entry_cannot_vote(citizen, residents, resident_poll):
    verification.resident_verify(user=citizen, **KIM)
    services.poll_vote(
        poll=resident_poll, user=citizen, option_ids=option_ids(resident_poll, "찬성")
    )
    second = UserFactory()
    with pytest.raises(ValidationError, match="다른 계정"):
        verification.resident_verify(user=second, **KIM)
    with pytest.raises(ValidationError, match="광주 주민"):
        services.poll_vote(
            poll=resident_poll, user=second, option_ids=option_ids(resident_poll, "찬성")
        )
    # even moved to the second account, the verification votes no second time
    held = citizen.verifications.get()
    verification.verification_move(verification=held, to_user=second)
    with pytest.raises(ValidationError, match="이미"):
        services.poll_vote(
            poll=resident_poll, user=second, option_ids=option_ids(resident_poll, "찬성")
        )
    assert Participation.objects.filter(poll=resident_poll).count() == 1


def test_a_second_account_with_the_same_phone_cannot_verify(citizen, sms):
    phone_poll = PollFactory(required_verification=Method.PHONE)
    phone_verified(citizen, "010-5555-1234", sms)
    services.poll_vote(poll=phone_poll, user=citizen, option_ids=option_ids(phone_poll, "찬성"))
    second = UserFactory()
    verification.phone_code_send(user=second, number="01055551234")
    assert "다른 포털 계정" in sms[-1][1]  # its owner hears of it; the second gets no code
    with pytest.raises(ValidationError, match="휴대전화"):
        services.poll_vote(poll=phone_poll, user=second, option_ids=option_ids(phone_poll, "찬성"))


@pytest.mark.parametrize("resident", [False, True], ids=["phone", "resident-and-phone"])
def test_a_voter_cannot_vote_again_from_a_new_account_after_deleting_theirs(
    citizen, residents, sms, resident
):
    """Every identity the voter proved stands once in the poll: a new account verified by the
    phone alone is refused, whether or not the first was also verified as a resident."""
    phone_poll = PollFactory(required_verification=Method.PHONE)
    if resident:
        verification.resident_verify(user=citizen, **KIM)
    phone_verified(citizen, "010-5555-1234", sms)
    vote(phone_poll, citizen)
    assert Participation.objects.get(poll=phone_poll).keys.count() == 1 + resident
    account_delete(user=citizen)
    second = UserFactory()
    phone_verified(second, "01055551234", sms)
    with pytest.raises(ValidationError, match="이미 이 투표에 참여"):
        vote(phone_poll, second)
    assert Participation.objects.filter(poll=phone_poll).count() == 1


def test_a_booth_voter_cannot_vote_online_afterwards(citizen, residents, resident_poll, booth):
    at_booth(booth, KIM)
    with pytest.raises(ValidationError, match="이미"):
        at_booth(booth, KIM)
    verification.resident_verify(user=citizen, **KIM)
    with pytest.raises(ValidationError, match="이미"):
        services.poll_vote(
            poll=resident_poll, user=citizen, option_ids=option_ids(resident_poll, "찬성")
        )
    assert Participation.objects.filter(poll=resident_poll).count() == 1


def test_a_person_not_on_the_list_needs_an_id(residents, booth):
    stranger = {"name": "정하늘", "birth_date": dt.date(1980, 1, 1), "district": "dong"}
    with pytest.raises(ValidationError, match="신분증"):
        at_booth(booth, stranger)
    participation = at_booth(booth, stranger, id_checked=True)
    assert participation.user is None and participation.booth == booth


def test_the_booth_checks_the_minimum_age(residents, booth):
    booth.poll.minimum_age = 19
    booth.poll.save(update_fields=["minimum_age"])
    with pytest.raises(ValidationError, match="19세"):
        at_booth(booth, LEE)


def test_booth_totals_that_do_not_match_are_refused(residents, booth):
    at_booth(booth, KIM)
    at_booth(booth, LEE)
    poll = booth.poll
    yes, no = (o.pk for o in poll.options.all())
    with pytest.raises(ValidationError, match="2명"):
        services.booth_totals_enter(booth=booth, ballots=3, invalid=0, votes={yes: 2, no: 1})
    with pytest.raises(ValidationError, match="합계"):
        services.booth_totals_enter(booth=booth, ballots=2, invalid=0, votes={yes: 2, no: 1})
    with pytest.raises(ValidationError):
        services.booth_totals_enter(booth=booth, ballots=2, invalid=0, votes={yes: 2})
    booth.refresh_from_db()
    assert booth.totals_entered_at is None
    services.booth_totals_enter(booth=booth, ballots=2, invalid=1, votes={yes: 1, no: 0})
    booth.refresh_from_db()
    assert booth.ballots == 2 and booth.totals_entered_at is not None


def test_a_result_waits_for_the_booths_totals(residents, booth):
    at_booth(booth, KIM)
    poll = booth.poll
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    with pytest.raises(ValidationError, match="용봉동"):
        services.poll_freeze(poll=poll)
    assert not Result.objects.exists()


# Done when: a published result shows online and on-site totals, per booth, adding up.


# Committed and emptied with TRUNCATE: a rolled-back count would leave dead ballot rows on disk,
# which tests/consultations/test_secrecy.py reads page by page.
@pytest.mark.django_db(transaction=True)
def test_the_published_result_shows_online_and_each_booth_adding_up(client, residents, booth):
    poll = booth.poll
    # Published with groups of at least 2, set before the first vote as it must be.
    poll.disclosure_minimum = 2
    poll.save(update_fields=["disclosure_minimum"])
    second = Booth.objects.create(
        poll=poll, name="수완동 행정복지센터", place="광산구", opening_hours="09:00–18:00"
    )
    online = [UserFactory() for _ in range(3)]
    extra = {"name": "박지훈", "birth_date": dt.date(1975, 11, 30), "district": "nam"}
    for n, person in enumerate(online):
        verification.verification_in_person(
            user=person,
            name=f"온라인{n}",
            birth_date=dt.date(1980, 1, 1),
            district="seo",
            by=None,
        )
        services.poll_vote(
            poll=poll, user=person, option_ids=option_ids(poll, "찬성" if n else "반대")
        )
    at_booth(booth, KIM)
    at_booth(booth, LEE)
    at_booth(second, extra)
    yes, no = (o.pk for o in poll.options.all())
    services.booth_totals_enter(booth=booth, ballots=2, invalid=0, votes={yes: 1, no: 1})
    services.booth_totals_enter(booth=second, ballots=1, invalid=0, votes={yes: 0, no: 1})
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    result = services.poll_freeze(poll=poll)

    assert result.counts == [["찬성", 3], ["반대", 3]]
    assert result.ballots == 6 and result.participants == 6
    names = [c["name"] or c["channel"] for c in result.channels]
    assert names == ["online", "수완동 행정복지센터", "용봉동 행정복지센터"]
    for position, (_label, total) in enumerate(result.counts):
        assert sum(c["counts"][position][1] for c in result.channels) == total
    assert sum(c["ballots"] for c in result.channels) == result.ballots

    # Published with groups of at least 2: the booth of one voter is merged with the next.
    page = client.get(poll.get_absolute_url()).content.decode()
    assert 'id="channels"' in page and "현장 기타" in page and "온라인" in page
    assert '<th scope="row">수완동' not in page
    data = client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).json()
    assert [c["ballots"] for c in data["channels"]] == [3, 3]
    assert count_all(poll) == 0  # every online ballot was counted; nothing waits


def test_only_the_booths_officers_use_its_page(client, booth, officer, citizen, secretariat):
    url = booth.get_absolute_url()
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x"}).status_code == 403
    other_booth = Booth.objects.create(
        poll=booth.poll, name="다른 곳", place="-", opening_hours="-"
    )
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.get(other_booth.get_absolute_url()).status_code == 403
    client.force_login(secretariat)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_an_officer_records_voters_and_totals_through_the_page(client, residents, booth, officer):
    client.force_login(officer)
    url = booth.get_absolute_url()
    response = client.post(
        url, {"name": "김민지", "birth_date": "1990-03-01", "district": "buk"}, follow=True
    )
    assert "종이 투표용지" in response.content.decode()
    refused = client.post(url, {"name": "김민지", "birth_date": "1990-03-01", "district": "buk"})
    assert refused.status_code == 400
    bad = client.post(url, {"name": "", "birth_date": "1990-02-31", "district": "buk"})
    assert bad.status_code == 400
    yes, no = (o.pk for o in booth.poll.options.all())
    wrong = client.post(url, {"ballots": 2, "invalid": 0, f"option_{yes}": 2, f"option_{no}": 0})
    assert wrong.status_code == 400
    right = client.post(url, {"ballots": 1, "invalid": 0, f"option_{yes}": 1, f"option_{no}": 0})
    assert right.status_code == 302
    booth.refresh_from_db()
    assert booth.ballots == 1
    assert Participation.objects.get().booth == booth


def test_demo_data_has_residents_a_booth_with_totals_and_a_residence_poll(demo, client):
    from verification.models import ResidentEntry

    assert ResidentEntry.objects.count() == 5
    onsite = Result.objects.get(poll__slug="demo-2021-onsite")
    assert [c["ballots"] for c in onsite.channels] == [8, 2, 3]
    assert onsite.counts == [["찬성", 10], ["반대", 3]] and onsite.ballots == 13
    resident_poll = Booth.objects.get(poll__slug="demo-resident-poll").poll
    assert resident_poll.required_verification == Method.RESIDENT
    assert resident_poll.booths.get().officers.filter(username="lead").exists()
    page = client.get(onsite.poll.get_absolute_url()).content.decode()
    # Groups of at least 3: the booths of 2 and 3 ballots show as one row beside online.
    assert '<th scope="row">용봉동' not in page and 'id="channels"' in page and "현장 기타" in page
