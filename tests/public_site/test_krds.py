"""The KRDS look: one design system served from its npm package, the government-site layout on
every kind of page, and every page kind fitting a phone in both languages."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from councils.models import Document, Meeting, WorkingGroup
from plans.models import ActionPlan, Commitment
from proposals.models import Call, Proposal
from tests.conftest import ARTIFACTS

KRDS_STYLESHEET = "krds/css/component/output.css"
BANNER = {
    "ko": "이 누리집은 대한민국 공식 전자정부 누리집입니다",
    "en": "official e-government website",
}


def page_kinds() -> dict[str, str]:
    """One address of each kind of page a visitor sees, from the demo data (Korean addresses;
    the English ones add /en in front)."""
    with translation.override("ko"):
        return _page_kinds()


def _page_kinds() -> dict[str, str]:
    return {
        "home": reverse("home"),
        "committee": reverse("councils:committee"),
        "groups": reverse("councils:group_list"),
        "group": WorkingGroup.objects.first().get_absolute_url(),
        "meeting": Meeting.objects.filter(minutes__isnull=False).first().get_absolute_url(),
        "document": Document.objects.first().get_absolute_url(),
        "calls": reverse("proposals:call_list"),
        "call": Call.objects.get(slug="ogp-2021").get_absolute_url(),
        "call-report": reverse("proposals:call_report", args=["ogp-2021"]),
        "proposal": Proposal.objects.order_by("pk").first().get_absolute_url(),
        "plan": ActionPlan.objects.first().get_absolute_url(),
        "commitment": Commitment.objects.first().get_absolute_url(),
        "polls": reverse("consultations:poll_list"),
        "poll-result": reverse("consultations:poll_detail", args=["baro-2021-ogp-action-plan"]),
        "poll-open": reverse("consultations:poll_detail", args=["demo-open-poll"]),
        "tracker": reverse("tracker"),
        "repository": reverse("repository"),
        "opendata": reverse("opendata"),
        "search": reverse("search") + "?q=태양광",
        "privacy": reverse("privacy:policy"),
        "terms": reverse("privacy:terms"),
        "copyright": reverse("copyright"),
        "accessibility": reverse("accessibility"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "not-found": "/no-such-page/",
    }


def test_no_bootstrap_is_served_and_krds_is(client, council):
    html = client.get("/").content.decode()
    assert f"/static/{KRDS_STYLESHEET}" in html
    assert "bootstrap" not in html.lower()
    assert "crispy_bootstrap5" not in settings.INSTALLED_APPS
    assert finders.find("bootstrap/css/bootstrap.min.css") is None
    # KRDS comes from the installed npm package, not from a copy in the repository.
    found = finders.find(KRDS_STYLESHEET)
    assert found and "node_modules/krds-uiux/" in found
    stylesheet = client.get(f"/static/{KRDS_STYLESHEET}")
    assert stylesheet.status_code == 200
    assert b".krds-btn" in b"".join(stylesheet.streaming_content)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_kind_shows_the_banner_identity_and_footer(client, demo, language):
    prefix = "" if language == "ko" else "/en"
    with translation.override("ko"):
        footer = [
            prefix + reverse(name) for name in ("privacy:policy", "copyright", "accessibility")
        ]
        footer += [prefix + reverse("opendata"), reverse("feed_news")]
    for kind, url in page_kinds().items():
        response = client.get(prefix + url)
        assert response.status_code == (404 if kind == "not-found" else 200), kind
        html = response.content.decode()
        assert 'id="krds-masthead"' in html and BANNER[language] in html, kind
        assert 'class="logo site-identity"' in html, kind
        assert 'id="krds-footer"' in html and 'class="krds-identifier' in html, kind
        for link in footer:
            assert f'href="{link}"' in html, (kind, link)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_copyright_and_accessibility_pages_are_translated(client, db, language):
    with translation.override(language):
        copyright = client.get(reverse("copyright")).content.decode()
        accessibility = client.get(reverse("accessibility")).content.decode()
    if language == "ko":
        assert "<h1>저작권정책</h1>" in copyright and "<h1>웹접근성 정책</h1>" in accessibility
    else:
        assert "<h1>Copyright policy</h1>" in copyright
        assert "<h1>Web accessibility statement</h1>" in accessibility


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
def test_every_page_kind_at_both_widths_in_both_languages(browser, live_server, demo_site, sign_in):
    """Screenshots of each page kind at 1280 and 390 px, Korean and English, in
    tests/artifacts/krds/; no page scrolls sideways."""
    folder = ARTIFACTS / "krds"
    folder.mkdir(parents=True, exist_ok=True)
    kinds = page_kinds()
    signed_in = {
        "propose": reverse("proposals:proposal_create", args=["ogp-demo-open"]),
        "vote": reverse("consultations:poll_detail", args=["demo-open-poll"]),
        "my-participation": reverse("my_participation"),
    }
    wide = {}
    for width in (1280, 390):
        for language, prefix in (("ko", ""), ("en", "/en")):
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": 900}, locale="ko-KR"
            )
            page = context.new_page()
            for pages in (kinds, signed_in):
                if pages is signed_in:
                    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
                for kind, url in pages.items():
                    page.goto(prefix + url)
                    assert page.locator("html").get_attribute("lang") == language
                    assert page.locator("#krds-masthead").is_visible(), kind
                    if page.evaluate(OVERFLOW) > 0:
                        wide[f"{kind} {language} {width}"] = page.evaluate(OVERFLOW)
                    page.screenshot(
                        path=str(folder / f"{kind}-{language}-{width}.png"), full_page=True
                    )
            context.close()
    assert wide == {}


@pytest.mark.browser
def test_the_full_menu_opens_on_a_phone_with_and_without_script(browser, live_server, demo_site):
    for script in (True, False):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            locale="ko-KR",
            java_script_enabled=script,
        )
        page = context.new_page()
        page.goto("/")
        assert not page.locator(".krds-main-menu").is_visible()
        menu = page.locator("#mobile-nav")
        assert not menu.get_by_role("link", name="워킹그룹").is_visible()
        page.get_by_role("button" if script else "link", name="전체메뉴").click()
        groups = menu.get_by_role("link", name="워킹그룹")
        groups.wait_for(state="visible")
        if script:
            toggle = page.get_by_role("button", name="전체메뉴")
            assert toggle.get_attribute("aria-expanded") == "true"
            page.keyboard.press("Escape")
            groups.wait_for(state="hidden")
            assert toggle.get_attribute("aria-expanded") == "false"
        else:
            groups.click()
            page.wait_for_url("**" + reverse("councils:group_list"))
        context.close()


def test_collectstatic_hashes_krds_with_every_reference_found(tmp_path, settings):
    """The production storage follows every url() of KRDS's stylesheet and of the portal's own
    (fonts, icons): a broken reference would stop the image build."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    names = {path.name for path in (tmp_path / "krds" / "css" / "component").iterdir()}
    assert any(name.startswith("output.") and name.endswith(".css") for name in names)
    assert not any(name.startswith("component.") for name in names)
    portal = next((tmp_path / "css").glob("portal.*.css")).read_text()
    assert re.search(r"krds/fonts/PretendardGOV-Regular\.subset\.[0-9a-f]{12}\.woff2", portal)


def test_the_pagination_shows_the_ends_and_the_neighbours_of_the_current_page(db):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    html = render_to_string(
        "components/pagination.html", {"page": Paginator(range(100), 5).get_page(9)}
    )
    numbers = re.findall(r'class="page-link[^"]*" href="\?page=(\d+)"', html)
    assert numbers == ["1", "8", "9", "10", "20"]
    assert html.count("link-dot") == 2
    assert 'aria-current="page"><span class="sr-only">' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
