"""Second factors in the admin: seen, never typed in nor shown; deleted with a notice to the
holder (attack run 5, item 7: a TOTP key typed in the admin passed the invitation, and factors
added or removed there told nobody)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.urls import reverse

from ogp_portal.adapters import MfaAdapter, UnsealedSecret
from outbox.models import Message
from tests.factories import UserFactory
from tests.totp import current_code

TYPED_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def staff_member(db):
    return UserFactory(username="new-staff", is_staff=True, email="new-staff@example.org")


def notices(user) -> list[str]:
    return [
        message.unsealed()[0]
        for message in Message.objects.filter(recipient=user, key__startswith="second-factor")
    ]


def test_a_second_factor_cannot_be_typed_in_the_admin(staff_client, staff_member):
    answer = staff_client.post(
        reverse("admin:mfa_authenticator_add"),
        {"user": staff_member.pk, "type": "totp", "data": f'{{"secret": "{TYPED_SECRET}"}}'},
    )
    assert answer.status_code == 403
    assert not Authenticator.objects.filter(user=staff_member).exists()


def test_the_admin_shows_a_factor_without_its_secret_and_changes_nothing(
    staff_client, staff_member
):
    factor = totp.TOTP.activate(staff_member, TYPED_SECRET).instance
    sealed = factor.data["secret"]
    url = reverse("admin:mfa_authenticator_change", args=[factor.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert sealed not in page.content.decode() and "secret" not in page.content.decode()
    assert staff_client.post(url, {"data": f'{{"secret": "{TYPED_SECRET}"}}'}).status_code == 403
    factor.refresh_from_db()
    assert factor.data["secret"] == sealed


def test_a_secret_not_sealed_by_the_portal_passes_nothing(staff_member):
    typed = Authenticator.objects.create(
        user=staff_member, type=Authenticator.Type.TOTP, data={"secret": TYPED_SECRET}
    )
    code = current_code(TYPED_SECRET)
    with pytest.raises(UnsealedSecret):
        totp.TOTP(typed).validate_code(code)
    # Nor does a seal no key opens read as an empty key, whose codes anyone can work out.
    with pytest.raises(UnsealedSecret):
        MfaAdapter().decrypt("sealed:not-a-seal")


def test_deleting_a_factor_in_the_admin_tells_its_holder(staff_client, staff_member):
    factor = totp.TOTP.activate(staff_member, totp.generate_totp_secret()).instance
    answer = staff_client.post(
        reverse("admin:mfa_authenticator_delete", args=[factor.pk]), {"post": "yes"}
    )
    assert answer.status_code == 302
    assert not Authenticator.objects.filter(user=staff_member).exists()
    (notice,) = notices(staff_member)
    assert "TOTP" in notice and "사무국" in notice


def test_deleting_factors_from_the_list_tells_each_holder_once_and_takes_lone_recovery_codes(
    staff_client, staff_member
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.conftest import admin_action

    factor = totp.TOTP.activate(staff_member, totp.generate_totp_secret()).instance
    RecoveryCodes.activate(staff_member)
    other = UserFactory(is_staff=True)
    other_factor = totp.TOTP.activate(other, totp.generate_totp_secret()).instance
    admin_action(staff_client, "delete_selected", [factor, other_factor], {"post": "yes"})
    # Recovery codes alone would still sign in: they go with the last other factor.
    assert not Authenticator.objects.filter(user__in=[staff_member, other]).exists()
    assert len(notices(staff_member)) == 1 and len(notices(other)) == 1


def test_a_citizen_made_staff_is_told_their_factors_were_removed(db):
    citizen = UserFactory(email="citizen@example.org")
    totp.TOTP.activate(citizen, totp.generate_totp_secret())
    citizen.is_staff = True
    citizen.save()
    (notice,) = notices(citizen)
    assert "초대" in notice


def test_allauth_s_own_pages_send_their_notice_and_no_second_one(
    client, staff_member, django_capture_on_commit_callbacks
):
    totp.TOTP.activate(staff_member, totp.generate_totp_secret())
    client.force_login(staff_member)
    client.post(reverse("account_reauthenticate"), {"password": "a-long-test-password"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    keys = list(Message.objects.filter(recipient=staff_member).values_list("key", flat=True))
    assert len(keys) == 1 and "totp_deactivated" in keys[0], keys
