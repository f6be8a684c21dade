"""The portal's URLs plus the yardstick every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from ogp_portal.urls import urlpatterns as portal_urlpatterns


def minimal(request):
    """Same server, settings and middleware as every page; no query, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *portal_urlpatterns]
