"""The requirement tracker and the evidence package."""

import io
import json
import zipfile

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from councils.models import Council
from ogp_portal.cache import shared

from .. import opendata, transparency


def primary_council() -> Council:
    council = Council.objects.prefetch_related("directions", "timeline").primary()
    if council is None:
        raise Http404
    return council


class TrackerView(TemplateView):
    template_name = "public/tracker.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**shared("tracker", tracker), **kwargs)


def tracker() -> dict:
    """The tracker's page, the same to everyone."""
    council = primary_council()
    return {"council": council, "requirements": transparency.requirements(council)}


def evidence_package(request):
    """Everything the monitoring body needs, as one ZIP: the tracker and the open data."""
    council = primary_council()
    checks = transparency.requirements(council)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "requirements.json",
            json.dumps(
                {
                    "council": council.name,
                    "generated_at": timezone.now().isoformat(),
                    "site": settings.SITE_URL,
                    "requirements": [
                        {
                            "key": r.key,
                            "title": r.title,
                            "rule": r.rule,
                            "met": r.met,
                            "finding": r.finding,
                            "evidence": [
                                {"label": label, "url": settings.SITE_URL + url}
                                for label, url in r.evidence
                            ],
                        }
                        for r in checks
                    ],
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
        for name in opendata.DATASETS:
            rows = opendata.rows(name)
            archive.writestr(f"data/{name}.csv", opendata.to_csv(rows))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ogp-evidence-{stamp}.zip"'
    return response
