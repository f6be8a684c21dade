"""/healthz and /readyz: answered before the HTTPS redirect, the host check and the page cache."""

import datetime as dt

import pytest
from django.utils import timezone

from consultations.models import Envelope
from tests.factories import MessageFactory, PollFactory


def test_healthz_answers_plain_http_by_address_without_the_database(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ogp.example"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_each_check_and_the_waiting_work(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ogp.example"]
    MessageFactory(due_at=timezone.now() - dt.timedelta(minutes=3))
    MessageFactory(due_at=timezone.now() + dt.timedelta(hours=1))
    poll = PollFactory()
    Envelope.objects.create(poll=poll, content=b"sealed")
    response = client.get("/readyz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert 170 <= body["outbox_oldest_due_seconds"] <= 400
    assert body["envelopes_waiting"] == 1
    assert response["Cache-Control"] == "no-store"
    # Nothing personal: no address of the messages waiting.
    assert "@" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_readyz_is_never_served_from_the_page_cache(client):
    first = client.get("/readyz").json()
    MessageFactory(due_at=timezone.now() - dt.timedelta(minutes=10))
    second = client.get("/readyz").json()
    assert first["outbox_oldest_due_seconds"] == 0
    assert second["outbox_oldest_due_seconds"] >= 590
