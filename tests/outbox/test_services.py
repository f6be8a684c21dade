"""The outbox: one row per person and event, delivered once, failures kept for staff."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import Kind, Message
from tests.factories import UserFactory


def status_after_a_drain(message) -> str:
    services.outbox_drain()
    message.refresh_from_db()
    return message.status


def write(people, key="event:1"):
    return services.emails_write(
        key=key,
        kind=Kind.CALLS,
        recipients=people,
        template="proposals/email/call.txt",
        context={"call": {"title": "공모"}, "event": "opened"},
    )


def test_one_message_per_person_and_event_whoever_writes_it(db):
    people = [UserFactory(), UserFactory(), UserFactory(email="")]
    assert write(people) == 2
    assert write(people) == 0
    assert Message.objects.count() == 2
    assert set(Message.objects.values_list("address", flat=True)) == {
        people[0].email,
        people[1].email,
    }


def test_each_person_reads_it_in_their_language(db):
    english = UserFactory(language="en")
    write([english, UserFactory()])
    subjects = dict(Message.objects.values_list("address", "subject"))
    assert "open" in subjects[english.email]
    assert "열렸" in "".join(subjects.values())


def test_a_message_is_delivered_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write([UserFactory()])
    message = Message.objects.get()
    assert status_after_a_drain(message) == Message.Status.SENT
    assert len(mail.outbox) == 1


def refuse_with(patch, error):
    def send(*args, **kwargs):
        raise error

    patch.setattr("django.core.mail.message.EmailMessage.send", send)


def test_temporary_refusals_wait_with_backoff_then_fail_and_go_again_from_the_admin(
    db, monkeypatch, settings, staff_client, django_capture_on_commit_callbacks
):
    write([UserFactory()])
    message = Message.objects.get()
    waits = []
    with monkeypatch.context() as patch:
        refuse_with(patch, smtplib.SMTPResponseException(421, b"try later"))
        for _ in range(settings.OUTBOX_MAX_ATTEMPTS):
            Message.objects.filter(pk=message.pk).update(due_at=timezone.now())
            services.outbox_drain()
            message.refresh_from_db()
            waits.append((message.due_at - timezone.now()).total_seconds())
            # Not due yet: nothing happens until the backoff has passed.
            assert services.outbox_drain() == 0
    assert message.status == Message.Status.FAILED
    assert message.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert waits[0] < waits[1] < waits[2]
    assert 3 < waits[0] < 7 and max(waits) < 900 * 1.2 + 1  # seconds at first, capped
    assert "try later" in message.last_error
    page = staff_client.get(reverse("admin:outbox_message_change", args=[message.pk]))
    assert "try later" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:outbox_message_changelist"),
            {"action": "send_again", "_selected_action": [message.pk]},
        )
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(550, b"no such mailbox"),
        smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such mailbox")}),
    ],
    ids=["550", "recipient refused"],
)
def test_a_permanent_refusal_fails_at_once(db, monkeypatch, error):
    write([UserFactory()])
    message = Message.objects.get()
    refuse_with(monkeypatch, error)
    assert status_after_a_drain(message) == Message.Status.FAILED


def test_a_message_keeps_its_message_id_at_every_attempt(db, monkeypatch):
    write([UserFactory()])
    message = Message.objects.get()
    with monkeypatch.context() as patch:
        refuse_with(patch, TimeoutError("timed out"))
        services.outbox_drain()
    Message.objects.filter(pk=message.pk).update(due_at=timezone.now())
    services.outbox_drain()
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id_of(message)


@pytest.mark.parametrize(
    ("column", "seconds"), [("due_at", 20), ("lease_until", 40), ("due_at", 90)]
)
def test_a_retry_or_a_lease_coming_due_within_a_minute_gets_a_drain_then(
    db, monkeypatch, column, seconds
):
    from outbox.tasks import drain_outbox

    monkeypatch.setitem(drain_outbox.app.conf, "task_always_eager", False)
    queued = []
    monkeypatch.setattr(drain_outbox, "apply_async", lambda **kw: queued.append(kw["countdown"]))
    write([UserFactory()])
    now = timezone.now()
    Message.objects.update(**{column: now + dt.timedelta(seconds=seconds)})
    answer = services.drain_follow_up(now=now)
    if seconds > services.FOLLOW_UP_SECONDS:
        assert answer is None and queued == []  # beat's next drain takes it
    else:
        assert queued == [answer] and seconds <= answer < seconds + 1


def test_a_lease_that_ran_out_is_taken_again(db):
    write([UserFactory()])
    message = Message.objects.get()
    held = timezone.now() + dt.timedelta(seconds=30)
    Message.objects.filter(pk=message.pk).update(lease_until=held, attempts=1)
    assert services.outbox_drain() == 0  # another worker holds it
    expired = timezone.now() - dt.timedelta(seconds=1)
    Message.objects.filter(pk=message.pk).update(lease_until=expired)
    assert services.outbox_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.lease_until) == ("sent", 2, None)


def test_a_drain_sends_a_batch_over_one_connection(db, monkeypatch):
    write([UserFactory() for _ in range(5)])
    opened = []
    real = services.get_connection

    def counting(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(services, "get_connection", counting)
    assert services.outbox_drain() == 5
    assert len(opened) == 1


def test_void_messages_are_never_sent(db):
    write([UserFactory()])
    assert services.messages_void(messages=Message.objects.all()) == 1
    message = Message.objects.get()
    assert status_after_a_drain(message) == Message.Status.VOID
    assert mail.outbox == []


def test_staff_read_the_outbox_but_never_write_or_delete_in_it(staff_client, db):
    write([UserFactory()])
    message = Message.objects.get()
    assert staff_client.get(reverse("admin:outbox_message_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:outbox_message_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:outbox_message_delete", args=[message.pk])).status_code
        == 403
    )
