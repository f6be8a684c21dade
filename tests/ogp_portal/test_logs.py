import copy
import io
import json
import logging
import logging.config
import time

import pytest
import sentry_sdk
from django.conf import settings as django_settings

from ogp_portal.logs import mask
from ogp_portal.sentry import DATA_COLLECTION, before_send

SECRETS = [
    "kim.minji@example.org",
    "010-1234-5678",
    "+82 10 1234 5678",
    "01012345678",
    "062-613-2345",
    "482913",
    "ABCD-EFGH-JK23",
    "dGhpcyBpcyBhIHNlY3JldCB0b2tlbiAxMjM0NTY3",
    "sessionid=q8w9e7r6t5y4u3i2",
]


@pytest.mark.parametrize("secret", SECRETS)
def test_mask_leaves_no_personal_data_or_secret(secret):
    masked = mask(f"SMS to someone: {secret} (attempt 2 of 5)")
    assert secret not in masked
    assert masked.startswith("SMS to someone: ") and masked.endswith(" (attempt 2 of 5)")


def test_mask_keeps_what_an_operator_needs():
    line = (
        "Drain sent 25 messages in 1.5 s; poll 12 counted 2026-12-07 batch of 50; "
        "task eea735b3-27eb-4310-9908-e0eeb0a1921e succeeded"
    )
    assert mask(line) == line


@pytest.fixture
def log_lines():
    """The console handler of Django's LOGGING, as configured, writing to a buffer."""
    config = copy.deepcopy(django_settings.LOGGING)  # the configurator pops what it reads
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    for name in config["handlers"]["console"]["filters"]:
        handler.addFilter(configurator.configure_filter(config["filters"][name]))
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["json"]))
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_a_log_record_is_one_json_line_with_personal_data_masked(log_lines):
    logger = logging.getLogger("verification.sms")
    logger.info("SMS to %s: your code is %s", "010-9876-5432", "135790")
    logger.warning(
        "Bearer %s refused for %s",
        "abcDEF123456ghiJKL789012mno",
        "lee@example.kr",
        extra={"data": {"args": "('010-1111-2222',)", "attempt": 2}},
    )
    try:
        raise ValueError("lee@example.kr sent a wrong code")
    except ValueError:
        logger.exception("failed")

    info, warning, error = log_lines()
    assert info["message"] == "SMS to [phone]: your code is [code]"
    assert info["level"] == "INFO" and info["logger"] == "verification.sms" and "time" in info
    assert warning["message"] == "Bearer [token] refused for [email]"
    assert warning["data"] == {"args": "('[phone]',)", "attempt": 2}
    assert "lee@example.kr" not in json.dumps(error) and "[email] sent" in error["exc_info"]


