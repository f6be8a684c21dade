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


def real_ballots(poll=None) -> list:
    """The ballots voters cast: the padding the count wrote beside them left out (their marks
    opened with the site's key, as only the count and freezing do)."""
    from consultations.models import Ballot

    ballots = Ballot.objects.all() if poll is None else Ballot.objects.filter(poll=poll)
    return [ballot for ballot in ballots if not ballot.is_padding]


from tests.verification.conftest import residents, sms  # noqa: E402, F401
