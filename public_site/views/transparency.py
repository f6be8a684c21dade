"""The requirement tracker, the records behind its figures and the evidence package."""

import io
import json
import zipfile

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from councils.models import Council
from ogp_portal.views import SharedPageMixin
from plans.models import Commitment, Milestone

from .. import opendata, transparency


def primary_council() -> Council:
    council = Council.objects.prefetch_related("directions", "timeline").primary()
    if council is None:
        raise Http404
    return council


class TrackerView(SharedPageMixin, TemplateView):
    template_name = "public/tracker.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            shared_compute=tracker,
            milestone_rules=Milestone.RULES,
            commitment_rules=Commitment.RULES,
            **kwargs,
        )


def tracker() -> dict:
    """The tracker's page, the same to everyone."""
    council = primary_council()
    return {
        "council": council,
        "requirements": transparency.requirements(council),
        "completion": transparency.plan_completion(),
    }


class FigureRecordsView(TemplateView):
    """The records behind one figure of the tracker and the self-assessment, a page at a time."""

    template_name = "public/tracker_records.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        council = primary_council()
        key = self.kwargs["key"]
        completion = transparency.plan_completion()
        figure = {f.key: f for f in transparency.all_figures(council, completion)}.get(key)
        records = transparency.figure_records(council, key)
        if records is None:
            records = transparency.commitments_at(completion, key)
        if figure is None or records is None:
            raise Http404
        page = Paginator(records, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(figure=figure, page=page, **kwargs)


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
        archive.writestr(
            "completion.json",
            json.dumps(
                transparency.completion_document(transparency.plan_completion()),
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
