import pytest

from tests.factories import PollFactory


@pytest.fixture
def poll(db):
    return PollFactory(slug="ask")


def option_ids(poll, *labels):
    return [o.pk for o in poll.options.filter(label__in=labels)]
