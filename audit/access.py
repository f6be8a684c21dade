"""Writing access records (`AccessRecord`): staff sign-ins and failed sign-ins (a wrong password
or a wrong authenticator code), staff views of pages holding personal data, downloads of
personal data, and lookups of a person by the details typed in a form (a poll officer's or the
counter's: `ACCESS_RECORDED_LOOKUPS`), whoever makes them and whatever the answer.

A page holds personal data when it is the admin of a model that the privacy inventory lists
(`privacy/inventory.toml`), or a site page named in `ACCESS_RECORDED_VIEWS`; a download is any
answer sent as an attachment to a staff account, or a page named in `ACCESS_RECORDED_DOWNLOADS`
(a person's own data export) to anyone.
"""

import functools
import hmac
import re
import uuid
from urllib.parse import unquote, urlencode

from allauth.account.adapter import get_adapter
from django.apps import apps
from django.conf import settings
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.views.main import IS_FACETS_VAR, SEARCH_VAR
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import BooleanField, Q
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from privacy.inventory import inventory

from .models import AccessRecord


def _client(request) -> str | None:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


# The admin's own controls, with the values they take: ordering, page, "show all", the error
# flag, the pop-up and its target field, the search-as-you-type's field (a wrong name there is
# refused, and so never recorded). Any other value in a control is kept as its mark too.
NUMBER, NAME = re.compile(r"[-0-9.]*"), re.compile(r"[a-z_][a-z0-9_]*")
CONTROLS = {
    "o": NUMBER,
    "p": NUMBER,
    "page": NUMBER,
    "all": NUMBER,
    "e": NUMBER,
    "_popup": NUMBER,
    "_to_field": NAME,
    "app_label": NAME,
    "model_name": NAME,
    "field_name": NAME,
}
# The admin carries a list's query on into the pages opened from it.
CARRIED_QUERY = "_changelist_filters"


def searched_mark(text: str) -> str:
    """What a record keeps of a typed search: a keyed hash, the same for the same words, so an
    auditor holding the key can tell whether someone searched for a name, while a person's name
    does not stay in the records once their account is deleted."""
    words = " ".join(text.split()).casefold()
    digest = hmac.new(settings.AUDIT_PSEUDONYM_KEY.encode(), f"search:{words}".encode(), "sha256")
    return f"searched:{digest.hexdigest()[:20]}"


YES_NO = frozenset({"0", "1", "true", "false", "True", "False"})


def _kept(model, key: str, value: str) -> bool:
    """Whether a query's value stays as it is in the record: a control's, or a fixed choice."""
    if key in CONTROLS:
        return bool(CONTROLS[key].fullmatch(value))
    return _fixed_choice(model, key, value)


def _fixed_choice(model, lookup: str, value: str) -> bool:
    """Whether `value` of a filter `lookup` ("status__exact", "user__is_staff") of `model` is
    one of the admin's fixed choices (a field's choices, yes or no, "isnull"): then it cannot
    be what staff typed about a person."""
    field, parts = None, lookup.split("__")
    while parts and (field is None or field.is_relation):
        try:
            field = (model if field is None else field.related_model)._meta.get_field(parts[0])
        except (FieldDoesNotExist, AttributeError):
            break
        parts.pop(0)
    if field is None:
        return False
    values = value.split(",") if parts[-1:] == ["in"] else [value]
    if parts[-1:] == ["isnull"] or isinstance(field, BooleanField):
        return set(values) <= YES_NO
    choices = {str(choice) for choice, _label in getattr(field, "flatchoices", ())}
    return bool(choices) and set(values) <= choices


# The query's keys a page of the admin reads besides a model's filters: its controls, the
# search and the search-as-you-type's words, the facets' switch, the list's query carried along
# and the page to go back to after signing in.
ADMIN_KEYS = frozenset({*CONTROLS, CARRIED_QUERY, SEARCH_VAR, "term", IS_FACETS_VAR})
SITE_KEYS = frozenset({REDIRECT_FIELD_NAME})


def _filters_by(model_admin, key: str) -> bool:
    """Whether `key` is a filter the model admin reads: a field lookup of its model
    ("first_name", "status__exact", "groups__id__exact", "sent_at__year") or the parameter of
    one of its own list filters."""
    if model_admin is None:
        return False
    field, parts = None, key.split("__")
    while parts and (field is None or field.is_relation):
        try:
            field = (model_admin.model if field is None else field.related_model)._meta.get_field(
                parts[0]
            )
        except (FieldDoesNotExist, AttributeError):
            break
        parts.pop(0)
    if field is not None and set(parts) <= set(field.get_lookups()):
        return True
    return any(
        isinstance(spec, type) and issubclass(spec, SimpleListFilter) and spec.parameter_name == key
        for spec in model_admin.list_filter
    )


