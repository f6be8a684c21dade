"""Atom feeds: news of the council's work and new versions of the open data, and published poll
results."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from consultations.models import Poll
from councils.models import Council
from ogp_portal.cache import same_for_everyone

from . import transparency
from .models import DatasetVersion

# How many of the latest dataset versions the news carries.
VERSIONS_SHOWN = 20


def _version_event(version: DatasetVersion) -> transparency.Event:
    return transparency.Event(
        date=timezone.localdate(version.published_at),
        title=_("Open data: %(dataset)s, version %(number)d")
        % {"dataset": version.name, "number": version.number},
        details=_("%(rows)d rows. SHA-256 of the CSV: %(sha256)s")
        % {"rows": version.rows, "sha256": version.sha256},
        url=version.get_absolute_url(),
        automatic=True,
    )


@same_for_everyone
class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Gwangju OGP Council: news")
    subtitle = _("Calls, polls, meetings and the action plan, as they happen.")

    def link(self):
        return reverse("home")

    def items(self):
        council = Council.objects.prefetch_related("timeline").primary()
        if council is None:
            return []
        versions = [_version_event(v) for v in DatasetVersion.objects.all()[:VERSIONS_SHOWN]]
        events = transparency.timeline(council) + versions
        return list(reversed(sorted(events, key=lambda e: (e.date, e.automatic))))[:50]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return event.details

    def item_link(self, event):
        return event.url or reverse("home") + f"#timeline-{event.date.isoformat()}"

    def item_guid(self, event):
        return f"{event.date.isoformat()}:{event.title}"

    def item_pubdate(self, event):
        return timezone.make_aware(dt.datetime.combine(event.date, dt.time(9)))


@same_for_everyone
class ResultsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Gwangju OGP Council: poll results")
    subtitle = _("Every published result of 'Ask the citizens'.")

    def link(self):
        return reverse("consultations:poll_list")

    def items(self):
        return (
            Poll.objects.public()
            .filter(result__isnull=False)
            .select_related("result")
            .order_by("-closes_at")[:50]
        )

    def item_title(self, poll):
        return poll.question

    def item_description(self, poll):
        return " · ".join(f"{label}: {votes}" for label, votes in poll.result.counts)

    def item_pubdate(self, poll):
        return poll.result.frozen_at
