"""The outbox's metrics, for the portal's Prometheus page (ogp_portal.metrics)."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .models import Message


def outbox_metrics():
    now = timezone.now()
    by_status = dict(
        Message.objects.filter(status__in=[Message.Status.PENDING, Message.Status.FAILED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    oldest_due = Message.objects.filter(status=Message.Status.PENDING, due_at__lte=now).aggregate(
        oldest=Min("due_at")
    )["oldest"]
    yield GaugeMetricFamily(
        "ogp_outbox_pending",
        "E-mails waiting to be sent (due or not).",
        value=by_status.get(Message.Status.PENDING, 0),
    )
    yield GaugeMetricFamily(
        "ogp_outbox_failed",
        "E-mails that failed every attempt and wait for the secretariat.",
        value=by_status.get(Message.Status.FAILED, 0),
    )
    yield GaugeMetricFamily(
        "ogp_outbox_oldest_due_age_seconds",
        "How long the oldest due e-mail has waited (0 when none is due).",
        value=(now - oldest_due).total_seconds() if oldest_due else 0,
    )
