"""Closing a poll: one action, one answer; "closed · counting" until the result is published."""

import pytest
from django.urls import reverse
from django.utils import translation

from consultations import services
from consultations.models import Booth, Result
from tests.consultations.conftest import option_ids
from tests.verification.conftest import KIM


@pytest.fixture
def booth(poll):
    return Booth.objects.create(poll=poll, name="용봉동", place="북구", opening_hours="9–18")


def close_now(staff_client, poll):
    answer = staff_client.post(
        reverse("admin:consultations_poll_changelist"),
        {"action": "close_now", "_selected_action": [poll.pk]},
        follow=True,
    )
    return [(m.level_tag, str(m)) for m in answer.context["messages"]]


# Done when: closing a poll is one clear action with one clear answer: what is missing, what
# happens next, the state citizens see meanwhile; forms that no longer apply disappear.


@pytest.mark.django_db(transaction=True)
def test_closing_with_booth_totals_missing_says_what_is_missing_and_what_happens_next(
    staff_client, client, poll, booth, citizen
):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    services.booth_participation_record(booth=booth, **KIM, id_checked=True)

    said = close_now(staff_client, poll)
    assert len(said) == 1
    level, text = said[0]
    assert level == "warning"
    assert "투표가 마감되었습니다" in text and "용봉동" in text and "1분" in text
    assert not Result.objects.exists()

    page = client.get(poll.get_absolute_url()).content.decode()
    assert "마감 · 집계 중" in page and 'id="counting"' in page and "용봉동" in page
    assert "현재까지" not in page and "표 이상" not in page  # no "results so far … at least"

    officer_page = staff_client.get(booth.get_absolute_url()).content.decode()
    assert 'name="birth_date"' not in officer_page  # no more voters to record
    assert 'name="ballots"' in officer_page  # the totals are still to come

    yes, no = option_ids(poll, "찬성", "반대")
    services.booth_totals_enter(booth=booth, ballots=1, invalid=0, votes={yes: 0, no: 1})
    assert services.polls_close() == 1  # beat: nobody presses anything again
    result = Result.objects.get(poll=poll)
    assert result.counts == [["찬성", 1], ["반대", 1]]

    page = client.get(poll.get_absolute_url()).content.decode()
    assert "마감 · 집계 중" not in page and 'id="turnout"' in page
    officer_page = staff_client.get(booth.get_absolute_url()).content.decode()
    assert 'name="ballots"' not in officer_page and 'id="frozen"' in officer_page


@pytest.mark.django_db(transaction=True)
def test_closing_with_every_total_in_publishes_and_says_so(staff_client, poll, citizen):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    assert close_now(staff_client, poll) == [
        ("success", f"{poll}: 투표가 마감되었고 결과가 공개되었습니다.")
    ]
    assert Result.objects.filter(poll=poll).exists()


@pytest.mark.parametrize("language,badge", [("ko", "마감 · 집계 중"), ("en", "Closed · counting")])
def test_the_poll_list_shows_a_closed_poll_as_counting(client, poll, booth, language, badge):
    services.booth_participation_record(booth=booth, **KIM, id_checked=True)
    services.poll_close_now(poll=poll)
    with translation.override(language):
        url = reverse("consultations:poll_list")
    assert badge in client.get(url).content.decode()
