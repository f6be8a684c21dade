"""Every page of the site in Chromium under the Content-Security-Policy: no violation anywhere.

The crawl starts from every route of the URL configuration that takes no argument, follows the
links each page shows (so the demo data fills in the arguments) and, for staff, opens the admin's
changelist, add form and change form of every registered model. It runs as a visitor, a citizen and
a staff member (superuser, second factor set up), in Korean and in English. A violation is caught
twice: Chromium's console message and the page's `securitypolicyviolation` event.
"""

from collections import Counter, defaultdict
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import translation

from ogp_portal.models import User
from outbox.models import Kind
from outbox.services import unsubscribe_url
from proposals.models import Call
from tests.factories import ProposalFactory
from tests.totp import current_code

LANGUAGES = ("ko", "en")
ROLES = ("visitor", "citizen", "staff")
ACCOUNTS = {
    "citizen": ("citizen@ogp-demo.example", "ogp-citizen-2021"),
    "staff": ("secretariat@ogp-demo.example", "ogp-secretariat-2021"),
}
TOTP_SECRET = generate_totp_secret()
# Each route is opened at most this many times per role and language (36 proposals are one page);
# more meetings, so that one with minutes in each state is among them.
PER_ROUTE = 2
PER_ROUTE_MORE = {"councils:meeting_detail": 8}

# Routes that are not HTML pages (downloads, feeds) or that answer only POST: the crawl does not
# open them; every other route of the URL configuration must be reached.
NOT_PAGES = {
    "set_language": "POST only",
    "favicon": "a redirect to the site icon",
    "opendata_dataset": "JSON/CSV download",
    "feed_news": "Atom feed",
    "feed_results": "Atom feed",
    "evidence_package": "ZIP download",
    "councils:document_file": "file download",
    "councils:group_ical": "iCalendar download",
    "councils:meetings_ical": "iCalendar download",
    "councils:meetings_ical_year": "iCalendar download",
    "councils:meeting_ical": "iCalendar download",
    "datapackage": "JSON download",
    "popolo": "JSON download",
    "metrics": "Prometheus text, for a bearer token or an internal network only",
    "councils:attachment_download": "file download",
    "councils:group_membership": "POST only",
    "councils:meeting_action": "POST only",
    "councils:minutes_advance": "POST only",
    "councils:minutes_comment": "POST only",
    "proposals:proposal_file": "file download",
    "proposals:photo": "image download",
    "proposals:draft_report_csv": "CSV download",
    "proposals:evidence_file": "file download",
    "self_assessment_json": "JSON download",
    "proposals:proposal_support": "POST only",
    "proposals:call_follow": "POST only",
    "consultations:poll_vote": "POST only",
    "opinions:statement_vote": "POST only",
    "opinions:statement_create": "POST only (a GET leads back to the statements)",
    "consultations:poll_follow": "POST only",
    "consultations:poll_download": "CSV/JSON download",
    "consultations:receipt_list": "text download",
    "consultations:receipt_check": "the lookup form's answer (GET), see consultations/test_browser",
    "councils:group_listing": "POST only",
    "privacy:export": "JSON download",
    "mfa_download_recovery_codes": "text download",
    "account_logout": "a crawl that signs itself out stops being the role it crawls as",
}
# Routes that only a flow in progress reaches (a social sign-in, a login by code, a security key);
# they render allauth's own templates in our layout. Links from e-mails are crawled (see below).
UNREACHABLE = {
    "account_confirm_login_code": "only inside a login by code, after the code is e-mailed",
    "consultations:poll_voted": "only right after a vote: its receipt (consultations/test_browser)",
    "mfa_reauthenticate": "only inside a reauthentication",
    "mfa_reauthenticate_webauthn": "only inside a reauthentication",
    "mfa_remove_webauthn": "needs a security key",
    "mfa_edit_webauthn": "needs a security key",
    "account_set_password": "only for accounts without a password (social sign-in)",
    "socialaccount_signup": "only inside a social sign-in",
    "kakao_callback": "the provider's redirect back",
    "naver_callback": "the provider's redirect back",
    "account_reset_password_from_key_done": "after a reset from an e-mailed key",
    "privacy:consent": "only after the privacy policy's version changed",
    "staff_enrol": "only from the invitation's link, e-mailed to a new staff account",
    "proposals:draft_comment_create": "the demo draft closed in 2021: plans/test_draft_browser",
    "proposals:draft_comment_answer": "the demo plan is adopted: plans/test_draft_browser",
}

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    document: event.documentURI,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
});
"""


def routes(patterns=None, namespace=None):
    """(name, takes arguments) of every named route except the admin's."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, bool(pattern.pattern.regex.groupindex)


