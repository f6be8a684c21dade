import pytest
from django.test import override_settings

from consultations import services, tasks
from consultations.models import Ballot, Envelope, Poll
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory


@pytest.mark.django_db(transaction=True)  # the count VACUUMs the envelopes, outside transactions
@override_settings(POLL_BALLOTS_PER_BATCH=2, POLL_COUNT_WITHIN_SECONDS=30 * 24 * 3600)
def test_beat_counts_waiting_envelopes_and_is_safe_to_run_twice():
    poll = PollFactory()
    for _ in range(5):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    assert tasks.count_ballots.delay().get() == 3
    assert tasks.count_ballots.delay().get() == 0
    # The three voters' ballots and the batch's two blank ones.
    assert Ballot.objects.count() == 3 + 2 and Poll.objects.get().ballot_count == 3
    assert Envelope.objects.count() == 2
    assert services.polls_drift(polls=[poll]) == []
