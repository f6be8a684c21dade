"""Redis freezes (SIGSTOP: connections open, nothing answered), then wakes.

Requests must not wait for it (the cache gives up after a fraction of a second and skips Redis
for a few seconds; the outbox's drain is queued by a thread of its own), and once it answers
again its pages from before the freeze must not be served over changes made meanwhile.
"""

import time

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from consultations.models import Participation
from councils.models import Meeting
from proposals.models import Proposal
from tests.factories import (
    CallFactory,
    CouncilFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PollFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.faults.services import RedisServer, Sink, Site
from tests.faults.test_redis_outage import Browser

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
TITLE = "레디스가 멈춘 동안 공개한 회의"


@pytest.mark.django_db(transaction=True)
def test_a_frozen_redis_holds_no_request_and_no_old_page_outlives_it(postgres):
    council = CouncilFactory()
    group = WorkingGroupFactory(council=council)
    GroupMembershipFactory(group=group)
    meeting = MeetingFactory(group=group, title=TITLE)
    citizen = UserFactory(username="citizen")
    poll = PollFactory()
    call = CallFactory()
    redis = RedisServer()
    redis.start()
    group_page = group.get_absolute_url()
    try:
        with Sink() as sink, Site(REDIS_URL=redis.url, EMAIL_PORT=sink.port) as site:
            for _ in range(4):  # both site workers warm, the group page cached in Redis
                for path in (
                    "/",
                    group_page,
                    reverse("account_login"),
                    poll.get_absolute_url(),
                    meeting.get_absolute_url(),
                ):
                    requests.get(site.url + path, timeout=60)  # a cold start may take seconds
            assert TITLE not in requests.get(site.url + group_page, timeout=10).text

            redis.freeze()
            frozen_at = time.monotonic()
            person = Browser(site)
            person.sign_in(citizen.email)
            vote = person.post(
                reverse("consultations:poll_vote", args=[poll.slug]),
                form_path=poll.get_absolute_url(),
                option=str(poll.options.first().pk),
            )
            assert vote.status_code == 303  # to the receipt
            proposal = person.post(
                reverse("proposals:proposal_create", args=[call.slug]),
                title="레디스가 멈춘 동안 낸 제안",
                problem="문제",
                solution="해결",
            )
            assert proposal.status_code == 302
            lead = Browser(site)
            lead.sign_in(group.lead.user.email)
            published = lead.post(
                reverse("councils:meeting_action", args=[meeting.pk, "publish"]),
                form_path=meeting.get_absolute_url(),
            )
            assert published.status_code == 302
            while time.monotonic() - frozen_at < 3:  # frozen for a while, as in an incident
                time.sleep(0.1)

            redis.thaw()
            woke = time.monotonic()
            stale = []
            while time.monotonic() - woke < 2:
                started = time.monotonic()
                page = requests.get(site.url + group_page, timeout=10)
                if TITLE not in page.text:
                    stale.append(round(started - woke, 2))
        timings = [t for b in (person, lead) for t in b.timings]
    finally:
        redis.stop()
    slow = [t for t in timings if t[1] >= 1 or t[2] >= 500]
    assert slow == [], slow
    assert stale == [], f"the page before the change served {len(stale)} times after waking"
    assert Participation.objects.filter(user=citizen).exists()
    assert Proposal.objects.filter(author=citizen).count() == 1
    assert Meeting.objects.get(pk=meeting.pk).published_at <= timezone.now()
    longest = max(timings, key=lambda t: t[1])
    print(f"frozen Redis: {len(timings)} requests, slowest {longest[1]:.2f} s ({longest[0]})")
    for path, seconds, status in timings:
        print(f"  {seconds:.3f} s {status} {path}")
