"""Redis stops: the site keeps answering, what people did is kept, mail follows its return."""

import re
import time

import pytest
import requests
from celery import Celery
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from consultations.models import Participation
from councils.models import Meeting
from outbox.models import Message
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
from tests.faults.services import RedisServer, Sink, Site, Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
PASSWORD = "a-long-test-password"


class Browser:
    """A person at the site over HTTP, timing every answer."""

    def __init__(self, site):
        self.site = site
        self.session = requests.Session()
        self.timings = []

    def request(self, method, path, **data):
        started = time.monotonic()
        response = self.session.request(
            method, self.site.url + path, data=data or None, allow_redirects=False, timeout=10
        )
        self.timings.append((path, time.monotonic() - started, response.status_code))
        return response

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form_path=None, **data):
        """Posts `data` the way the form at `form_path` (or `path`) would, with its tokens."""
        page = self.get(form_path or path).text
        for name in ("csrfmiddlewaretoken", "submission"):
            found = re.search(rf'name="{name}" value="([^"]+)"', page)
            if found:
                data[name] = found.group(1)
        self.last = (path, data)
        return self.request("POST", path, **data)

    def send_again(self):
        """The same form once more: a double click, or a retry after an error page."""
        path, data = self.last
        return self.request("POST", path, **data)

    def sign_in(self, email):
        response = self.post(reverse("account_login"), login=email, password=PASSWORD)
        assert response.status_code == 302, response.text[:500]


@pytest.mark.django_db(transaction=True)
def test_the_site_works_while_redis_is_down_and_mail_follows_its_return(postgres):
    council = CouncilFactory()
    group = WorkingGroupFactory(council=council)
    GroupMembershipFactory(group=group)
    meeting = MeetingFactory(group=group, title="레디스 없는 회의")
    citizen = UserFactory(username="citizen")
    poll = PollFactory()
    call = CallFactory()
    redis = RedisServer()
    redis.start()
    with Sink() as sink, Site(REDIS_URL=redis.url, EMAIL_PORT=sink.port) as site:
        for _ in range(4):  # both site workers warm, as on a site that has been running
            requests.get(site.url + "/", timeout=30)
        redis.stop()

        visitor = Browser(site)
        published = MeetingFactory(group=group, title="공개된 회의", published_at=timezone.now())
        public_pages = [
            "/",
            "/en/",
            "/ask/",
            poll.get_absolute_url(),
            reverse("proposals:call_list"),
            call.get_absolute_url(),
            reverse("councils:committee"),
            reverse("councils:group_list"),
            group.get_absolute_url(),
            published.get_absolute_url(),
            reverse("tracker"),
            reverse("repository"),
            "/data/",
            "/data/proposals.json",
            "/data/meetings.csv",
            "/feeds/news.atom",
            "/feeds/results.atom",
            reverse("councils:meetings_ical"),
            "/search/?q=회의",
        ]
        for path in public_pages:
            assert visitor.get(path).status_code == 200, path
        signup = visitor.post(
            reverse("account_signup"),
            email="new@example.org",
            display_name="새 시민",
            password1=PASSWORD,
            password2=PASSWORD,
            is_14_or_older="on",
            agree_terms="on",
            agree_privacy="on",
        )
        assert signup.status_code == 302

        person = Browser(site)
        person.sign_in(citizen.email)
        vote = person.post(
            reverse("consultations:poll_vote", args=[poll.slug]),
            form_path=poll.get_absolute_url(),
            option=str(poll.options.first().pk),
        )
        assert vote.status_code == 303 and Participation.objects.filter(user=citizen).exists()
        proposal = person.post(
            reverse("proposals:proposal_create", args=[call.slug]),
            title="레디스 없이 낸 제안",
            problem="문제",
            solution="해결",
        )
        assert proposal.status_code == 302 and Proposal.objects.filter(author=citizen).exists()
        assert person.send_again().status_code == 302
        assert Proposal.objects.filter(author=citizen).count() == 1

        lead = Browser(site)
        lead.sign_in(group.lead.user.email)
        published = lead.post(
            reverse("councils:meeting_action", args=[meeting.pk, "publish"]),
            form_path=meeting.get_absolute_url(),
        )
        assert published.status_code == 302 and Meeting.objects.get(pk=meeting.pk).is_published
        assert lead.send_again().status_code == 302  # "already published", nothing sent twice
        assert meeting.notices.get(kind="published").messages.count() == 2  # lead and member
        scheduled = lead.post(
            reverse("councils:meeting_schedule", args=[group.slug]),
            title="두 번 누른 회의",
            format="in_person",
            starts_at="2031-05-06T19:00",
            ends_at="2031-05-06T21:00",
            venue="광주",
            agenda="안건",
            publish="1",
        )
        assert scheduled.status_code == 302 and lead.send_again().status_code == 302
        assert Meeting.objects.filter(title="두 번 누른 회의").count() == 1

        slow = [t for b in (visitor, person, lead) for t in b.timings if t[1] >= 1 or t[2] >= 500]
        assert slow == [], slow
        due = Message.objects.filter(due_at__lte=timezone.now())
        # The confirmation, the proposal's receipt and the meeting's notices wait in the outbox.
        assert due.filter(status=Message.Status.PENDING).count() >= 3
        assert sink.received == []

        # Redis returns; a worker and beat's next tick drain the outbox.
        redis.start()
        worker = Worker(REDIS_URL=redis.url, EMAIL_PORT=sink.port)
        worker.start()
        try:
            app = Celery(broker=redis.url)
            app.send_task("outbox.tasks.drain_outbox", queue=settings.CELERY_TASK_DEFAULT_QUEUE)
            app.close()
            assert wait_for(lambda: not due.filter(status="pending").exists(), 60)
        finally:
            worker.stop()
            redis.stop()
    assert {"new@example.org", citizen.email} <= {rcpt for rcpt, _ in sink.received}
