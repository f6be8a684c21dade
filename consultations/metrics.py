"""The open polls' metrics, for the portal's Prometheus page (ogp_portal.metrics)."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from .models import Envelope, Poll


def poll_metrics():
    polls = list(Poll.objects.open().order_by("pk").values_list("pk", "slug", "ballot_count"))
    waiting = dict(
        Envelope.objects.filter(poll__in=[pk for pk, _slug, _count in polls])
        .values_list("poll")
        .annotate(n=Count("pk"))
        .order_by()
    )
    envelopes = GaugeMetricFamily(
        "ogp_poll_envelopes_waiting",
        "Sealed envelopes of an open poll waiting to be counted.",
        labels=["poll"],
    )
    accepted = GaugeMetricFamily(
        "ogp_poll_votes_accepted",
        "Votes an open poll accepted online: ballots counted plus envelopes waiting.",
        labels=["poll"],
    )
    for pk, slug, ballot_count in polls:
        envelopes.add_metric([slug], waiting.get(pk, 0))
        accepted.add_metric([slug], ballot_count + waiting.get(pk, 0))
    yield envelopes
    yield accepted