def _known(key: str, *, admin: bool, model_admin) -> bool:
    return key in SITE_KEYS or (admin and key in ADMIN_KEYS) or _filters_by(model_admin, key)


def marked_query(query: QueryDict, *, admin: bool = False, model_admin=None) -> str:
    """A query string in which only the admin's own controls and fixed choices keep their value:
    any other value (a search, a filter typed in the address: `?first_name=…`,
    `?email__iexact=…`) is replaced by its mark, in it and in the list's query carried along.
    Only the keys the page reads (`_known`) stay as they are: any other (a name typed as a key,
    `?김민수=1`) is replaced by its mark too. `admin`: a page of the admin; `model_admin`: the
    model admin whose page it is, if any."""
    model = getattr(model_admin, "model", None)
    pairs = []
    for key, values in query.lists():
        for value in values:
            if key == CARRIED_QUERY:
                value = marked_query(QueryDict(value), admin=admin, model_admin=model_admin)
            elif value.strip() and not _kept(model, key, value):
                value = searched_mark(value)
            known = _known(key, admin=admin, model_admin=model_admin)
            pairs.append((key if known else searched_mark(key), value))
    return urlencode(pairs, safe=":")


KEY = re.compile(
    r"[0-9]+|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.ASCII | re.I
)


def is_key(value) -> bool:
    """Whether a page's parameter is a record's key (a whole number, a UUID): what the site's
    addresses expect, never a name typed."""
    return bool(KEY.fullmatch(str(value)))


def _written(match, values: dict) -> str:
    """The path the route of `match` makes of these parameters' values."""
    if match.captured_kwargs:
        return reverse(match.view_name, kwargs=values)
    return reverse(match.view_name, args=list(values.values()))


def recorded_route(request) -> str:
    """The page's path as the site's routes make it: the route, with each parameter that is a
    key as it is and any other (`/admin/ogp_portal/user/<a name>/change/`) as its mark. A path
    that its route does not write again (no route name) keeps only its segments that are keys."""
    match = request.resolver_match
    if match is not None:
        captured = dict(match.captured_kwargs) or dict(enumerate(match.args))
        typed = {name: str(value) for name, value in captured.items() if not is_key(value)}
        if not typed:
            return request.path
        stand_ins = {name: f"x{uuid.uuid4().hex}" for name in typed}
        try:
            as_typed = _written(match, captured)
            path = _written(match, {**captured, **stand_ins})
        except NoReverseMatch:
            as_typed = None
        if as_typed is not None and unquote(as_typed) == request.path:
            for name, stand_in in stand_ins.items():
                path = path.replace(stand_in, searched_mark(typed[name]))
            return path
    return "/".join(
        segment if not segment or is_key(segment) else searched_mark(segment)
        for segment in request.path.split("/")
    )


def recorded_path(request) -> str:
    """The page's path (`recorded_route`) and query (`marked_query`): whatever staff may have
    typed in the address is kept only as its mark."""
    match = request.resolver_match
    path = recorded_route(request)
    if not request.GET:
        return path[:500]
    query = marked_query(
        request.GET,
        admin=getattr(match, "app_name", None) == "admin",
        model_admin=getattr(getattr(match, "func", None), "model_admin", None),
    )
    return f"{path}?{query}"[:500]


def access_record(*, request, actor, kind: str, target: str = "", shown: str = "") -> AccessRecord:
    return AccessRecord.objects.create(
        actor=actor,
        actor_label=getattr(actor, "email", "") or "",
        remote_addr=_client(request) if request is not None else None,
        kind=kind,
        path=recorded_path(request) if request is not None else "",
        target=target[:200],
        shown=shown,
    )


def rows_shown(response) -> str:
    """The keys of the rows an admin list (or its search) put on the screen, as " 12 15 ", so
    that whose rows a staff member saw can be told later; "" for any other page."""
    changelist = (getattr(response, "context_data", None) or {}).get("cl")
    rows = getattr(changelist, "result_list", None)
    return f" {' '.join(str(row.pk) for row in rows)} " if rows else ""


@functools.cache
def personal_admin_pages() -> frozenset[str]:
    """The admin's URL prefixes of every model holding personal data: "app_label/model"."""
    labels = {field.rsplit(".", 1)[0] for field in inventory().fields}
    pages = set()
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        pages.add(f"{model._meta.app_label}/{model._meta.model_name}")
    return frozenset(pages)


