"""The anonymous page cache: what it serves, to whom, and when it lets go of a page."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from ogp_portal.middleware import STALE_SECONDS, AnonymousPageCacheMiddleware
from tests.factories import CommitteeMemberFactory, PollFactory, UserFactory

PAGES = ["/", "/en/", "/council/committee/", "/council/groups/", "/search/?q=회의"]


def _page_key(url: str) -> str:
    """The cache key of a page in Korean, as the middleware makes it."""
    with translation.override("ko"):
        return AnonymousPageCacheMiddleware._key(RequestFactory().get(url))


def _cached(client, url, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(0):
        return client.get(url)


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_is_served_the_page_from_the_cache(
    client, council, url, django_assert_num_queries
):
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "Cookie" in again["Vary"]


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_carries_nothing_of_one_visitor(
    client, council, url, django_assert_num_queries
):
    response = _cached(client, url, django_assert_num_queries)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in html
    assert not response.cookies
    assert 'action="/i18n/setlang/"' not in html


def test_the_language_switcher_of_a_cached_page_links_to_the_other_language(
    client, council, django_assert_num_queries
):
    html = _cached(client, "/council/committee/", django_assert_num_queries).content.decode()
    assert 'href="/en/council/committee/" lang="en" hreflang="en"' in html
    html = client.get("/en/council/committee/").content.decode()
    assert 'href="/council/committee/" lang="ko" hreflang="ko"' in html


def test_languages_are_cached_apart(client, council, django_assert_num_queries):
    korean = _cached(client, "/", django_assert_num_queries).content.decode()
    english = _cached(client, "/en/", django_assert_num_queries).content.decode()
    assert '<html lang="ko">' in korean and '<html lang="en">' in english


def test_signed_in_pages_are_never_served_from_nor_stored_in_the_cache(
    client, council, django_assert_num_queries
):
    anonymous = _cached(client, "/", django_assert_num_queries).content.decode()
    person = Client()
    person.force_login(UserFactory())
    signed_in = person.get("/").content.decode()
    assert signed_in != anonymous and 'action="/accounts/logout/"' in signed_in
    again = person.get("/").content.decode()
    assert 'action="/accounts/logout/"' in again
    cache.clear()
    person.get("/council/committee/")
    html = client.get("/council/committee/").content.decode()
    assert "csrfmiddlewaretoken" not in html and 'action="/accounts/logout/"' not in html


def test_a_page_with_a_form_token_is_never_stored(client, db, monkeypatch):
    stored = _spy_on_stores(monkeypatch)
    response = client.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert stored == {}


def test_a_changed_record_is_shown_at_once(
    client, council, django_capture_on_commit_callbacks, django_assert_num_queries
):
    member = CommitteeMemberFactory(council=council, name="김한결")
    html = _cached(client, "/council/committee/", django_assert_num_queries).content.decode()
    assert "김한결" in html
    with django_capture_on_commit_callbacks(execute=True):
        member.name = "이바름"
        member.save(update_fields=["name"])
    html = client.get("/council/committee/").content.decode()
    assert "이바름" in html and "김한결" not in html


def test_a_new_record_and_a_deleted_one_are_shown_at_once(
    client, council, django_assert_num_queries
):
    _cached(client, "/council/committee/", django_assert_num_queries)
    member = CommitteeMemberFactory(council=council, name="박새봄")
    assert "박새봄" in client.get("/council/committee/").content.decode()
    member.delete()
    assert "박새봄" not in client.get("/council/committee/").content.decode()


def test_while_one_request_renders_a_changed_page_others_get_it_as_it_was(
    client, council, django_assert_num_queries
):
    member = CommitteeMemberFactory(council=council, name="김한결")
    url = "/council/committee/"
    _cached(client, url, django_assert_num_queries)
    member.name = "이바름"
    member.save(update_fields=["name"])
    rendering = _page_key(url) + ":rendering"
    cache.add(rendering, 1)  # another request is rendering the page again
    with django_assert_num_queries(0):
        assert "김한결" in client.get(url).content.decode()
    cache.delete(rendering)
    assert "이바름" in client.get(url).content.decode()


def test_a_ballot_does_not_outdate_the_cached_pages(
    client, council, django_capture_on_commit_callbacks
):
    from consultations import services
    from ogp_portal.cache import page_version_current

    poll = PollFactory()
    client.get(reverse("councils:committee"))
    before = page_version_current()
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=[poll.options.first().pk])
    assert page_version_current() == before


def _spy_on_stores(monkeypatch) -> dict:
    """The pages the cache stores during the test, with their lifetimes (fresh, then stale
    while a request renders them again)."""
    stored = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("pages:") and key != "pages:version":
            stored[key] = timeout
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return stored


def test_poll_pages_are_kept_seconds_and_other_pages_a_minute(client, council, monkeypatch):
    stored = _spy_on_stores(monkeypatch)
    client.get(reverse("consultations:poll_list"))
    assert list(stored.values()) == [5 + STALE_SECONDS]
    stored.clear()
    client.get(reverse("councils:committee"))
    assert list(stored.values()) == [60 + STALE_SECONDS]


WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.browser
def test_a_page_served_from_the_cache_works_in_chromium(page, demo_site, screenshot):
    from councils.models import Council

    violations = []

    def report(violation: str) -> None:
        violations.append(violation)

    page.expose_function("__cspViolation", report)
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    for url in ("/", "/council/committee/", "/transparency/"):
        page.goto(url)
    name = Council.objects.get().name
    Council.objects.update(name="바뀐 이름")  # no signal: only the cache still shows the old name
    page.goto("/")
    assert name in page.locator("h1").inner_text()  # served from the cache
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="한국어").click()
    page.wait_for_url(lambda url: url.endswith("/") and "/en/" not in url)
    page.get_by_role("searchbox").first.fill("태양광")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.go_back()
    page.go_forward()
    assert "태양광" in page.locator("main").inner_text()
    screenshot(page, "search-from-cache")
    assert violations == []


@pytest.mark.parametrize("signed_in", [False, True])
def test_korean_is_one_choice_away_from_every_english_page(client, citizen, signed_in):
    """On /en/…, choosing 한국어 leads to the Korean page (it used to lead back to /en/…)."""
    url = reverse("proposals:call_list")
    english = "/en" + url
    if signed_in:
        client.force_login(citizen)
        answer = client.post(reverse("set_language"), {"language": "ko", "next": english})
        assert answer.status_code == 302 and answer["Location"] == url
        assert client.get(answer["Location"]).context["LANGUAGE_CODE"] == "ko"
    else:
        page = client.get(english).content.decode()
        assert f'href="{url}"' in page and ">한국어<" in page
        assert '<html lang="ko"' in client.get(url).content.decode()
