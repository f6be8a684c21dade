"""Rows loaded per request are bounded: every public page stays under a number of model
instances, whether the council has a little or three times more of everything (the larger
data would take any unbounded list above the bound)."""

import datetime as dt
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Meeting
from tests.factories import (
    CallFactory,
    MeetingFactory,
    MinutesFactory,
    PollFactory,
    ProposalFactory,
    UserFactory,
    WorkingGroupFactory,
)

# Most model instances one request of a public page may build, at any size of the data.
MOST_INSTANCES = 150


@contextmanager
def instances():
    """Counts the model instances built (loaded or created) inside the block, by model."""
    built = Counter()

    def count(sender, **kwargs):
        built[sender._meta.label] += 1

    post_init.connect(count, weak=False)
    try:
        yield built
    finally:
        post_init.disconnect(count)


@pytest.fixture(params=[1, 3], ids=["small", "three times larger"])
def council_data(request, demo):
    """The demo council plus, per step of size: 30 meetings with minutes (over the years),
    10 committee meetings, 50 working groups, 60 proposals in one call and 60 polls."""
    size = request.param
    council = Council.objects.get()
    now = timezone.now()
    person = UserFactory()
    group = WorkingGroupFactory(council=council, slug="bounded")
    for n in range(30 * size):  # one every 40 days: the calendar feed holds the last year's
        MinutesFactory(
            meeting__group=group,
            meeting__starts_at=now - dt.timedelta(days=40 * n + 3),
            author=person,
            status="published",
            published_at=now - dt.timedelta(days=40 * n),
        )
    MeetingFactory.create_batch(
        10 * size,
        group=None,
        council=council,
        kind=Meeting.Kind.REGULAR,
        starts_at=now - dt.timedelta(days=40),
        published_at=now - dt.timedelta(days=50),
    )
    # The roster lists every current member (the council's rules bound it): the new groups
    # share a lead instead of growing the committee.
    lead = group.lead
    WorkingGroupFactory.create_batch(50 * size, council=council, lead=lead)
    call = CallFactory(slug="bounded")
    ProposalFactory.create_batch(60 * size, call=call, author=person, title="태양광 제안")
    PollFactory.create_batch(60 * size)
    return {"group": group, "call": call, "proposal": call.proposals.first()}


def test_every_public_page_builds_a_bounded_number_of_instances(client, council_data):
    pages = [
        "/",
        "/en/",
        reverse("tracker"),
        reverse("councils:committee"),
        reverse("councils:group_list"),
        council_data["group"].get_absolute_url(),
        Meeting.objects.filter(minutes__isnull=False).first().get_absolute_url(),
        reverse("proposals:call_list"),
        council_data["call"].get_absolute_url(),
        council_data["proposal"].get_absolute_url(),
        reverse("consultations:poll_list"),
        reverse("opendata"),
        reverse("repository"),
        reverse("opendata_dataset", args=["proposals", "json"]),
        reverse("opendata_dataset", args=["meetings", "csv"]),
        reverse("search") + "?q=태양광",
        reverse("feed_news"),
        reverse("feed_results"),
        reverse("councils:meetings_ical"),
    ]
    for url in pages:
        with instances() as built:
            assert client.get(url).status_code == 200, url
        assert sum(built.values()) <= MOST_INSTANCES, (url, built.most_common(5))
