"""Rate limits: per client address (as the trusted proxy settings find it) and per account.

What holds, with the limits of ogp_portal/settings/base.py (sign-in failures: 5 per address
typed and 30 per client in 5 minutes):
- a client that floods made-up addresses is refused after 30 failures, real accounts included,
  for the rest of the window; every other client signs in as before;
- a real address's budget is spent only by attempts that type it: a right password within it
  signs in and does not count;
- behind a proxy the client is the address the trusted proxies report; untrusted forwarded
  headers are ignored.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ogp_portal.adapters import client_ip
from proposals.models import Proposal, Support
from tests.factories import PollFactory, ProposalFactory, UserFactory

FLOOD = "203.0.113.9"
FAR = "192.0.2.44"
HOME = "198.51.100.7"
PROXY = "10.0.0.2"
PASSWORD = "a-long-test-password"


@pytest.fixture
def real(db):
    return UserFactory(username="real")


@pytest.fixture
def only_failures_limited(settings):
    """All sign-in posts may pass, so that the failure limits alone are seen."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}


def sign_in(client, email: str, password: str, **meta):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **meta)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def flood(client, n: int = 30, **meta) -> None:
    for i in range(n):
        response = sign_in(client, f"nobody{i}@example.org", "guess", **meta)
        assert response.status_code == 200 and not signed_in(client)


# Sign-in ------------------------------------------------------------------------------------


def test_a_flood_of_made_up_addresses_locks_only_the_flooding_client(
    client, django_user_model, real, only_failures_limited
):
    flood(client, REMOTE_ADDR=FLOOD)
    refused = sign_in(client, real.email, PASSWORD, REMOTE_ADDR=FLOOD)
    assert "너무 많은 로그인 실패" in refused.content.decode()
    assert not signed_in(client)

    sign_in(client, real.email, PASSWORD, REMOTE_ADDR=HOME)
    assert signed_in(client)


def test_a_real_address_keeps_its_own_budget_through_a_flood(client, real, only_failures_limited):
    flood(client, REMOTE_ADDR=FLOOD)
    for _ in range(4):
        sign_in(client, real.email, "wrong", REMOTE_ADDR=HOME)
    sign_in(client, real.email, PASSWORD, REMOTE_ADDR=HOME)
    assert signed_in(client)


def test_an_address_is_refused_everywhere_after_five_failures(client, real):
    """The price of a per-account limit: whoever types an address can spend its budget."""
    for n in range(5):
        sign_in(client, real.email, "wrong", REMOTE_ADDR=f"192.0.2.{n}")
    refused = sign_in(client, real.email, PASSWORD, REMOTE_ADDR=HOME)
    assert "너무 많은 로그인 실패" in refused.content.decode()
    assert not signed_in(client)
    sign_in(client, UserFactory(username="other").email, PASSWORD, REMOTE_ADDR=HOME)
    assert signed_in(client)


@pytest.mark.parametrize("trusted_proxies, others_sign_in", [(0, False), (1, True)])
def test_behind_a_proxy_one_flood_locks_everyone_unless_the_proxy_is_trusted(
    client, settings, real, only_failures_limited, trusted_proxies, others_sign_in
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = trusted_proxies
    flood(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=FLOOD)
    sign_in(client, real.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME)
    assert signed_in(client) == others_sign_in


def test_a_forged_forwarded_header_does_not_escape_the_limit(
    client, settings, real, only_failures_limited
):
    for n in range(30):
        sign_in(client, f"x{n}@example.org", "g", REMOTE_ADDR=FLOOD, HTTP_X_FORWARDED_FOR=HOME)
    sign_in(client, real.email, PASSWORD, REMOTE_ADDR=FLOOD, HTTP_X_FORWARDED_FOR=HOME)
    assert not signed_in(client)  # no proxy trusted: the forged header is ignored

    client.cookies.clear()
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    forged = f"{HOME}, {FLOOD}"  # what the client wrote, then what our proxy appended
    flood(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
    sign_in(client, real.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
    assert not signed_in(client)


@pytest.mark.parametrize(
    "setting, meta, expected",
    [
        ({}, {"HTTP_X_FORWARDED_FOR": HOME, "HTTP_X_REAL_IP": HOME}, FLOOD),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, {"HTTP_X_REAL_IP": HOME}, HOME),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, {"HTTP_X_FORWARDED_FOR": HOME}, FLOOD),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, {"HTTP_X_REAL_IP": "junk"}, FLOOD),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 1}, {"HTTP_X_FORWARDED_FOR": f"{FAR}, {HOME}"}, HOME),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 2}, {"HTTP_X_FORWARDED_FOR": f"{FAR}, {HOME}"}, FAR),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 2}, {"HTTP_X_FORWARDED_FOR": HOME}, FLOOD),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 1}, {}, FLOOD),
    ],
)
def test_the_client_address_follows_the_trusted_settings_only(settings, setting, meta, expected):
    for name, value in setting.items():
        setattr(settings, name, value)
    request = RequestFactory().get("/", REMOTE_ADDR=FLOOD, **meta)
    assert client_ip(request) == expected


