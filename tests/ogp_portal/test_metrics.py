import datetime as dt
import uuid

import pytest
import redis
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from consultations import services
from consultations.models import Poll
from consultations.tasks import reconcile_polls
from ogp_portal.models import TaskRun
from outbox.models import Message
from tests.consultations.conftest import count_all, option_ids
from tests.factories import MessageFactory, PollFactory, UserFactory

TOKEN = "s3cr3t-metrics-token-for-the-tests-only"


@pytest.fixture
def metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["10.8.0.0/24"]
    return settings


@pytest.fixture
def queue(metrics_settings, redis_url):
    """A Celery queue of this test's own in Redis, with three tasks waiting in it."""
    name = f"metrics-test-{uuid.uuid4().hex}"
    metrics_settings.CELERY_TASK_DEFAULT_QUEUE = name
    client = redis.Redis.from_url(redis_url)
    client.rpush(name, "a", "b", "c")
    yield name
    client.delete(name)
    client.close()


def samples(content: bytes) -> dict:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(content.decode())
        for sample in family.samples
    }


def test_metrics_give_the_portals_gauges_to_the_token(client, db, queue, django_assert_num_queries):
    now = timezone.now()
    poll = PollFactory(slug="bus-lanes")
    PollFactory(
        slug="closed", closes_at=now - dt.timedelta(hours=1), opens_at=now - dt.timedelta(days=2)
    )
    for _ in range(2):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    count_all(poll)
    for _ in range(3):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    MessageFactory(due_at=now - dt.timedelta(minutes=10))
    MessageFactory(due_at=now + dt.timedelta(hours=1))
    MessageFactory(status=Message.Status.FAILED)
    MessageFactory(status=Message.Status.SENT)
    reconcile_polls.delay()  # a periodic task: its success is recorded by the signal handler

    # Outbox by status, its oldest due, open polls, their envelopes, the periodic tasks.
    with django_assert_num_queries(5):
        response = client.get(reverse("metrics"), headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = samples(response.content)
    assert found[("ogp_outbox_pending", ())] == 2
    assert found[("ogp_outbox_failed", ())] == 1
    assert 600 <= found[("ogp_outbox_oldest_due_age_seconds", ())] < 900
    assert found[("ogp_poll_envelopes_waiting", (("poll", "bus-lanes"),))] == 3
    assert found[("ogp_poll_votes_accepted", (("poll", "bus-lanes"),))] == 5
    assert Poll.objects.get(slug="bus-lanes").ballot_count == 2
    assert not any(labels == (("poll", "closed"),) for _name, labels in found)
    assert found[("ogp_celery_queue_length", ())] == 3
    last_run = TaskRun.objects.get(name="consultations.tasks.reconcile_polls").succeeded_at
    task = ("ogp_task_last_success_timestamp_seconds", (("task", reconcile_polls.name),))
    assert found[task] == pytest.approx(last_run.timestamp())


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong-token"}, id="wrong-token"),
        pytest.param({"Authorization": f"Basic {TOKEN}"}, id="not-a-bearer-token"),
    ],
)
def test_metrics_are_not_public(client, db, metrics_settings, headers):
    response = client.get(reverse("metrics"), headers=headers)
    assert response.status_code == 404
    assert b"ogp_" not in response.content


def test_metrics_without_a_token_set_refuse_an_empty_bearer(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    response = client.get(reverse("metrics"), headers={"Authorization": "Bearer "})
    assert response.status_code == 404


def test_metrics_answer_an_internal_network_without_the_token(client, db, metrics_settings):
    inside = client.get(reverse("metrics"), REMOTE_ADDR="10.8.0.7")
    outside = client.get(reverse("metrics"), REMOTE_ADDR="10.9.0.7")
    assert inside.status_code == 200 and b"ogp_outbox_pending" in inside.content
    assert outside.status_code == 404


def test_a_forwarded_address_does_not_open_the_metrics(client, db, metrics_settings):
    """Behind no trusted proxy, X-Forwarded-For is the client's own word and counts for nothing."""
    response = client.get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": "10.8.0.7"}
    )
    assert response.status_code == 404
