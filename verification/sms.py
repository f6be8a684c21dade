"""Sending SMS: one interface, a console backend for development, adapters for providers.

`SMS_BACKEND` names the class. `send()` carries a verification code; `send_text()` a notice
as SMS (90 bytes EUC-KR), LMS (2,000 bytes) or KakaoTalk 알림톡 (a registered template and its
variables, with the SMS/LMS text to fall back to).

`HttpGateway` speaks the form-encoded "send" API that Korean bulk-SMS providers offer (Aligo's
`https://apis.aligo.in/send/` is the model: fields `key`, `user_id`, `sender`, `receiver`,
`msg`, `msg_type` SMS/LMS, `title`; a JSON answer whose `result_code` is 1 on success),
configured by `SMS_HTTP` only: `url`, `key`, `user_id` and `sender` (a number registered with
the provider). It sends no 알림톡: those go as their SMS/LMS text.

`SolapiGateway` speaks SOLAPI's REST API (`POST /messages/v4/send`, HMAC-SHA256 signed),
configured by `SMS_SOLAPI`: `url`, `api_key`, `api_secret`, `sender` (registered number),
`pf_id` (the KakaoTalk channel's profile id). An 알림톡 goes with `disableSms` false, so the
provider sends the text instead to a phone without KakaoTalk; when the provider refuses the
알림톡 itself (an unknown or unapproved template), the text goes at once as SMS/LMS.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


SMS_BYTES = 90
LMS_BYTES = 2000


def euc_kr_length(text: str) -> int:
    """Bytes of the text as Korean phones count them (EUC-KR; two per Hangul syllable)."""
    return len(text.encode("euc-kr", errors="replace"))


@dataclass(frozen=True)
class Text:
    """One notice to one mobile number. `text` fits an LMS; `subject` titles an LMS;
    `template` and `variables` name a registered 알림톡 (empty: a plain SMS/LMS)."""

    to: str
    text: str
    subject: str = ""
    template: str = ""
    variables: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "SMS" if euc_kr_length(self.text) <= SMS_BYTES else "LMS"


class SmsGateway:
    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError

    def send_text(self, message: Text) -> str:
        """Sends a notice; returns how it went ("SMS", "LMS" or "ATA" for 알림톡)."""
        raise NotImplementedError


class ConsoleGateway(SmsGateway):
    """Development: the message goes to the console (and the log) instead of a phone."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()
        logger.info("SMS to %s: %s", to, text)

    def send_text(self, message: Text) -> str:
        how = "ATA" if message.template else message.kind
        sys.stdout.write(f"{how} to {message.to} {message.template}: {message.text}\n")
        sys.stdout.flush()
        logger.info("%s to %s: %s", how, message.to, message.text)
        return how


class HttpGateway(SmsGateway):
    def send(self, *, to: str, text: str) -> None:
        self._post({"receiver": to, "msg": text})

    def send_text(self, message: Text) -> str:
        kind = message.kind
        fields = {"receiver": message.to, "msg": message.text, "msg_type": kind}
        if kind == "LMS" and message.subject:
            fields["title"] = message.subject
        self._post(fields)
        return kind

    def _post(self, fields: dict) -> None:
        config = settings.SMS_HTTP
        data = urllib.parse.urlencode(
            {"key": config["key"], "user_id": config["user_id"], "sender": config["sender"]}
            | fields
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


class SolapiGateway(SmsGateway):
    def send(self, *, to: str, text: str) -> None:
        self.send_text(Text(to=to, text=text))

    def send_text(self, message: Text) -> str:
        config = settings.SMS_SOLAPI
        plain = {"to": message.to, "from": config["sender"], "text": message.text}
        plain["type"] = message.kind
        if plain["type"] == "LMS" and message.subject:
            plain["subject"] = message.subject
        if not message.template:
            self._post(plain)
            return plain["type"]
        alimtalk = {
            **plain,
            "type": "ATA",
            "kakaoOptions": {
                "pfId": config["pf_id"],
                "templateId": message.template,
                "variables": message.variables,
                "disableSms": False,
            },
        }
        try:
            self._post(alimtalk)
        except SmsError as error:
            if not error.permanent:
                raise
            logger.warning("알림톡 refused (%s); sending it as %s", error, plain["type"])
            self._post(plain)
            return plain["type"]
        return "ATA"

    def _post(self, message: dict) -> None:
        config = settings.SMS_SOLAPI
        url = config["url"].rstrip("/") + "/messages/v4/send"
        if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise SmsError("SMS_SOLAPI['url'] must be an http(s) address.", permanent=True)
        request = urllib.request.Request(  # noqa: S310
            url,
            data=json.dumps({"message": message}).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": self._signature()},
        )
        try:
            # The scheme is checked above: only http(s) reaches urlopen.
            with urllib.request.urlopen(request, timeout=config.get("timeout", 10)) as response:  # noqa: S310  # nosec B310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read() or b"{}")
            except ValueError:
                answer = {}
            reason = f"{error.code} {answer.get('errorCode', '')} {answer.get('errorMessage', '')}"
            # 4xx: the request itself is refused (number, template, balance); 429 and 5xx pass.
            raise SmsError(
                reason.strip(), permanent=400 <= error.code < 500 and error.code != 429
            ) from error
        except (OSError, ValueError) as error:
            raise SmsError(str(error)) from error
        if str(answer.get("statusCode")) != "2000":  # 2000: taken for delivery
            raise SmsError(
                f"{answer.get('statusCode')} {answer.get('statusMessage', '')}", permanent=True
            )

    @staticmethod
    def _signature() -> str:
        """SOLAPI's HMAC-SHA256 header: the date and a salt signed with the API secret."""
        config = settings.SMS_SOLAPI
        date = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        salt = secrets.token_hex(16)
        signature = hmac.new(
            config["api_secret"].encode(), (date + salt).encode(), hashlib.sha256
        ).hexdigest()
        return (
            f"HMAC-SHA256 apiKey={config['api_key']}, date={date}, salt={salt}, "
            f"signature={signature}"
        )


def gateway() -> SmsGateway:
    return import_string(settings.SMS_BACKEND)()