def test_the_request_id_comes_from_the_proxy_and_goes_back(client, db, log_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "a1b2c3d4-proxy-id"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "a1b2c3d4-proxy-id"
    (line,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "a1b2c3d4-proxy-id"
    assert line["message"] == "Not Found: /no-such-page/"


def test_a_request_without_an_id_gets_one(client, db, log_lines):
    first = client.get("/no-such-page/?token=abc", headers={"X-Request-ID": "bad id!"})
    second = client.get("/no-such-page/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    ids = [line["request_id"] for line in log_lines() if line["logger"] == "django.request"]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]


def test_a_task_queued_during_a_request_logs_the_requests_id():
    from ogp_portal.celery import _send_request_id
    from ogp_portal.logs import request_id

    headers = {}
    token = request_id.set("f00dfeed1234")
    try:
        _send_request_id(headers=headers)
    finally:
        request_id.reset(token)
    assert headers == {"request_id": "f00dfeed1234"}


PERSONAL_EVENT = {
    "message": "vote refused for park@example.org",
    "request": {
        "url": "https://ogp.example/verify/phone/",
        "query_string": "phone=010-2222-3333&code=246810",
        "cookies": {"sessionid": "s3ss10n"},
        "data": {"phone": "01022223333"},
        "headers": {
            "Cookie": "sessionid=s3ss10n",
            "Authorization": "Bearer abc",
            "User-Agent": "Mozilla/5.0",
            "X-Forwarded-For": "203.0.113.7",
        },
        "env": {"REMOTE_ADDR": "203.0.113.7"},
    },
    "user": {"id": 42, "email": "park@example.org", "ip_address": "203.0.113.7"},
    "breadcrumbs": {"values": [{"message": "SMS to 010-2222-3333: 246810"}]},
    "exception": {"values": [{"value": "token=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5 invalid"}]},
}


def test_an_error_report_carries_no_personal_data():
    event = json.dumps(before_send(json.loads(json.dumps(PERSONAL_EVENT)), {}))
    for personal in [
        "park@example.org",
        "010-2222-3333",
        "01022223333",
        "246810",
        "s3ss10n",
        "203.0.113.7",
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5",
        "Bearer abc",
    ]:
        assert personal not in event
    report = json.loads(event)
    assert report["user"] == {"id": 42}
    assert report["request"]["headers"] == {"User-Agent": "Mozilla/5.0"}


def test_a_captured_exception_passes_through_before_send():
    sent = []

    class Transport(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            sent.extend(item.payload.json for item in envelope.items if item.payload.json)

    client = sentry_sdk.Client(
        dsn="https://public@glitchtip.city.example/1",
        transport=Transport,
        before_send=before_send,
        data_collection=DATA_COLLECTION,
        default_integrations=False,
    )
    with sentry_sdk.new_scope() as scope:
        scope.set_client(client)
        scope.set_user({"id": 7, "email": "choi@example.org"})
        try:
            raise RuntimeError("no verification for choi@example.org, 010-3333-4444")
        except RuntimeError:
            sentry_sdk.capture_exception()
    client.flush()
    (event,) = sent
    text = json.dumps(event)
    assert "choi@example.org" not in text and "010-3333-4444" not in text
    assert "no verification for [email], [phone]" in text
    assert event["user"] == {"id": 7}


@pytest.mark.celery_worker
def test_a_worker_logs_with_the_id_of_the_request_that_queued_its_task(celery_worker):
    from celery.signals import task_prerun

    from consultations.tasks import reconcile_polls
    from ogp_portal.logs import request_id
    from ogp_portal.models import TaskRun

    seen = []

    def record(**kwargs):
        seen.append(request_id.get())

    task_prerun.connect(record, weak=False)
    token = request_id.set("feedc0de5678")
    try:
        reconcile_polls.delay()
        for _ in range(300):
            if seen:
                break
            time.sleep(0.1)
    finally:
        request_id.reset(token)
        task_prerun.disconnect(record)
    assert seen == ["feedc0de5678"]
    # The run is written once the task has finished, after it started (seen above).
    ran = TaskRun.objects.filter(name="consultations.tasks.reconcile_polls")
    for _ in range(300):
        if ran.exists():
            break
        time.sleep(0.1)
    assert ran.exists()


def gunicorn_access_line(environ: dict) -> dict:
    """The access line the image's gunicorn writes for a request with this environ."""
    import importlib.util
    import types
    from datetime import timedelta
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    written = []
    access = types.SimpleNamespace(
        cfg=types.SimpleNamespace(accesslog="-", logconfig=None, syslog=False),
        access_log=types.SimpleNamespace(info=written.append),
    )
    response = types.SimpleNamespace(status_code=302, sent=0)
    conf.JsonLogger.access(access, response, None, environ, timedelta(milliseconds=3))
    return json.loads(written[0])


def test_the_access_log_masks_the_key_of_a_password_reset_link(client, db, mailoutbox):
    """The attack run read a reset link's key from the access log (allauth puts it in the path,
    not the query string) and set the account's password with it."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    from tests.factories import UserFactory

    person = UserFactory()
    key = default_token_generator.make_token(person)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": key},
    )
    answer = client.get(path)
    line = gunicorn_access_line(answer.wsgi_request.META)
    assert key not in line["path"] and line["path"].startswith("/accounts/password/reset/key/")


def test_the_access_log_masks_a_token_in_a_path_the_site_did_not_resolve():
    token = "gAAAAABpOGx3" + "k9Q2mLw8pZ7_Hq-4" * 6  # a sealed unsubscribe token's shape
    line = gunicorn_access_line(
        {"REQUEST_METHOD": "GET", "PATH_INFO": f"/notifications/unsubscribe/{token}/"}
    )
    assert token not in line["path"] and line["path"].startswith("/notifications/unsubscribe/")
