"""Error pages: in the site's layout and the visitor's language, the database-outage 503 and
the rate limits' 429.

The 500 and 503 pages render without a request context, so they never touch the database
(no session, no user, no query): they must work when the database is the thing that failed.
"""

import logging
import sys

from django.db import OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

# How long a client should wait before trying again after a database outage (seconds).
RETRY_AFTER_SECONDS = 30
# How long a client refused by a rate limit should wait (most windows are a minute).
RATE_LIMIT_RETRY_AFTER_SECONDS = 60


def is_database_unavailable(error: BaseException | None) -> bool:
    """Django wraps psycopg's errors (PoolTimeout included) in its own OperationalError."""
    return isinstance(error, OperationalError | PoolTimeout)


def database_unavailable(request, error: BaseException) -> HttpResponse:
    """The 503 page: "please try again in a moment", rendered without the database."""
    logger.warning("Database unavailable for %s: %s", request.path, error)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """handler500: Django calls it while handling the error, so the error is the current one.

    A database outage noticed outside a view (loading the session or the user in middleware,
    rendering the 404 page's layout) arrives here rather than at the middleware.
    """
    error = sys.exception()
    if is_database_unavailable(error):
        return database_unavailable(request, error)
    return HttpResponseServerError(loader.get_template("500.html").render())


def too_many_requests(request, exception=None) -> HttpResponse:
    """handler429 (allauth's limits) and the portal's own: the site's page, with a way back.

    The way back is the page the request came from, when it is on this site: going back keeps
    what was typed there in the browser.
    """
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    response = render(request, "429.html", {"back_url": back}, status=429)
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own page, in one language, with what to do next."""
    return render(request, "403_csrf.html", status=403)
