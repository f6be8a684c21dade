import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from . import errors, language_runs
from .cache import PAGE_MEMORY_MAX_BYTES, PAGE_VERSION_KEY, page_memory, page_version_of
from .enrolment import staff_enrolment_allowed


def second_factor_setup(request):
    """Sends a staff account without its second factor to set it up, saying why."""
    messages.warning(
        request,
        _("Staff powers need two-factor authentication: set it up to continue."),
    )
    return redirect("mfa_activate_totp")


class NulCharacterMiddleware:
    """Refuses an address whose path carries a NUL character (%00) with the 400 page.

    No page means one, and PostgreSQL refuses it in any text it is asked to compare, which
    would otherwise end as a 500 wherever the path reaches a query. A NUL in a query string or a
    form is the form's to refuse or drop, with its own message (search searches without it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return bad_request(request, SuspiciousOperation("NUL character"))
        return self.get_response(request)


# The pages that add a first second factor to an account, and the page that changes its
# addresses: with a staff password alone, making an address of one's own primary would send
# the invitation there.
SECOND_FACTOR_SETUP = {
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_signup_webauthn",
    "account_email",
}


class StaffMfaMiddleware:
    """Keeps staff without a second factor out of the admin until they set one up, and lets
    them set one up, or change their addresses, only with their invitation
    (`ogp_portal.enrolment`).

    On the site the rules do the same (`User.holds_staff_powers`, `RulePermissionMixin`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        language = get_language_from_path(path)
        if language:  # the admin in English is /en/admin/
            path = path.removeprefix(f"/{language}")
        if (
            path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.needs_second_factor
        ):
            return second_factor_setup(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.resolver_match.url_name in SECOND_FACTOR_SETUP
            and request.user.is_authenticated
            and not staff_enrolment_allowed(request)
        ):
            return render(request, "account/staff_enrolment_needed.html", status=403)
        return None


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After, not 500, when a view meets a database outage.

    A pool timeout or a refused connection is temporary: the visitor is asked to try again in a
    moment, in their language. Outages met outside a view reach `errors.server_error` instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if errors.is_database_unavailable(exception):
            return errors.database_unavailable(request, exception)
        return None


# How long an out-of-date page may still be served to others while one request renders it
# again (and how long that request may take before another one tries).
STALE_SECONDS = 60
RENDERING_SECONDS = 10


class AnonymousPageCacheMiddleware:
    """Serves visitors who are not signed in the public pages from the cache, per language.

    Only a GET without a session or messages cookie is served from the cache or stored in it:
    a signed-in person (or anyone with a session) gets a freshly rendered page, whose parts
    that are the same for everyone come from `cache.shared`; but a file or feed that answers
    everyone the same (`cache.same_for_everyone`) is served from the cache to all. How long
    a page is kept comes from `PAGE_CACHE_SECONDS` by the module of its view; the address is
    resolved first, so other views (the admin, accounts) never cost a cache round trip. A page
    is stored only when it is a 200 that sets no cookie, used no CSRF token and is not marked
    private. Every entry carries the version of the public records it was rendered from
    (`cache.page_version_bump`, a higher one after each change), and is served only while no
    later version exists, so a change is served at once; the lifetime bounds what changes
    without a signal. The middleware sits right after the language middleware, so that a hit
    costs one cache round trip and no query (but for the version's one query a second, when
    the cache lost it); a page served in the last second by this process costs not even that
    (`cache.page_memory`).
    When a page is out of date (expired or of an older version), one request renders it again
    while the others are served the page as it was (for at most `STALE_SECONDS`), so a busy page
    never has every worker render it at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = request.method == "GET" and self._lifetime(request)
        if not seconds:
            return self.get_response(request)
        key = self._key(request)
        entry = page_memory.get(key)
        if entry is not None:
            return self._hit(request, entry)
        found = cache.get_many([PAGE_VERSION_KEY, key])
        version, entry = page_version_of(found.get(PAGE_VERSION_KEY)), found.get(key)
        if entry is not None and self._current(entry, version):
            self._remember(key, entry)
            return self._hit(request, entry)
        if version is None:  # the database is out: the page could not be rendered either
            return errors.database_unavailable(request, "page version unknown")
        # Out of date: one request renders the page again, the others meanwhile get the page
        # as it was, instead of all rendering it at once.
        if entry is not None and not cache.add(f"{key}:rendering", 1, timeout=RENDERING_SECONDS):
            return self._hit(request, entry)
        try:
            response = self.get_response(request)
            if self._may_store(request, response):
                patch_vary_headers(response, ["Cookie"])
                entry = (
                    version,
                    time.time() + seconds,
                    response.status_code,
                    list(response.items()),
                    response.content,
                )
                cache.set(key, entry, timeout=seconds + STALE_SECONDS)
                self._remember(key, entry)
        finally:
            if entry is not None:
                cache.delete(f"{key}:rendering")
        return response

    @staticmethod
    def _current(entry, version: int | None) -> bool:
        """Fresh, and of the current version (unless the database cannot tell it)."""
        stored = entry[0]
        return entry[1] > time.time() and (
            version is None or (isinstance(stored, int) and stored >= version)
        )

    @staticmethod
    def _remember(key: str, entry) -> None:
        if len(entry[4]) <= PAGE_MEMORY_MAX_BYTES:
            page_memory.set(key, entry)

    @staticmethod
    def _anonymous(request) -> bool:
        return not (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        )

    @staticmethod
    def _key(request) -> str:
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(url.encode()).hexdigest()
        return f"pages:{translation.get_language()}:{digest}"

    @classmethod
    def _lifetime(cls, request) -> int:
        """How long the page of this address is kept: 0 for a view whose pages are not, and
        for a person with a session unless the view answers everyone the same
        (`cache.same_for_everyone`)."""
        anonymous = cls._anonymous(request)
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return 0
        if not anonymous and not getattr(match.func, "same_for_everyone", False):
            return 0
        module = getattr(match.func, "__module__", "") or ""
        return max(
            (
                seconds
                for prefix, seconds in settings.PAGE_CACHE_SECONDS.items()
                if module == prefix or module.startswith(prefix + ".")
            ),
            default=0,
        )

    @staticmethod
    def _may_store(request, response) -> bool:
        return not (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or getattr(getattr(request, "session", None), "modified", False)
            or {"private", "no-store", "no-cache"}
            & {part.strip() for part in response.get("Cache-Control", "").split(",")}
        )

    @staticmethod
    def _hit(request, entry) -> HttpResponse:
        _version, _fresh_until, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )


class KoreanRunsMiddleware:
    """On a page in another language than Korean, marks each Korean run `lang="ko"`.

    Sits inside the page cache, so a stored page is stored marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or translation.get_language() == language_runs.CONTENT_LANGUAGE
            or not response.content
        ):
            return response
        charset = response.charset or "utf-8"
        response.content = language_runs.mark_korean_runs(response.content.decode(charset))
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
