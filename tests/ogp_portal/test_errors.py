"""Error pages in the site's layout and the visitor's language; database outages answer 503."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from psycopg_pool import PoolTimeout

from ogp_portal import errors
from public_site.views import home
from tests.factories import UserFactory, WorkingGroupFactory

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def assert_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "/static/css/portal.css" in html
    assert "site-footer" in html


def assert_one_language(html: str, language: str) -> None:
    """English pages carry no Korean outside elements marked lang="ko" (the language switch)."""
    if language == "en":
        unmarked = re.sub(r'<(\w+)[^>]*lang="ko"[^>]*>.*?</\1>', "", html, flags=re.S)
        unmarked = unmarked.replace('lang="ko"', "")
        assert not HANGUL.search(unmarked), HANGUL.findall(unmarked)[:20]
    else:
        for english in ("Page not found", "Error 404", "Forbidden", "Server Error", "CSRF"):
            assert english not in html


def in_both_languages(korean: str, english: str):
    """Runs the test on the Korean site and on the English one, with the heading each shows."""
    return pytest.mark.parametrize(
        ("prefix", "language", "heading"), [("", "ko", korean), ("/en", "en", english)]
    )


def assert_error_page(response, status: int, heading: str, language: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert_layout(html, language)
    assert_one_language(html, language)
    return html


@in_both_languages("페이지를 찾을 수 없습니다", "Page not found")
def test_404_in_the_layout_and_language(client, db, prefix, language, heading):
    response = client.get(f"{prefix}/no-such-page/")
    assert_error_page(response, 404, heading, language)


@in_both_languages("이 페이지에 접근할 권한이 없습니다", "You do not have access")
def test_403_in_the_layout_and_language(client, db, prefix, language, heading):
    group = WorkingGroupFactory(slug="energy")
    client.force_login(UserFactory(username="outsider"))
    with translation.override(language):
        url = reverse("councils:group_edit", args=[group.slug])
    response = client.get(url)
    assert_error_page(response, 403, heading, language)


@in_both_languages("요청을 처리할 수 없습니다", "The request could not be understood")
def test_400_in_the_layout_and_language(client, db, prefix, language, heading):
    too_many_fields = "&".join(f"f{i}=1" for i in range(1100))
    response = client.get(f"{prefix}/search/?{too_many_fields}")
    assert_error_page(response, 400, heading, language)


@in_both_languages("양식의 유효 시간이 지났습니다", "The form has expired")
def test_csrf_failure_in_the_layout_and_language(db, prefix, language, heading):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/accounts/login/", {"login": "a@example.org"})
    html = assert_error_page(response, 403, heading, language)
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ko", "포털에서 오류가 발생했습니다"), ("en", "Something went wrong")],
)
def test_500_renders_without_the_database(language, heading):
    """No `db` fixture: any query here would fail the test."""
    request = RequestFactory().get("/")
    with translation.override(language):
        response = errors.server_error(request)
    assert_error_page(response, 500, heading, language)


@in_both_languages("포털에서 오류가 발생했습니다", "Something went wrong")
def test_500_of_a_failing_view(db, monkeypatch, prefix, language, heading):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(home.HomeView, "get_context_data", fail)
    response = Client(raise_request_exception=False).get(f"{prefix}/")
    assert_error_page(response, 500, heading, language)


@pytest.mark.parametrize(
    "error", [OperationalError("connection refused"), PoolTimeout("no connection in 2 s")]
)
@pytest.mark.parametrize(
    ("prefix", "language", "message"),
    [("", "ko", "잠시 후 다시 시도해 주세요"), ("/en", "en", "Please try again in a moment")],
)
def test_database_outage_in_a_view_answers_503(db, monkeypatch, error, prefix, language, message):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(home.HomeView, "get_context_data", fail)
    response = Client().get(f"{prefix}/")
    assert_error_page(response, 503, message, language)
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)


@pytest.mark.parametrize("path", ["/admin/", "/en/no-such-page/"])
def test_database_outage_outside_a_view_answers_503(db, client, monkeypatch, path):
    """The session is loaded by middleware (admin) or by the 404 page: still a 503."""
    client.force_login(UserFactory(username="someone", is_staff=True))

    def fail(self, *args, **kwargs):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(SessionStore, "load", fail)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    message = "Please try again" if path.startswith("/en/") else "잠시 후 다시 시도해 주세요"
    assert message in response.content.decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local server)
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return status, headers, body.decode(), time.monotonic() - started


@pytest.fixture(scope="module")
def server_without_database():
    """The real WSGI stack (gunicorn, psycopg pool) with PostgreSQL at a port nobody listens on."""
    port, closed = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/ogp_unreachable",
        "DATABASE_POOL": "true",
        "DATABASE_POOL_TIMEOUT": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ogp_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # The master accepts connections before its worker has loaded the site (seconds on a
        # busy machine): wait for the worker's own answer, which needs no database.
        try:
            fetch(url + "/healthz")
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "expected", "message"),
    [
        ("/", 503, "잠시 후 다시 시도해 주세요"),
        ("/en/", 503, "Please try again in a moment"),
        ("/en/council/committee/", 503, "Please try again in a moment"),
        ("/admin/", 503, "잠시 후 다시 시도해 주세요"),
        # A visitor without a session needs no database to be told the page does not exist.
        ("/no-such-page/", 404, "페이지를 찾을 수 없습니다"),
    ],
)
def test_unreachable_postgresql_answers_503_within_the_pool_timeout(
    server_without_database, path, expected, message
):
    status, headers, html, elapsed = fetch(server_without_database + path)
    assert status == expected, html[:500]
    if expected == 503:
        assert headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert message in html
    assert 'href="#main"' in html
    # The server's pool gives up after 1 s; a loaded CI machine may add seconds, but a page that
    # waited for the connection's own 10 s timeout (or hung) would not stay under it.
    assert elapsed < 8, elapsed
