"""Error reports to Sentry, or to a self-hosted Sentry or GlitchTip, when SENTRY_DSN is set.

No personal data leaves in a report: the SDK collects none (`DATA_COLLECTION`, which replaces
`send_default_pii=False` in this SDK: no user's address, cookies, bodies, query strings or
local variables), and `before_send` drops what remains of cookies, headers and form data,
keeps the account's id only, and masks e-mail addresses, phone numbers, codes, receipts and
tokens in every string of the event (ogp_portal.logs.mask_all).
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from .logs import mask_all

# Request headers a report may keep; all others (Cookie, Authorization, X-CSRFToken, forwarded
# addresses) are dropped.
KEPT_HEADERS = {"accept", "accept-language", "content-type", "content-length", "host", "user-agent"}


DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "url_query_params": {"mode": "off"},
    "http_bodies": [],
    "stack_frame_variables": False,
    "database_query_data": False,
}


def before_send(event: dict, hint: dict) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        for personal in ("cookies", "data", "env"):
            request.pop(personal, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return mask_all(event)


def before_breadcrumb(crumb: dict, hint: dict) -> dict:
    return mask_all(crumb)


def sentry_init(*, dsn: str, environment: str, release: str, ca_certs: str | None) -> None:
    """Error reports from the web processes, the workers and beat (ERROR log records too)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        # A self-hosted server on a closed network may use the city's own certificate authority.
        ca_certs=ca_certs,
        data_collection=DATA_COLLECTION,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        traces_sample_rate=0,
        integrations=[DjangoIntegration(), CeleryIntegration(), LoggingIntegration()],
    )
