import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from celery.exceptions import Retry
from django.urls import reverse

from ogp_portal.outbox import tasks
from ogp_portal.outbox.models import Message
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


SIGN_UP = {
    "email": "new@example.org",
    "password1": "a-long-test-password",
    "password2": "a-long-test-password",
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
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(reverse("account_signup"), SIGN_UP)
        assert response.status_code == 302
        with pytest.raises(Retry):  # eagerly, Celery raises the retry it would schedule
            queued[0]()
    confirmation = Message.objects.get(address="new@example.org")
    assert (confirmation.status, confirmation.attempts) == (Message.Status.PENDING, 1)
    assert mailoutbox == []
    # The mail server is back when the task's retry comes.
    tasks.deliver_message.apply(args=[confirmation.pk])
    confirmation.refresh_from_db()
    assert confirmation.status == Message.Status.SENT
    assert mailoutbox[0].to == ["new@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


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
