"""Sign-in sized for voting day: Argon2id at OWASP's minimum, old hashes upgraded at the next
sign-in, "keep me signed in" for a voting period, the cheap sign-ins on the same page."""

import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher
from django.test import override_settings
from django.urls import reverse

from ogp_portal.passwords import OwaspArgon2idHasher
from ogp_portal.settings import base
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


def test_production_stores_argon2id_first_and_still_reads_pbkdf2():
    hashers = base.PASSWORD_HASHERS
    assert hashers[0] == "ogp_portal.passwords.OwaspArgon2idHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]


def test_the_hash_is_argon2id_at_owasps_minimum_parameters():
    hasher = OwaspArgon2idHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    decoded = hasher.decode(encoded)
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (
        19 * 1024,
        2,
        1,
    )
    assert hasher.verify(PASSWORD, encoded)
    assert not hasher.must_update(encoded)


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
@pytest.mark.parametrize(
    "stored",
    [
        # Django's default until now (fewer iterations here, to keep the test quick).
        lambda: get_hasher("pbkdf2_sha256").encode(PASSWORD, "somesalt", iterations=1000),
        # Django's own Argon2id parameters (100 MiB, 8 lanes).
        lambda: Argon2PasswordHasher().encode(PASSWORD, "somesaltsomesalt"),
    ],
    ids=["pbkdf2", "argon2-django-defaults"],
)
def test_an_old_hash_is_stored_again_as_argon2id_at_the_next_sign_in(client, db, stored):
    person = UserFactory()
    person.password = stored()
    person.save(update_fields=["password"])
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert isinstance(identify_hasher(person.password), OwaspArgon2idHasher)
    assert not get_hasher("default").must_update(person.password)


def test_keep_me_signed_in_lasts_a_voting_period_otherwise_the_browser_session(client, db):
    person = UserFactory()
    page = client.get(reverse("account_login"))
    assert b'name="remember"' in page.content
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD, "remember": "on"}
    )
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 60 * 60


def test_the_cheap_sign_ins_are_on_the_sign_in_page(client, db):
    for provider in ("kakao", "naver"):
        SocialApp.objects.create(provider=provider, name=provider, client_id="id", secret="s")
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in page
    assert reverse("kakao_login") in page
    assert reverse("naver_login") in page


def test_a_code_by_e_mail_signs_in(client, db, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": person.email})
    assert response.status_code == 302
    code = re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", mailoutbox[-1].body, re.MULTILINE).group()
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
