"""Sending SMS: one interface, a console backend for development, an HTTP adapter for a provider.

`SMS_BACKEND` names the class. `HttpGateway` speaks the form-encoded "send" API that Korean
bulk-SMS providers offer (Aligo's `https://apis.aligo.in/send/` is the model: fields `key`,
`user_id`, `sender`, `receiver`, `msg`; a JSON answer whose `result_code` is 1 on success),
configured by `SMS_HTTP` only: `url`, `key`, `user_id` and `sender` (a number registered with
the provider).
"""

import json
import logging
import sys
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsGateway:
    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError


class ConsoleGateway(SmsGateway):
    """Development: the message goes to the console (and the log) instead of a phone."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()
        logger.info("SMS to %s: %s", to, text)


class HttpGateway(SmsGateway):
    def send(self, *, to: str, text: str) -> None:
        config = settings.SMS_HTTP
        data = urllib.parse.urlencode(
            {
                "key": config["key"],
                "user_id": config["user_id"],
                "sender": config["sender"],
                "receiver": to,
                "msg": text,
            }
        ).encode()
        if urllib.parse.urlsplit(config["url"]).scheme not in {"http", "https"}:
            raise SmsError("SMS_HTTP['url'] must be an http(s) address.")
        request = urllib.request.Request(config["url"], data=data, method="POST")  # noqa: S310
        try:
            # The scheme is checked above: only http(s) reaches urlopen.
            with urllib.request.urlopen(request, timeout=config.get("timeout", 10)) as response:  # noqa: S310  # nosec B310
                answer = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as error:
            raise SmsError(str(error)) from error
        if str(answer.get("result_code")) != "1":
            raise SmsError(str(answer.get("message", answer)))


def gateway() -> SmsGateway:
    return import_string(settings.SMS_BACKEND)()
