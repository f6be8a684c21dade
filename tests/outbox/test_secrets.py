"""The outbox never holds a readable secret: account e-mails are sealed, and erased once sent."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from outbox import services
from outbox.models import Message
from tests.factories import UserFactory

TOKEN_LINK = re.compile(r"/accounts/password/reset/key/[^/\s]+/")


def stored_text() -> str:
    """Every column of every stored message, as a copy of the database would show them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Message._meta.db_table}")  # noqa: S608
        return "\n".join(str(value) for row in cursor.fetchall() for value in row)


@pytest.fixture
def reset_requested(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        Client().post("/accounts/password/reset/", {"email": user.email})
    return user


def test_no_token_is_stored_when_a_reset_is_queued_nor_after_it_is_sent(reset_requested):
    message = Message.objects.get()
    assert message.is_sealed
    link = TOKEN_LINK.search(message.unsealed()[0]).group(0)
    assert link not in stored_text() and "/password/reset/key/" not in stored_text()

    services.outbox_drain()

    assert TOKEN_LINK.search(mail.outbox[0].body).group(0) == link
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert not message.is_sealed and message.body == "" and message.html_body == ""
    assert "/password/reset/key/" not in stored_text()


def test_an_account_e_mail_that_fails_for_good_keeps_no_seal(
    reset_requested, settings, monkeypatch
):
    settings.OUTBOX_MAX_ATTEMPTS = 1

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    services.outbox_drain()
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED and not message.is_sealed
    # Nothing is left to send again: the person asks for a new link.
    assert services.messages_retry(messages=Message.objects.all()) == 0


def test_the_admin_shows_no_sealed_text(reset_requested, staff_client):
    message = Message.objects.get()
    page = staff_client.get(f"/admin/outbox/message/{message.pk}/change/").content.decode()
    assert message.sealed not in page and "/password/reset/key/" not in page
