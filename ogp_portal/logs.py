"""Log lines as JSON with the request's id, and without personal data or secrets.

`RequestIdMiddleware` takes the id the proxy sent in X-Request-ID (or makes one), keeps it for
the request's log records and returns it in the response's X-Request-ID; a task queued during the
request carries it too (ogp_portal.celery). `MaskFilter` rewrites every record's message so that
no e-mail address, phone number, code, receipt or token reaches a log; `mask` does the same for
error reports (ogp_portal.sentry). The middleware also leaves the path the server's access line
may show (`LOG_PATH`: tokens in the address masked) in the WSGI environ.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

REQUEST_ID_HEADER = "X-Request-ID"
# The path an access line shows, left in the WSGI environ for the server's access log.
LOG_PATH = "portal.log_path"
# Parts of an address that open an account or act for someone: a password-reset or
# confirmation key, an unsubscribe or staff-enrolment token.
SECRET_URL_PARTS = frozenset({"key", "token", "uidb36"})
request_id = contextvars.ContextVar("request_id", default="")
# An id from outside is kept only when it looks like one (a proxy's UUID or hex string).
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,128}")

MASKS = [
    # a bearer token or a secret named in a header, a query string or key=value text
    (re.compile(r"(?i)\b(bearer)\s+[^\s,;\"']+"), r"\1 [token]"),
    (
        re.compile(
            r"(?i)\b(token|key|secret|password|passwd|code|receipt|signature|sessionid|"
            r"csrftoken|csrfmiddlewaretoken|cookie)(\"?'?\s*[:=]\s*\"?'?)([^\s&\"',;]+)"
        ),
        r"\1\2[masked]",
    ),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # receipt codes (XXXX-XXXX-XXXX) before phone numbers and codes
    (re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b"), "[receipt]"),
    (re.compile(r"(?<![\w.])(?:\+82[-. ]?|0)1\d[-. ]?\d{3,4}[-. ]?\d{4}(?![\w.])"), "[phone]"),
    (re.compile(r"(?<![\w.])0\d{1,2}[-. ]\d{3,4}[-. ]\d{4}(?![\w.])"), "[phone]"),
    (re.compile(r"(?<![\w.])\d{6}(?![\w.])"), "[code]"),
    # long random strings with digits: keys, tokens, signed values (not the UUIDs of records
    # and tasks, which name no one and which an operator searches for)
    (
        re.compile(
            r"(?<![\w-])(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-]))"
            r"(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{24,}(?![\w-])"
        ),
        "[token]",
    ),
]


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def path_for_log(request) -> str:
    """The request's path with the secret parts of its address masked (by the URL pattern's
    names when it resolved, and by `mask` in any case)."""
    path = request.path
    match = request.resolver_match
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_PARTS and value:
            path = path.replace(str(value), "[masked]")
    return mask(path)


def mask_all(value):
    """`mask` applied to every string in a value made of dicts, lists and tuples."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_all(item) for item in value]
    return value


# What every LogRecord has; anything else on a record was added by the caller (`extra=`).
RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class MaskFilter(logging.Filter):
    """Masks personal data and secrets in a record's message and traceback, for every handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        # Django's request log passes the request itself, whose text holds the query string.
        record.__dict__.pop("request", None)
        for name in set(vars(record)) - RECORD_ATTRIBUTES:
            setattr(record, name, mask_all(getattr(record, name)))
        if record.exc_info:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request's or the task's, or empty."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id for its log lines and returns it in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        current = given if REQUEST_ID_PATTERN.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is closed (`request_id_clear`): Django logs a 4xx or 5xx
        # after the middleware returned.
        request_id.set(current)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = current
        request.META[LOG_PATH] = path_for_log(request)
        return response


@receiver(request_finished)
def request_id_clear(**kwargs) -> None:
    request_id.set("")
