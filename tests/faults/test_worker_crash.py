"""A notice to 1,000 members while its worker is killed again and again (SIGKILL)."""

import time

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.auth import get_user_model

from councils import services
from councils.models import GroupMembership
from outbox.models import Message
from tests.factories import MeetingFactory, WorkingGroupFactory
from tests.faults.services import RedisServer, Sink, Worker, wait_for

MEMBERS = 1000
KILLS = 20

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


def members(group, count: int):
    User = get_user_model()
    people = User.objects.bulk_create(
        User(username=f"member{n}", email=f"member{n}@example.org") for n in range(count)
    )
    GroupMembership.objects.bulk_create(GroupMembership(group=group, user=p) for p in people)


def kick(broker_url: str) -> None:
    """What beat does every minute: ask a worker to drain the outbox."""
    app = Celery(broker=broker_url)
    app.send_task("outbox.tasks.drain_outbox", queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    app.close()


@pytest.mark.django_db(transaction=True)
def test_killed_workers_lose_nothing_and_double_at_most_one_mail_per_kill(postgres, monkeypatch):
    group = WorkingGroupFactory()
    members(group, MEMBERS - 1)  # and the lead
    meeting = MeetingFactory(group=group, title="1,000명 회의")
    redis = RedisServer()
    redis.start()
    with Sink(delay=0.02) as sink:
        worker = Worker(REDIS_URL=redis.url, EMAIL_PORT=sink.port, OUTBOX_LEASE_SECONDS=4)
        try:
            # The request writes the rows; the test plays beat's part in asking for drains.
            monkeypatch.setattr("outbox.services.drain_enqueue", lambda: None)
            services.meeting_publish(meeting=meeting)
            announced = meeting.notices.get(kind="published").messages
            assert announced.count() == MEMBERS
            for _ in range(KILLS):
                before = len(sink.received)
                worker.start()
                kick(redis.url)
                assert wait_for(lambda n=before: len(sink.received) > n, 60), "no delivery"
                time.sleep(0.2)
                worker.kill()
            worker.start()

            def all_delivered():
                if len(sink.per_recipient()) == MEMBERS:
                    return True
                kick(redis.url)
                return False

            assert wait_for(all_delivered, 120, step=5), "mail missing after the kills"
        finally:
            worker.stop()
            redis.stop()
    counts = sink.per_recipient()
    assert len(counts) == MEMBERS  # nobody missing
    extra = sum(n - 1 for n in counts.values())
    assert extra <= KILLS, f"{extra} duplicates for {KILLS} kills"
    ids = {}
    for recipient, message_id in sink.received:
        ids.setdefault(recipient, set()).add(message_id)
    assert all(len(v) == 1 and "" not in v for v in ids.values())  # a resend keeps its id
    assert set(announced.values_list("status", flat=True)) == {Message.Status.SENT}
    print(f"{KILLS} kills: {MEMBERS} delivered, {extra} delivered twice")


@pytest.mark.django_db(transaction=True)
def test_what_a_killed_worker_held_goes_out_within_two_minutes(postgres, monkeypatch):
    group = WorkingGroupFactory()
    members(group, 199)
    meeting = MeetingFactory(group=group)
    redis = RedisServer()
    redis.start()
    with Sink(delay=0.05) as sink:
        worker = Worker(REDIS_URL=redis.url, EMAIL_PORT=sink.port)  # the default lease
        try:
            monkeypatch.setattr("outbox.services.drain_enqueue", lambda: None)
            services.meeting_publish(meeting=meeting)
            worker.start()
            kick(redis.url)
            assert wait_for(lambda: len(sink.received) > 5, 60), "no delivery"
            worker.kill()  # in the middle of its first batch of 100
            killed = time.monotonic()
            worker.start()
            # Beat: a drain every minute, the first right away (its worst phase for the lease).
            while len(sink.per_recipient()) < 200 and time.monotonic() - killed < 125:
                kick(redis.url)
                wait_for(lambda: len(sink.per_recipient()) == 200, 60)
            took = time.monotonic() - killed
        finally:
            worker.stop()
            redis.stop()
    assert len(sink.per_recipient()) == 200
    assert took < 120, f"the held messages went out {took:.0f} s after the kill"
    print(f"held by the killed worker, delivered {took:.0f} s after the kill")


@pytest.mark.django_db(transaction=True)
def test_a_worker_started_after_a_kill_resumes_at_once_and_frees_what_the_dead_one_held(
    postgres, monkeypatch
):
    group = WorkingGroupFactory()
    members(group, MEMBERS - 1)
    meeting = MeetingFactory(group=group)
    redis = RedisServer()
    redis.start()
    with Sink(delay=0.02) as sink:
        worker = Worker(REDIS_URL=redis.url, EMAIL_PORT=sink.port)  # the default lease
        try:
            monkeypatch.setattr("outbox.services.drain_enqueue", lambda: None)
            services.meeting_publish(meeting=meeting)
            worker.start()
            kick(redis.url)
            assert wait_for(lambda: len(sink.received) > 150, 60), "no delivery"
            worker.kill()  # mid-fan-out: a batch claimed, its drain never handed back
            at_kill = len(sink.received)
            worker.start()  # nobody asks for a drain: no beat, no new mail
            started = time.monotonic()
            assert wait_for(lambda: len(sink.received) > at_kill, 30), "no delivery after start"
            resumed = time.monotonic() - started
            assert wait_for(lambda: len(sink.per_recipient()) == MEMBERS, 120, step=0.5)
            everything = time.monotonic() - started
        finally:
            worker.stop()
            redis.stop()
    assert resumed < 15, f"deliveries resumed {resumed:.1f} s after the new worker started"
    print(
        f"killed at {at_kill} of {MEMBERS}: deliveries resumed {resumed:.1f} s after the new "
        f"worker started, all delivered after {everything:.1f} s (no beat)"
    )
