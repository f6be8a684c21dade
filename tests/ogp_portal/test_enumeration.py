"""Sign-up, password reset and sign-in answer the same whether or not an address is registered."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from ogp_portal.models import User
from tests.factories import CONSENT, UserFactory

PASSWORD = "a-long-test-password"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def registered(db):
    return UserFactory(email="known@example.org")


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """What a stranger sees: the redirects, the final status and the page, with the CSRF token
    and the address they typed (which the page repeats back to them) set aside. The e-mails the
    request queues in the outbox are delivered when it commits."""

    def post(path: str, data: dict) -> tuple[list, int, str]:
        with django_capture_on_commit_callbacks(execute=True):
            return see(Client().post(path, data, follow=True), data)

    return post


def see(response, data: dict) -> tuple[list, int, str]:
    page = CSRF.sub('name="csrfmiddlewaretoken"', response.content.decode())
    address = data.get("email") or data.get("login")
    return response.redirect_chain, response.status_code, page.replace(address, "ADDRESS")


def signup(email: str) -> dict:
    return {
        "email": email,
        "display_name": "새 시민",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **CONSENT,
    }


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_sign_up_answers_the_same_for_a_registered_and_a_new_address(
    registered, mailoutbox, answer, prefix
):
    path = prefix + "/accounts/signup/"
    known = answer(path, signup("known@example.org"))
    new = answer(path, signup("new@example.org"))

    assert known == new
    chain, status, _page = new
    assert status == 200
    assert chain[-1][0] == prefix + "/accounts/confirm-email/"
    # Nobody got a second account; each address's owner got one e-mail saying what happened.
    assert User.objects.filter(email__iexact="known@example.org").count() == 1
    assert [m.to for m in mailoutbox] == [["known@example.org"], ["new@example.org"]]
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert "/accounts/confirm-email/" in mailoutbox[1].body


def test_sign_up_with_a_registered_address_does_not_sign_anyone_in(registered):
    client = Client()
    client.post(reverse("account_signup"), signup("known@example.org"))
    assert "_auth_user_id" not in client.session


def test_a_new_account_signs_in_only_after_confirming_its_address(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup("new@example.org"))
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    client.post(link)
    assert EmailAddress.objects.get(email="new@example.org").verified
    client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_password_reset_answers_the_same_for_a_registered_and_an_unknown_address(
    registered, mailoutbox, answer, prefix
):
    path = prefix + "/accounts/password/reset/"
    known = answer(path, {"email": "known@example.org"})
    unknown = answer(path, {"email": "nobody@example.org"})

    assert known == unknown
    chain, status, _page = unknown
    assert status == 200
    assert chain[-1][0] == prefix + "/accounts/password/reset/done/"
    # Only the registered address receives a reset link.
    assert [m.to for m in mailoutbox] == [["known@example.org"], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "/accounts/password/reset/key/" not in mailoutbox[1].body


def test_a_failed_sign_in_reads_the_same_for_a_registered_and_an_unknown_address(
    registered, answer
):
    path = reverse("account_login")
    known = answer(path, {"login": "known@example.org", "password": "wrong-password"})
    unknown = answer(path, {"login": "nobody@example.org", "password": "wrong-password"})
    assert known == unknown
