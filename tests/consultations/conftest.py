import pytest

from tests.factories import PollFactory


@pytest.fixture
def poll(db):
    return PollFactory(slug="ask")


def option_ids(poll, *labels):
    return [o.pk for o in poll.options.filter(label__in=labels)]


def count_all(poll):
    """What freezing does first: every sealed envelope of the poll into the ballot box."""
    from consultations import services

    return services.ballots_count(poll=poll, everything=True)


from tests.verification.conftest import residents, sms  # noqa: E402, F401
