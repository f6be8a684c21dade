"""Prometheus metrics of the portal, computed when Prometheus scrapes them.

Each scrape runs a few bounded queries (indexed counts and a minimum, one row per open poll and
per periodic task) and one Redis LLEN, so any web process answers with the same numbers: nothing
is kept in the process, and gunicorn's many workers need no shared metric files. The page is not
public: it answers only a request that carries `Authorization: Bearer <METRICS_TOKEN>` or comes
from an address in METRICS_ALLOWED_NETWORKS, and 404 to anyone else. docs/operations.md explains
each metric and deploy/alerts.yml the alerts on them. Each app yields its own metrics from a
function named in METRICS_SOURCES (outbox.metrics, consultations.metrics, and the queue and
periodic tasks here).
"""

import hmac
import ipaddress

import redis
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .adapters import client_ip
from .models import TaskRun


class PortalCollector(Collector):
    """The metrics of every function named in METRICS_SOURCES: each app measures its own."""

    def collect(self):
        for source in settings.METRICS_SOURCES:
            yield from import_string(source)()


def queue_metrics():
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=0.5, socket_timeout=0.5
    )
    try:
        length = client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    except redis.RedisError:
        length = float("nan")  # the broker is down: /readyz and its alert say so
    finally:
        client.close()
    yield GaugeMetricFamily(
        "ogp_celery_queue_length",
        "Tasks waiting in the Celery queue (NaN when the broker cannot be reached).",
        value=length,
    )


def task_metrics():
    last = GaugeMetricFamily(
        "ogp_task_last_success_timestamp_seconds",
        "When each periodic task last finished without an error (Unix time).",
        labels=["task"],
    )
    for name, succeeded_at in TaskRun.objects.order_by("name").values_list("name", "succeeded_at"):
        last.add_metric([name], succeeded_at.timestamp())
    yield last


def scrape_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given, token):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS
    )


def metrics(request):
    """The Prometheus text format, for a scraper with the token or from an allowed network."""
    if not scrape_allowed(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PortalCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
