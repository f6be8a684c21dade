"""The outbox: one row per person and event, delivered once, failures kept for staff."""

import pytest
from django.core import mail
from django.urls import reverse

from ogp_portal.outbox import services
from ogp_portal.outbox.models import Message
from tests.factories import UserFactory


def write(people, key="event:1"):
    return services.emails_write(
        key=key,
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
    assert services.message_deliver(message_id=message.pk) == Message.Status.SENT
    assert len(mail.outbox) == 1


def test_refusals_are_retried_then_failed_and_sent_again_from_the_admin(
    db, monkeypatch, settings, staff_client, django_capture_on_commit_callbacks
):
    write([UserFactory()])
    message = Message.objects.get()
    with monkeypatch.context() as patch:
        patch.setattr(
            "django.core.mail.message.EmailMessage.send",
            lambda *a, **k: (_ for _ in ()).throw(OSError("refused")),
        )
        for _ in range(settings.OUTBOX_MAX_ATTEMPTS - 1):
            with pytest.raises(services.DeliveryError):
                services.message_deliver(message_id=message.pk)
        assert services.message_deliver(message_id=message.pk) == Message.Status.FAILED
    message.refresh_from_db()
    assert "refused" in message.last_error
    changelist = reverse("admin:outbox_message_changelist")
    assert (
        "refused"
        in staff_client.get(
            reverse("admin:outbox_message_change", args=[message.pk])
        ).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mail.outbox) == 1


def test_void_messages_are_never_sent(db):
    write([UserFactory()])
    assert services.messages_void(messages=Message.objects.all()) == 1
    message = Message.objects.get()
    assert services.message_deliver(message_id=message.pk) == Message.Status.VOID
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
