"""Delivery to real SMTP servers: answers 421 and 550, a tarpit, two drains at once."""

import pytest

from outbox import services
from outbox.models import Kind, Message
from tests.conftest import at_once
from tests.factories import UserFactory
from tests.faults.services import Sink, Tarpit


def write(count: int):
    services.emails_write(
        key="event",
        kind=Kind.CALLS,
        recipients=[UserFactory() for _ in range(count)],
        template="proposals/email/call.txt",
        context={"call": {"title": "공모"}, "event": "opened"},
    )


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 2

    def to(port: int):
        settings.EMAIL_PORT = port

    return to


@pytest.mark.parametrize(
    ("code", "status"), [(421, Message.Status.PENDING), (550, Message.Status.FAILED)]
)
def test_what_the_mail_server_answers_decides_the_retry(db, smtp, code, status):
    write(1)
    with Sink(code=code) as sink:
        smtp(sink.port)
        services.outbox_drain()
    message = Message.objects.get()
    assert message.status == status and str(code) in message.last_error


def test_a_tarpit_delays_one_message_but_not_the_others(db, smtp):
    write(3)
    with Sink() as sink, Tarpit(then=sink.port) as tarpit:
        smtp(tarpit.port)
        services.outbox_drain(seconds=30)
        # The first connection hung until the timeout; the next one carried the other two.
        assert len(sink.received) == 2
        held = Message.objects.get(status=Message.Status.PENDING)
        assert "timed out" in held.last_error
        Message.objects.filter(pk=held.pk).update(due_at=held.created_at)
        services.outbox_drain()
    assert len(sink.received) == 3
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_send_each_message_once(postgres, smtp, monkeypatch):
    monkeypatch.setattr(services, "drain_enqueue", lambda: None)  # both drains start together
    write(300)
    with Sink(delay=0.002) as sink:
        smtp(sink.port)
        sent = at_once(services.outbox_drain, services.outbox_drain)
    assert sum(sent) == 300
    assert len(sink.received) == 300
    assert set(sink.per_recipient().values()) == {1}
