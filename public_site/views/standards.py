"""The open data in standard forms: the council in Popolo, and the data package of /data/."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse

from ogp_portal.cache import same_for_everyone

from .. import datapackage, popolo


def _json_response(document: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@same_for_everyone
def popolo_document(request, language: str):
    """The council, its committee, groups, members and meetings in Popolo JSON, in a language."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    document = popolo.document(language=language)
    if document is None:
        raise Http404
    return _json_response(document)


@same_for_everyone
def datapackage_descriptor(request):
    """The data package of /data/: every dataset's files, Table Schemas, licence and sources."""
    return _json_response(datapackage.package())
