import pytest

from tests.factories import PollFactory, UserFactory


@pytest.fixture
def poll(db):
    return PollFactory(slug="ask")


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")


def option_ids(poll, *labels):
    return [o.pk for o in poll.options.filter(label__in=labels)]
