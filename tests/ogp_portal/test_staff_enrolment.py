"""Staff enrolment by invitation: a staff password alone cannot set up the second factor."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ogp_portal import enrolment
from outbox.models import Message
from tests.factories import UserFactory
from tests.totp import current_code

MFA_SETUP = reverse("mfa_activate_totp")
PASSWORD = "a-long-test-password"


def signed_in(user) -> Client:
    """Signed in with the password, and confirmed again as the set-up asks, as an attacker
    who learnt the password would be."""
    client = Client()
    answer = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content.decode()[:400]
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def link_sent_to(user) -> str:
    message = Message.objects.filter(recipient=user, key__startswith="staff-invitation:").get()
    assert "/accounts/staff/enrol/" not in message.body + message.html_body  # sealed
    return re.search(r"/accounts/staff/enrol/[^/\s]+/", message.unsealed()[0]).group(0)


def test_totp_setup_without_the_invitation_token_is_refused(staff_without_mfa):
    client = signed_in(staff_without_mfa)
    page = client.get(MFA_SETUP)
    assert page.status_code == 403 and "초대" in page.content.decode()
    refused = client.post(MFA_SETUP, {"code": "123456"})
    assert refused.status_code == 403
    assert not Authenticator.objects.filter(user=staff_without_mfa).exists()


def test_the_invitation_opens_the_setup_once_for_its_own_account(staff_without_mfa, secretariat):
    enrolment.staff_invitation_send(user=staff_without_mfa, by=secretariat)
    link = link_sent_to(staff_without_mfa)
    # Another staff account without a factor cannot use it.
    other = UserFactory(is_staff=True)
    stranger = signed_in(other)
    assert stranger.post(link).status_code == 403
    assert stranger.get(MFA_SETUP).status_code == 403

    client = signed_in(staff_without_mfa)
    assert client.post(link)["Location"] == MFA_SETUP
    page = client.get(MFA_SETUP)
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    added = client.post(MFA_SETUP, {"code": current_code(secret)})
    assert added.status_code == 302
    assert Authenticator.objects.filter(user=staff_without_mfa, type="totp").exists()
    # The link worked once.
    assert client.post(link).status_code == 403


def test_a_stolen_password_cannot_send_the_invitation_to_another_address(
    staff_without_mfa, secretariat
):
    """The attack run, with a staff password alone: add an address of the attacker's, confirm
    it, make it primary; the secretariat's invitation then went there, and the attacker set
    up the second factor. A staff account without one changes no address until enrolled."""
    address = staff_without_mfa.email
    client = signed_in(staff_without_mfa)
    answer = client.post(
        reverse("account_email"), {"email": "attacker@example.net", "action_add": ""}
    )
    assert answer.status_code == 403
    assert not EmailAddress.objects.filter(email="attacker@example.net").exists()
    assert client.get(reverse("account_email")).status_code == 403

    enrolment.staff_invitation_send(user=staff_without_mfa, by=secretariat)
    sent = Message.objects.get(recipient=staff_without_mfa, key__startswith="staff-invitation:")
    assert sent.address == address
    # With the link from their own mailbox opened, they manage their addresses again.
    client.post(link_sent_to(staff_without_mfa))
    assert client.get(reverse("account_email")).status_code == 200


def test_staff_are_told_by_email_when_a_second_factor_is_added_or_removed(
    staff_without_mfa, secretariat, django_capture_on_commit_callbacks
):
    enrolment.staff_invitation_send(user=staff_without_mfa, by=secretariat)
    client = signed_in(staff_without_mfa)
    client.post(link_sent_to(staff_without_mfa))
    client.get(MFA_SETUP)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(MFA_SETUP, {"code": current_code(client.session[totp.SECRET_SESSION_KEY])})
    keys = Message.objects.filter(recipient=staff_without_mfa).values_list("key", flat=True)
    assert any("totp_activated" in key for key in keys), list(keys)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("mfa_deactivate_totp"))
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    keys = Message.objects.filter(recipient=staff_without_mfa).values_list("key", flat=True)
    assert any("totp_deactivated" in key for key in keys)


def test_a_citizen_sets_up_a_second_factor_without_an_invitation(citizen):
    assert signed_in(citizen).get(MFA_SETUP).status_code == 200


def test_a_citizen_made_staff_sets_up_the_second_factor_again_by_invitation(citizen):
    """The third attack run set up a second factor with a citizen's password, then the citizen
    was made staff: that factor opened the admin with no invitation ever sent."""
    client = signed_in(citizen)
    client.get(MFA_SETUP)
    totp.TOTP.activate(citizen, totp.generate_totp_secret())  # as the set-up page would
    citizen.is_staff = True
    citizen.save()
    assert not Authenticator.objects.filter(user=citizen).exists()
    staff = type(citizen).objects.get(pk=citizen.pk)
    assert not staff.holds_staff_powers
    page = signed_in(staff).get(MFA_SETUP)
    assert page.status_code == 403 and "초대" in page.content.decode()


def test_staff_with_a_factor_add_another_without_an_invitation(secretariat):
    client = Client()
    client.force_login(secretariat)
    assert client.get(reverse("mfa_add_webauthn")).status_code != 403


def test_a_security_keys_answer_missing_a_part_is_refused_with_a_message(db):
    """fido2 reads a key's answer unchecked: one without `rawId` answered 500."""
    staff = UserFactory(is_staff=True)
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(staff, secret)
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    answer = client.post(
        reverse("mfa_add_webauthn"), {"name": "key", "credential": '{"id": "a-key"}'}
    )
    assert answer.status_code == 200
    assert "올바르지 않은 코드." in answer.content.decode()
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.WEBAUTHN).exists()


@pytest.mark.parametrize(
    "make", [lambda: UserFactory(), lambda: UserFactory(is_staff=True, email="")]
)
def test_only_a_staff_account_with_an_address_is_invited(db, make, secretariat):
    with pytest.raises(ValidationError):
        enrolment.staff_invitation_send(user=make(), by=secretariat)
