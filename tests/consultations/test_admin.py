from django.urls import reverse

from consultations import services
from consultations.models import Poll, Result
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory


def test_the_secretariat_publishes_and_closes_a_poll(staff_client, citizen):
    poll = PollFactory(published_at=None)
    changelist = reverse("admin:consultations_poll_changelist")
    staff_client.post(changelist, {"action": "publish", "_selected_action": [poll.pk]})
    poll.refresh_from_db()
    assert poll.is_published
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    staff_client.post(changelist, {"action": "close_now", "_selected_action": [poll.pk]})
    result = Result.objects.get(poll=poll)
    assert result.counts == [["찬성", 1], ["반대", 0]]
    assert not Poll.objects.get(pk=poll.pk).is_open
    page = staff_client.get(reverse("admin:consultations_result_change", args=[result.pk]))
    assert page.status_code == 200


def test_a_poll_with_ballots_keeps_its_question(staff_client, poll, citizen):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    page = staff_client.get(reverse("admin:consultations_poll_change", args=[poll.pk]))
    assert 'name="question"' not in page.content.decode()


def test_a_poll_without_two_options_is_not_published_and_staff_are_told(staff_client):
    bare = PollFactory(published_at=None, options=["찬성"])
    ready = PollFactory(published_at=None)
    answer = staff_client.post(
        reverse("admin:consultations_poll_changelist"),
        {"action": "publish", "_selected_action": [bare.pk, ready.pk]},
        follow=True,
    )
    said = [str(m) for m in answer.context["messages"]]
    assert any("선택지를 두 개 이상" in text for text in said)
    assert any("1개 투표를 공개했습니다" in text for text in said)
    assert not Poll.objects.get(pk=bare.pk).is_published
    assert Poll.objects.get(pk=ready.pk).is_published
