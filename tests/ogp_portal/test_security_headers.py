"""The security headers every response carries: CSP, Permissions-Policy and Django's own."""

import json

import pytest
from django.conf import settings

from tests.ogp_portal.test_settings import PRODUCTION_ENV, manage

PAGES = [
    "/",
    "/en/",
    "/council/committee/",
    "/accounts/login/",
    "/accounts/signup/",
    "/admin/login/?next=/admin/",
    "/no-such-page/",
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice"
        parsed[name] = sources
    return parsed


def permissions(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize("path", PAGES)
def test_content_security_policy(client, db, path):
    response = client.get(path)
    csp = directives(response["Content-Security-Policy"])

    assert csp == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://kauth.kakao.com", "https://nid.naver.com"],
    }
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("path", PAGES)
def test_permissions_policy_denies_device_features(client, db, path):
    policy = permissions(client.get(path)["Permissions-Policy"])
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"):
        assert policy[feature] == "()"
    # Passkeys (WebAuthn) stay allowed for the second factor.
    assert "publickey-credentials-get" not in policy
    assert "publickey-credentials-create" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_no_sniffing_no_framing_no_referrer_leaks(client, db, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_downloads_and_feeds_carry_the_headers_too(client, db):
    for path in ["/feeds/news.atom", "/data/meetings.json"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_production_keeps_the_policy():
    """production.py adds HSTS and secure cookies on top of base; it keeps the same policy."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.CONTENT_SECURITY_POLICY, s.PERMISSIONS_POLICY, s.MIDDLEWARE]))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    csp, permissions_policy, middleware = json.loads(result.stdout.splitlines()[-1])
    assert csp == json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    assert permissions_policy == json.loads(json.dumps(settings.PERMISSIONS_POLICY))
    # Only the health answers (for the load balancer, before any redirect) and the request id
    # (for the log lines of every response, redirects included) go first.
    assert middleware[:5] == [
        "ogp_portal.health.HealthMiddleware",
        "ogp_portal.logs.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
    ]
