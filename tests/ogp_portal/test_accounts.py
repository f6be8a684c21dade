import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


def test_signup_and_login_use_the_e_mail_address(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_a_new_address_is_not_verified_until_confirmed(client, db, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
    )
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.get(email="new@example.org").verified
    assert len(mailoutbox) == 1


def test_the_admin_login_is_the_sites_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_admin_login_is_rate_limited_like_the_site(client, staff):
    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": staff.email, "password": "wrong"})
    response = client.post(url, {"login": staff.email, "password": "a-long-test-password"})
    assert "너무 많은 로그인 실패" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_with_a_second_factor_reach_the_admin(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_a_citizen_cannot_enter_the_admin(client, db):
    client.force_login(UserFactory())
    assert client.get("/admin/", follow=True).status_code == 403


@pytest.mark.parametrize("provider, label", [("kakao", "Kakao"), ("naver", "Naver")])
def test_kakao_and_naver_are_configured_from_the_admin(client, db, provider, label):
    SocialApp.objects.create(provider=provider, name=label, client_id="id", secret="s")
    response = client.get(reverse("account_login"))
    assert label in response.content.decode()
    assert client.get(reverse(f"{provider}_login")).status_code == 200