# Taking part ----------------------------------------------------------------------------------


def assert_friendly_429(response) -> None:
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert '<main id="main"' in html and '<html lang="ko">' in html
    assert "짧은 시간에 너무 많이 시도했습니다" in html


@pytest.fixture
def limits(settings):
    settings.PORTAL_RATE_LIMITS = {
        "vote": "2/m/user,3/m/ip",
        "support": "1/m/user,2/m/ip",
        "propose": "1/h/user,2/h/ip",
    }


def vote(client, poll, **meta):
    option = poll.options.first().pk
    url = reverse("consultations:poll_vote", args=[poll.slug])
    page = f"http://testserver{poll.get_absolute_url()}"
    return client.post(url, {"option": [option]}, HTTP_REFERER=page, **meta)


def test_voting_is_limited_per_person_and_per_address(client, db, citizen, limits):
    poll = PollFactory()
    client.force_login(citizen)
    assert vote(client, poll, REMOTE_ADDR=HOME).status_code == 303  # to the receipt
    assert vote(client, poll, REMOTE_ADDR=HOME).status_code == 302  # "you voted already"
    refused = vote(client, poll, REMOTE_ADDR=HOME)
    assert_friendly_429(refused)
    assert f'href="http://testserver{poll.get_absolute_url()}"' in refused.content.decode()

    client.force_login(UserFactory(username="neighbour"))
    assert_friendly_429(vote(client, poll, REMOTE_ADDR=HOME))  # the address's 4th post
    assert vote(client, poll, REMOTE_ADDR=FLOOD).status_code == 303


def test_supporting_is_limited(client, db, citizen, limits):
    first, second = ProposalFactory(), ProposalFactory()
    client.force_login(citizen)
    client.post(reverse("proposals:proposal_support", args=[first.pk]))
    assert_friendly_429(client.post(reverse("proposals:proposal_support", args=[second.pk])))
    assert list(Support.objects.values_list("proposal", flat=True)) == [first.pk]


def test_proposing_is_limited_and_the_text_is_kept(client, db, citizen, limits):
    from tests.factories import CallFactory

    call = CallFactory(slug="open")
    url = reverse("proposals:proposal_create", args=[call.slug])
    client.force_login(citizen)
    form = {"title": "첫 제안", "problem": "문제", "solution": "해결"}
    assert client.post(url, form).status_code == 302
    again = {"title": "두 번째 제안 제목", "problem": "길게 쓴 문제", "solution": "길게 쓴 해결"}
    refused = client.post(url, again)
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "짧은 시간에 너무 여러 번 보내셔서 저장하지 않았습니다" in html
    assert all(value in html for value in again.values())
    assert list(Proposal.objects.values_list("title", flat=True)) == ["첫 제안"]


CONSENT = {"is_14_or_older": "on", "agree_terms": "on", "agree_privacy": "on"}


def test_sign_up_is_limited_per_address_with_the_sites_page(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/10m/ip"}
    for n in range(2):
        form = {
            "email": f"new{n}@example.org",
            "display_name": "새 시민",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        assert client.post(reverse("account_signup"), {**form, **CONSENT}).status_code == 302
    form = {
        "email": "new9@example.org",
        "display_name": "새 시민",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **CONSENT,
    }
    assert_friendly_429(client.post(reverse("account_signup"), form))
    assert client.post(reverse("account_signup"), form, REMOTE_ADDR=HOME).status_code == 302


def test_the_refusal_speaks_english_on_the_english_site(client, db, citizen, limits):
    client.force_login(citizen)
    first, second = (
        "/en" + reverse("proposals:proposal_support", args=[ProposalFactory().pk]) for _ in range(2)
    )
    client.post(first)
    refused = client.post(second)
    assert refused.status_code == 429
    assert "Too many attempts in a short time" in refused.content.decode()


# Redis down ---------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "ogp_portal.cache.RedisWithFallbackCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


def test_limits_keep_counting_in_memory_while_redis_is_down(
    client, db, citizen, real, limits, redis_down
):
    poll = PollFactory()
    client.force_login(citizen)
    assert vote(client, poll).status_code == 303
    assert vote(client, poll).status_code == 302
    assert_friendly_429(vote(client, poll))

    client.logout()
    for _ in range(5):
        sign_in(client, real.email, "wrong")
    refused = sign_in(client, real.email, PASSWORD)
    assert refused.status_code == 200 and not signed_in(client)
