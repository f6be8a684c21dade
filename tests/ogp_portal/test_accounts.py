import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from outbox import tasks
from outbox.models import Message
from tests.factories import CONSENT, UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


def test_signup_and_login_use_the_e_mail_address(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "display_name": "새 시민",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            **CONSENT,
        },
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


SIGN_UP = {
    "email": "new@example.org",
    "display_name": "새 시민",
    "password1": "a-long-test-password",
    "password2": "a-long-test-password",
    **CONSENT,
}


def test_a_new_address_is_not_verified_until_confirmed(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGN_UP)
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.get(email="new@example.org").verified
    assert len(mailoutbox) == 1
    assert Message.objects.get().status == Message.Status.SENT


def test_sign_up_succeeds_while_the_mail_server_fails_and_the_confirmation_follows(
    client, db, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.message.EmailMessage.send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_signup"), SIGN_UP)
        assert response.status_code == 302
    assert EmailAddress.objects.filter(email="new@example.org").exists()
    confirmation = Message.objects.get(address="new@example.org")
    assert (confirmation.status, confirmation.attempts) == (Message.Status.PENDING, 1)
    assert mailoutbox == []
    # The mail server is back when the backoff has passed; beat's drain sends it.
    Message.objects.filter(pk=confirmation.pk).update(due_at=timezone.now())
    tasks.drain_outbox.apply()
    confirmation.refresh_from_db()
    assert confirmation.status == Message.Status.SENT
    assert mailoutbox[0].to == ["new@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("prefix", "greeting", "site"),
    [("", "안녕하세요", "광주 OGP 추진 협의회"), ("/en", "Hello", "Gwangju OGP Council")],
)
def test_the_confirmation_e_mail_speaks_the_language_and_its_link_stands_alone(
    client, db, mailoutbox, django_capture_on_commit_callbacks, prefix, greeting, site
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(prefix + reverse("account_signup"), SIGN_UP)
    email = mailoutbox[0]
    assert email.subject.startswith(f"[{site}] ")
    assert email.body.startswith(greeting)
    links = [line for line in email.body.splitlines() if "/accounts/confirm-email/" in line]
    # On a line of its own: no particle or full stop glued to the address.
    assert len(links) == 1 and links[0].startswith("http") and " " not in links[0]
    assert client.get(links[0].split("testserver", 1)[1]).status_code == 200
