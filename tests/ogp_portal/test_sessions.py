"""A copy of the database opens no session (`ogp_portal.sessions`)."""

import re

from django.contrib.sessions.backends import db as plain
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from ogp_portal.sessions import SessionStore
from outbox.models import Message
from tests.conftest import second_factor
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


def test_a_sessions_row_key_signs_nobody_in(db):
    """The attack run took a row's key from `django_session` and sent it as the cookie: it was
    the person, staff past their second factor included."""
    staff = second_factor(UserFactory(username="clerk", is_staff=True))
    browser = Client()
    browser.force_login(staff)
    cookie = browser.cookies["sessionid"].value
    assert browser.get(reverse("admin:index")).status_code == 200
    (row,) = Session.objects.all()
    assert row.session_key != cookie
    thief = Client()
    thief.cookies["sessionid"] = row.session_key
    assert thief.get(reverse("admin:index")).status_code == 302  # to the sign-in
    assert thief.get(reverse("account_email")).status_code == 302


def test_a_sessions_data_is_sealed(db):
    person = UserFactory()
    browser = Client()
    browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert browser.get(reverse("account_email")).status_code == 200
    (row,) = Session.objects.all()
    assert row.session_data.startswith("gAAAA")  # Fernet
    assert plain.SessionStore().decode(row.session_data) == {}  # Django's own reading
    assert SessionStore().decode(row.session_data)["_auth_user_id"] == str(person.pk)


def test_the_code_of_a_sign_in_by_code_is_not_in_the_database(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    """The attack run asked for a code for someone else's address, read it from its own
    session's row, and signed in as them without their mailbox."""
    person = UserFactory()
    attacker = Client()
    with django_capture_on_commit_callbacks(execute=True):
        attacker.post(reverse("account_request_login_code"), {"email": person.email})
    code = re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", mailoutbox[-1].body, re.MULTILINE).group()
    rows = list(Session.objects.values_list("session_key", "session_data"))
    assert rows
    for key, data in rows:
        assert code not in data and person.email not in data
        assert key != attacker.cookies["sessionid"].value
    assert not Message.objects.filter(body__contains=code).exists()