def route_name(path: str, language: str) -> str | None:
    with translation.override(language):
        try:
            return resolve(path).view_name
        except Resolver404:
            return None


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:app_list", args=[info[0]]))
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return list(dict.fromkeys(urls))


@pytest.fixture
def demo(transactional_db):
    with override_settings(DEBUG=True):
        call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    staff = User.objects.get(email=ACCOUNTS["staff"][0])
    TOTP.activate(staff, TOTP_SECRET)
    RecoveryCodes.activate(staff)
    # With the two providers set up, the sign-in page offers them and their confirmation pages
    # (whose form posts to the portal, which redirects to the provider) are crawled too.
    for provider in ("kakao", "naver"):
        SocialApp.objects.create(provider=provider, name=provider, client_id="demo", secret="demo")
    # A proposal of the citizen in the open call: its edit page opens to the proposer alone.
    ProposalFactory(
        call=Call.objects.open().first(),
        author=User.objects.get(email=ACCOUNTS["citizen"][0]),
        title="시민의 제안 (데모)",
    )
    # Someone who signed up and has not confirmed yet, for the pages behind e-mailed links.
    person = User.objects.create_user("unconfirmed", "unconfirmed@example.org", "a-long-password")
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)


def e_mailed_links() -> list[str]:
    """The links a confirmation and a password-reset e-mail carry, in the active language."""
    person = User.objects.get(email="unconfirmed@example.org")
    address = EmailAddress.objects.get(user=person)
    return [
        reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
        reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(person),
                "key": default_token_generator.make_token(person),
            },
        ),
        urlsplit(
            unsubscribe_url(user_id=person.pk, kind=Kind.CALLS, language=translation.get_language())
        ).path,
    ]


# Markup the crawl checks on the site's own pages: ids unique, `<time datetime>` values that HTML
# allows (no microseconds).
MARKUP = r"""() => {
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    if (seen.has(element.id)) problems.push(`duplicate id ${element.id}`);
    seen.add(element.id);
  }
  const time = "\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})?";
  const valid = new RegExp(`^\\d{4}(-\\d{2}(-\\d{2}([T ]${time})?)?)?$`);
  for (const element of document.querySelectorAll("time[datetime]")) {
    const value = element.getAttribute("datetime");
    if (!valid.test(value)) problems.push(`time datetime ${value}`);
  }
  return problems;
}"""