def _autocomplete_target(request) -> str:
    """ "ogp_portal.user" when the admin's search-as-you-type lists people (a field's choices
    from a personal model), "" otherwise."""
    try:
        field = apps.get_model(
            request.GET.get("app_label", ""), request.GET.get("model_name", "")
        )._meta.get_field(request.GET.get("field_name", ""))
    except (LookupError, ValueError, FieldDoesNotExist):
        return ""
    remote = getattr(field.remote_field, "model", None)
    if remote is None:
        return ""
    label = f"{remote._meta.app_label}/{remote._meta.model_name}"
    return label.replace("/", ".") if label in personal_admin_pages() else ""


def _admin_target(request) -> str:
    """ "outbox.message #12" for an admin page of a personal model, "" for any other page."""
    match = request.resolver_match
    if match is None or match.namespace != "admin" or not match.url_name:
        return ""
    if match.url_name == "autocomplete":
        return _autocomplete_target(request)
    parts = request.path_info.split("/admin/", 1)[-1].strip("/").split("/")
    if len(parts) < 2 or f"{parts[0]}/{parts[1]}" not in personal_admin_pages():
        return ""
    # A record's pages: its change page (`object_id`) and its password's (`id`).
    record = match.kwargs.get("object_id") or match.kwargs.get("id")
    if record and not is_key(record):
        record = searched_mark(record)
    return f"{parts[0]}.{parts[1]}" + (f" #{record}" if record else "")


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_staff_account


# What a lookup form asks about a person (`verification.forms.PersonForm`): kept as a mark.
LOOKUP_FIELDS = ("name", "birth_date", "district", "account")
# A page refused: nobody was looked up. Any other answer, a form's error included (not on the
# list, already voted), told the person at the screen something about someone.
REFUSED = {401, 403, 404, 405, 429}


def lookup_target(request, name: str) -> str:
    """ "consultations:booth searched:<mark>": the page, and a mark of the details typed ("" when
    the form asked about nobody, e.g. a booth's totals)."""
    typed = " ".join(request.POST.get(field, "") for field in LOOKUP_FIELDS)
    return f"{name} {searched_mark(typed)}" if typed.strip() else ""


class AccessRecordMiddleware:
    """Writes an access record for each successful staff view of personal data, each download
    of it and each lookup of a person (after the view answered, so that a refused request
    writes none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.resolver_match is None:
            return response
        user = request.user
        name = request.resolver_match.view_name
        lookup = (
            lookup_target(request, name)
            if name in settings.ACCESS_RECORDED_LOOKUPS
            and request.method == "POST"
            and user.is_authenticated
            and response.status_code not in REFUSED
            else ""
        )
        if lookup:
            access_record(request=request, actor=user, kind=AccessRecord.Kind.VIEW, target=lookup)
            return response
        if response.status_code >= 400:
            return response
        attachment = "attachment" in response.get("Content-Disposition", "")
        export = name in settings.ACCESS_RECORDED_DOWNLOADS and user.is_authenticated
        if export or (_is_staff(user) and attachment):
            # A stored file names the record it belongs to (`Upload.belongs_to`); the path, which
            # file.
            target = getattr(response, "access_target", "") or name
            access_record(
                request=request, actor=user, kind=AccessRecord.Kind.DOWNLOAD, target=target
            )
        elif _is_staff(user) and (
            request.method == "GET" or (request.method == "POST" and response.status_code == 200)
        ):  # a page shown, also as the answer to a form sent back (an admin form with errors)
            target = _admin_target(request)
            if target or name in settings.ACCESS_RECORDED_VIEWS:
                access_record(
                    request=request,
                    actor=user,
                    kind=AccessRecord.Kind.VIEW,
                    target=target or name,
                    shown=rows_shown(response) if target else "",
                )
        return response


def on_login(sender, request, user, **kwargs) -> None:
    if user.is_staff_account:
        access_record(request=request, actor=user, kind=AccessRecord.Kind.LOGIN)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A failed sign-in that names a staff account is recorded against that account."""
    login = credentials.get("email") or credentials.get("username") or ""
    if not login:
        return
    staff = (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True))
        .filter(Q(email__iexact=login) | Q(emailaddress__email__iexact=login))
        .first()
    )
    if staff is not None:
        access_record(request=request, actor=staff, kind=AccessRecord.Kind.LOGIN_FAILED)


# The record of a code refused unchecked, past allauth's limit of wrong ones.
REFUSED_PAST_LIMIT = "refused: too many attempts"


def on_code_failed(sender, request, user, refused: bool = False, **kwargs) -> None:
    """A wrong code for a staff account: an authenticator's, at sign-in or when asked again
    (also one `refused` unchecked past the limit: `ogp_portal.adapters.RefusalSignalledMixin`),
    or one sent for a sign-in by code."""
    if user.is_staff_account:
        access_record(
            request=request,
            actor=user,
            kind=AccessRecord.Kind.LOGIN_FAILED,
            target=REFUSED_PAST_LIMIT if refused else "",
        )
