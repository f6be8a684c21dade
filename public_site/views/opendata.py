"""Open data: its documentation page and each dataset, paged, as JSON and CSV."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe
from django.views.generic import TemplateView

from ogp_portal.cache import same_for_everyone

from .. import opendata
from ..models import DatasetVersion


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


@same_for_everyone
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
    version = DatasetVersion.objects.filter(name=name).order_by("-number").first()
    base = request.build_absolute_uri(request.path)
    next_url = f"{base}?after={following}" if following is not None else None
    if extension == "json":
        body = json.dumps(
            {
                "dataset": name,
                "version": version.number if version else None,
                "version_published_at": version.published_at.isoformat() if version else None,
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
    if version is not None:
        response["Dataset-Version"] = str(version.number)
    link = [
        f'<{settings.OPEN_DATA_LICENCE["url"]}>; rel="license"',
        f'<{request.build_absolute_uri(reverse("feed_news"))}>; rel="alternate"; '
        'type="application/atom+xml"',
    ]
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
