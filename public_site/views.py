import io
import json
import zipfile

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.views.generic import TemplateView

from consultations.models import Poll
from councils.models import CommitteeMember, Council, Document, Meeting, Minutes
from proposals.models import ActionPlan, Call

from . import opendata, search, transparency


def _council() -> Council:
    council = Council.objects.prefetch_related("directions", "timeline").primary()
    if council is None:
        raise Http404
    return council


# How many open calls, open polls, upcoming meetings and latest minutes the front page lists.
SHOWN = 5


class HomeView(TemplateView):
    """The public OGP page: the front door for visitors."""

    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = Council.objects.prefetch_related("directions", "timeline").primary()
        context["council"] = council
        if council is None:
            return context
        now = timezone.now()
        checks = transparency.requirements(council)
        plan = ActionPlan.objects.current()
        events = transparency.timeline(council)
        commitments = list(plan.commitments.with_progress()) if plan else []
        context.update(
            member_count=CommitteeMember.objects.filter(council=council).current().count(),
            group_count=council.working_groups.count(),
            open_calls=list(Call.objects.open(now)[:SHOWN]),
            open_polls=list(Poll.objects.open(now)[:SHOWN]),
            upcoming_meetings=list(
                Meeting.objects.public().upcoming().select_related("group")[:SHOWN]
            ),
            latest_minutes=list(
                Minutes.objects.public()
                .select_related("meeting__group")
                .order_by("-published_at")[:SHOWN]
            ),
            latest_results=list(
                Poll.objects.public()
                .filter(result__isnull=False)
                .select_related("result")
                .order_by("-closes_at")[:3]
            ),
            # The demo's present-day examples are listed apart from the recorded history.
            timeline=[e for e in events if not e.demo],
            demo_events=[e for e in events if e.demo],
            plan=plan,
            commitments=commitments,
            plan_progress=round(sum(c.progress or 0 for c in commitments) / len(commitments))
            if commitments
            else None,
            requirements_met=sum(r.met for r in checks),
            requirements_total=len(checks),
        )
        return context


class TrackerView(TemplateView):
    template_name = "public/tracker.html"

    def get_context_data(self, **kwargs):
        council = _council()
        return super().get_context_data(
            council=council, requirements=transparency.requirements(council), **kwargs
        )


def evidence_package(request):
    """Everything the monitoring body needs, as one ZIP: the tracker and the open data."""
    council = _council()
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


class OpenDataView(TemplateView):
    """The documentation page of the open data."""

    template_name = "public/opendata.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            datasets=list(opendata.DATASETS),
            licence=settings.OPEN_DATA_LICENCE,
            page_size=opendata.PAGE_SIZE,
            **kwargs,
        )


def opendata_dataset(request, name: str, extension: str):
    """One page of a dataset: `?after=<id>` continues after that record; `next` links on."""
    if name not in opendata.DATASETS or extension not in {"json", "csv"}:
        raise Http404
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        raise Http404 from None
    if not 0 <= after < 2**63:
        raise Http404
    chunk, following = opendata.page(name, after=after)
    base = request.build_absolute_uri(request.path)
    next_url = f"{base}?after={following}" if following is not None else None
    if extension == "json":
        body = json.dumps(
            {
                "dataset": name,
                "licence": settings.OPEN_DATA_LICENCE,
                "after": after,
                "next": next_url,
                "results": chunk,
            },
            ensure_ascii=False,
            indent=2,
        ).encode()
        content_type = "application/json; charset=utf-8"
    else:
        body = opendata.to_csv(chunk).encode()
        content_type = "text/csv; charset=utf-8"
    etag, modified = opendata.version(f"{name}.{extension}.{after}", body)
    if _not_modified(request, etag, modified):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    link = [f'<{settings.OPEN_DATA_LICENCE["url"]}>; rel="license"']
    if next_url:
        link.append(f'<{next_url}>; rel="next"')
    response["Link"] = ", ".join(link)
    return response


def _not_modified(request, etag: str, modified) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(modified.timestamp()) <= since


class SearchView(TemplateView):
    template_name = "public/search.html"

    def get_context_data(self, **kwargs):
        # A NUL byte is never part of a search and PostgreSQL refuses it in a query.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]
        results = search.search(query) if query else None
        return super().get_context_data(
            query=query,
            results=results,
            total=sum(len(r) for r in results.values()) if results else 0,
            **kwargs,
        )


REPOSITORY_PER_PAGE = 20


class RepositoryView(TemplateView):
    """The document repository: official documents, published minutes and call reports."""

    template_name = "public/repository.html"

    def get_context_data(self, **kwargs):
        lists = {
            "documents": Document.objects.public().order_by("-date", "-pk"),
            "minutes": Minutes.objects.public()
            .select_related("meeting__group")
            .order_by("-published_at", "-pk"),
            "calls": Call.objects.closed().order_by("-closes_at", "-pk"),
        }
        pages = {
            name: Paginator(items, REPOSITORY_PER_PAGE).get_page(self.request.GET.get(name))
            for name, items in lists.items()
        }
        return super().get_context_data(pages=pages, **kwargs)


class CopyrightView(TemplateView):
    """저작권정책: how the portal's texts, data and images may be reused."""

    template_name = "public/copyright.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(licence=settings.OPEN_DATA_LICENCE, **kwargs)


class AccessibilityView(TemplateView):
    """웹접근성 statement: the standard the portal follows, how it is checked, whom to tell."""

    template_name = "public/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=settings.PRIVACY_OFFICER["contact"], **kwargs)