class Crawl:
    def __init__(self, browser, live_server_url: str, role: str, language: str):
        self.origin = live_server_url
        self.role = role
        self.language = language
        self.context = browser.new_context(
            base_url=live_server_url, locale="ko-KR" if language == "ko" else "en-US"
        )
        self.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server_url}]
        )
        self.page = self.context.new_page()
        self.violations: list[dict] = []
        self.current = ""
        self.page.expose_function("__cspViolation", self._event)
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.page.on("console", self._console)
        self.visited: dict[str, int] = {}
        self.per_route: Counter = Counter()
        self.reached: set[str] = set()
        self.errors: list[str] = []

    def _event(self, violation: dict) -> None:
        # Events arrive asynchronously: the page is the one that raised it, not the current one.
        page = urlsplit(violation.pop("document"))
        path = page.path + (f"?{page.query}" if page.query else "")
        self.violations.append({"page": path, "how": "event", **violation})

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append({"page": message.page.url, "how": "console", "text": text})
        elif "Permissions-Policy" in text or "Permissions policy" in text:
            self.errors.append(text)

    def open(self, path: str) -> list[str]:
        """Opens one page, returns the same-site links it shows."""
        self.current = path
        response = self.page.goto(path, wait_until="load")
        status = response.status if response else 0
        if (
            self.role != "visitor"
            and urlsplit(self.page.url).path.endswith("/accounts/reauthenticate/")
            and "/reauthenticate/" not in path
        ):
            # Security pages ask for the password again; give it and land on the page itself.
            self.reached.add("account_reauthenticate")
            self.page.fill("input[name=password]", ACCOUNTS[self.role][1])
            with self.page.expect_navigation():
                self.page.locator("main form button[type=submit]").first.click()
            status = 200 if urlsplit(self.page.url).path == urlsplit(path).path else 0
        self.visited[path] = status
        if status >= 500:
            self.errors.append(f"{path}: HTTP {status}")
        name = route_name(urlsplit(self.page.url).path, self.language)
        if name and status in (200, 401):  # 401: allauth's page for a failed social sign-in
            self.reached.add(name)
        # Let late events (deferred scripts, images) arrive before the next navigation.
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
        if not urlsplit(self.page.url).path.startswith("/admin/"):
            self.errors += [f"{path}: {problem}" for problem in self.page.evaluate(MARKUP)]
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        return hrefs

    def wanted(self, url: str) -> str | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in self.visited or "format=csv" in parts.query:
            return None
        if parts.path.startswith(("/admin/", "/static/", "/media/")):
            return None
        name = route_name(parts.path, self.language)
        if name is None or name in NOT_PAGES:
            return None
        english = parts.path.startswith("/en/")
        if english != (self.language == "en"):
            return None
        if self.per_route[name] >= PER_ROUTE_MORE.get(name, PER_ROUTE):
            return None
        self.per_route[name] += 1
        return path

    def run(self) -> None:
        queue: list[str] = []
        with translation.override(self.language):
            for name, takes_arguments in routes():
                if takes_arguments or name in NOT_PAGES:
                    continue
                try:
                    queue.append(reverse(name))
                except NoReverseMatch:
                    continue
            if self.role == "visitor":
                queue += e_mailed_links()
        queue = [path for path in queue if self.wanted(self.origin + path)]
        while queue:
            path = queue.pop(0)
            if path in self.visited:
                continue
            for href in self.open(path):
                found = self.wanted(href)
                if found:
                    queue.append(found)
        if self.role == "staff":
            for path in admin_urls():
                self.open(path)

    def sign_in(self) -> None:
        """Signs in through the forms (with the second factor for staff), as a person would."""
        if self.role == "visitor":
            return
        email, password = ACCOUNTS[self.role]
        prefix = "" if self.language == "ko" else "/en"
        self.open(f"{prefix}/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_load_state()
        if self.role == "staff":
            self.current = self.page.url
            self.page.wait_for_url("**/accounts/2fa/authenticate/")
            self.reached.add("mfa_authenticate")
            cache.clear()  # the same code signs in twice: forget that it was used
            self.page.fill("input[name=code]", current_code(TOTP_SECRET))
            self.page.locator("main form button[type=submit]").first.click()
            self.page.wait_for_load_state()
        assert urlsplit(self.page.url).path in ("/", "/en/"), self.page.url

    def control(self) -> list[dict]:
        """Proves the watch works: an inline script and a style attribute must both be caught."""
        self.open("/" if self.language == "ko" else "/en/")
        self.violations = []  # the page's own, if any, are counted when the crawl opens it
        self.page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.cspControl = 1";
              document.body.append(script);
              document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
            }"""
        )
        self.page.wait_for_timeout(200)
        caught, self.violations = self.violations, []
        self.visited.clear()
        assert self.page.evaluate("window.cspControl") is None
        return caught

    def close(self) -> None:
        self.context.close()


@pytest.mark.browser
def test_every_page_as_every_role_in_both_languages_has_no_csp_violation(
    browser, live_server, demo, screenshot
):
    reached: dict[str, set] = defaultdict(set)
    pages = 0
    violations, errors = [], []
    for role in ROLES:
        for language in LANGUAGES:
            crawl = Crawl(browser, live_server.url, role, language)
            try:
                caught = crawl.control()
                assert {v["directive"] for v in caught if v["how"] == "event"} == {
                    "script-src-elem",
                    "style-src-attr",
                }
                assert len([v for v in caught if v["how"] == "console"]) == 2
                crawl.sign_in()
                crawl.run()
                if role == "staff" and language == "ko":
                    crawl.open(reverse("admin:councils_meeting_changelist"))
                    # The admin's own scripts still run: "select all" ticks every row.
                    crawl.page.locator("#action-toggle").check()
                    rows = crawl.page.locator("input.action-select")
                    assert rows.count() > 0
                    assert all(rows.nth(i).is_checked() for i in range(rows.count()))
                    screenshot(crawl.page, "csp-admin-changelist")
                    crawl.open(reverse("admin:councils_meeting_change", args=[1]))
                    screenshot(crawl.page, "csp-admin-change-form")
            finally:
                crawl.close()
            pages += len(crawl.visited)
            violations += [{"role": role, "language": language, **v} for v in crawl.violations]
            errors += [f"{role}/{language} {e}" for e in crawl.errors]
            for name in crawl.reached:
                reached[name].add(f"{role}/{language}")
            statuses = Counter(crawl.visited.values())
            print(f"{role}/{language}: {len(crawl.visited)} pages, HTTP statuses {dict(statuses)}")

    events = [v for v in violations if v["how"] == "event"]
    print(f"CSP crawl: {pages} pages, {len(events)} violations")
    for (page, directive), count in Counter((v["page"], v["directive"]) for v in events).items():
        print(f"  {page}: {directive} x{count}")
    assert violations == []
    assert sorted(set(errors)) == []
    expected = {name for name, _ in routes()} - set(NOT_PAGES) - set(UNREACHABLE)
    assert sorted(expected - set(reached)) == []
    assert pages > 300
