"""Bad input everywhere: no 5xx, and an answer that refuses the input saves nothing.

Nothing here is a hand list of forms. The site's forms are found by crawling every page each role
can reach, starting from every URL pattern that takes no argument; every pattern of our apps whose
view takes a POST must have been reached. The admin's come from its registry: the add and change
view of every registered model, its changelist with junk filters, every action with bad
`_selected_action` ids, and the autocomplete of every autocomplete field. Every inline of those
forms gets a new row, each of its fields in turn with a bad id, a NUL byte, 1 MB or invalid UTF-8.

Each form is sent empty, then each field in turn with a bad value (oversize, NUL byte, invalid
UTF-8, bad dates, negative and huge numbers, unknown ids, junk) while the others keep the values
the page rendered. A response that refuses the input (4xx, the form shown again with errors, or
a redirect carrying an error or warning message) must leave every table's row count unchanged.
"""

import datetime as dt
import re
import sys
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib import messages as django_messages
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from django.utils import timezone

from councils.models import Meeting, WorkingGroup
from outbox.models import Kind
from outbox.services import unsubscribe_url
from tests.factories import GroupMembershipFactory, MeetingFactory, MinutesFactory

OWN_APPS = {"ogp_portal", "councils", "proposals", "consultations", "opinions"}
THOROUGH_ADMIN_APPS = {"councils", "proposals", "consultations", "opinions"}
# Posting these would end the session or the role under test, not test its input.
NOT_POSTED = {
    "account_logout",
    "set_language",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_remove_webauthn",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "privacy:delete",  # deletes the account under test; its refusals: tests/privacy
    # Reached only through a one-time link; its refusals: tests/ogp_portal/test_staff_enrolment.py
    "staff_enrol",
}
NOT_CRAWLED_PREFIXES = ("/static/", "/media/", "/admin/", "/en/", "/feeds/", "/i18n/")
PAGES_PER_PATTERN = 6
# Not counted: sessions, and access records, which record an attempt whatever its answer (a
# lookup of a person by a poll officer, a failed staff sign-in: `audit.access`).
UNCHANGED_TABLES = {"django_session", "audit_accessrecord"}

BAD_VALUES = {
    "empty": "",
    "blank": "   ",
    "oversize": "가나다" * 1_000,
    "nul": "a\x00b",
    "bad date": "2021-02-30",
    "bad datetime": "2021-13-45T25:61",
    "negative": "-1",
    "huge": "9" * 30,
    "unknown id": "2147483647",
    "junk": "abc'\"<x>",
}
BAD_UTF8 = b"%ff%fe%C0%AF"
BAD_IDS = ["abc", "-1", "9" * 30, "", "1\x00", "1 OR 1=1"]
# What a new inline row's fields get, one at a time (and invalid UTF-8).
INLINE_BAD_VALUES = {
    "non-numeric id": "abc",
    "unknown id": "2147483647",
    "nul": "1\x00",
    "1 MB": "가" * 350_000,
    "junk": BAD_VALUES["junk"],
}
ERROR_MARKERS = ('class="errorlist', "is-error", "form-hint-invalid", "errornote", "notice-danger")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # baseline name/value pairs
    names: list[str] = field(default_factory=list)  # every named control, in order
    kinds: dict[str, str] = field(default_factory=dict)  # input type, "select", "textarea"
    files: list[str] = field(default_factory=list)
    submit: tuple[str, str] | None = None


class PageParser(HTMLParser):
    """Links and forms of one page, with the values a browser would send by default."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = a.get("action") or self.url
            if action.startswith("?"):
                action = urlsplit(self.url).path + action
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[2].append(value)
            if "selected" in a:
                self._select[3].append(value)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            if self._form.submit is None:
                self._form.submit = (a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = (a["name"], "multiple" in a, [], [])
            self._form.names.append(a["name"])
            self._form.kinds[a["name"]] = "select"
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            self._form.names.append(a["name"])
            self._form.kinds[a["name"]] = "textarea"

    def _input(self, a):
        kind, name, value = a.get("type", "text"), a["name"], a.get("value", "")
        if kind in {"submit", "image"}:
            if self._form.submit is None:
                self._form.submit = (name, value)
            return
        if kind == "file":
            self._form.files.append(name)
            self._form.names.append(name)
            return
        if name not in self._form.names:
            self._form.names.append(name)
            self._form.kinds[name] = kind
        if kind in {"checkbox", "radio"}:
            if "checked" in a:
                self._form.fields.append((name, value or "on"))
            return
        self._form.fields.append((name, value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options, selected = self._select
            chosen = selected or ([] if multiple else [v for v in options if v][:1])
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None


def parse(url: str, html: str) -> PageParser:
    parser = PageParser(url)
    parser.feed(html)
    return parser


def url_patterns(resolver=None, namespace=""):
    """(view name, pattern) of every named URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def takes_post(pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return view_class is not None and hasattr(view_class, "post")


def table_counts() -> dict[str, int]:
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        }
        - UNCHANGED_TABLES
    )
    quote = connection.ops.quote_name
    # One query for every table; the names come from the model registry, quoted.
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def refused(response) -> bool:
    """The answer says the input was not accepted."""
    if response.status_code >= 400:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if any(m.level >= django_messages.WARNING for m in queued):
        return True
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        return any(marker in response.content.decode(errors="replace") for marker in ERROR_MARKERS)
    return False


class Prober:
    """Sends requests as one role, records every 5xx and every row saved by a refused input."""

    def __init__(self, role: str, client: Client):
        self.role, self.client = role, client
        self.failures: list[str] = []
        self.requests = 0
        self.posts = 0

    def send(self, method: str, url: str, *, data=None, raw: bytes | None = None, what=""):
        before = table_counts() if method == "POST" else None
        self.requests += 1
        self.posts += method == "POST"
        try:
            with transaction.atomic():
                if raw is not None:
                    response = self.client.generic(
                        method, url, raw, content_type="application/x-www-form-urlencoded"
                    )
                elif method == "POST":
                    response = self.client.post(url, data or {})
                else:
                    response = self.client.get(url, data or {})
        except Exception as error:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            self.failures.append(
                f"{self.role} {method} {url} {what}: 500 {type(error).__name__}: "
                f"{str(error)[:150]} at {frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
            )
            print(self.failures[-1], file=sys.stderr)
            return None
        if response.status_code >= 500:
            self.failures.append(f"{self.role} {method} {url} {what}: {response.status_code}")
            print(self.failures[-1], file=sys.stderr)
        elif before is not None and refused(response):
            after = table_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if changed:
                self.failures.append(
                    f"{self.role} POST {url} {what}: refused "
                    f"({response.status_code}) but rows changed {changed}"
                )
                print(self.failures[-1], file=sys.stderr)
        return response

    @staticmethod
    def admin_values(kind: str) -> dict[str, str]:
        """The values that get past a field's own cleaning to what the form does with it."""
        if kind in {"checkbox", "radio"}:
            return {}
        if kind == "select":
            return {"junk": BAD_VALUES["junk"]}
        if kind == "hidden":
            return {}
        return {k: BAD_VALUES[k] for k in ("empty", "oversize")}

    def fuzz_form(self, form: Form, label: str, *, thorough: bool = True, per_field=True):
        """Empty; every bad value in every field at once; then field by field, the others kept.

        Thorough: every bad value in each field. Otherwise (the admin's long forms) each field
        gets the values that reach past its own cleaning: empty, oversize, an unknown or
        non-numeric id; the first row of each inline stands for the others. Without per_field
        (a form another role already went through field by field) only the first two steps.
        """
        method = "POST" if form.method == "post" else "GET"
        base: dict[str, list] = defaultdict(list)
        for name, value in form.fields:
            base[name].append(value)
        if form.submit:
            base.setdefault(form.submit[0], [form.submit[1]])
        keep = {"csrfmiddlewaretoken", *(form.submit[:1] if form.submit else [])}
        names = [n for n in form.names if n not in keep and "__prefix__" not in n]
        if not thorough:
            # The admin's long forms: field by field only the model's own fields; the first
            # row of each inline and the management forms get the bulk passes.
            names = [n for n in names if "-" not in n]
        files = set(form.files)
        texts = [n for n in names if n not in files]
        # The other rows of an inline keep what they had, whatever the mode.
        texts = [n for n in texts if not re.search(r"-[1-9]\d*-", n)]

        def send(data: dict, what: str):
            self.send(method, form.action, data=data, what=f"[{label}: {what}]")

        def send_raw(data: dict, name: str):
            encoded = urlencode(data, doseq=True).encode()
            raw = (encoded + b"&" if encoded else b"") + name.encode() + b"=" + BAD_UTF8
            if method == "POST":
                self.send("POST", form.action, raw=raw, what=f"[{label}: {name}=invalid UTF-8]")
            else:
                self.send("GET", f"{form.action}?{raw.decode()}", what=f"[{label}: {name}=UTF-8]")

        send({k: v for k, v in base.items() if k in keep}, "all empty")
        for bad, value in BAD_VALUES.items():
            send({**base, **{n: [value] for n in texts}}, f"every field={bad}")
        for name in names if per_field else []:
            if name in files:
                junk = SimpleUploadedFile("junk.pdf", b"not a pdf\x00", "application/pdf")
                send({**base, name: junk}, f"{name}=junk file")
                continue
            values = (
                BAD_VALUES
                if thorough
                else {k: BAD_VALUES[k] for k in ("empty", "oversize", "unknown id", "junk")}
            )
            for bad, value in values.items():
                send({**base, name: [value]}, f"{name}={bad}")
            if thorough:
                send_raw({k: v for k, v in base.items() if k != name}, name)

    def fuzz_inlines(self, form: Form, label: str) -> int:
        """A new row in each inline of an admin form, each field of the row in turn bad.

        The row is the one the admin's "add another" makes from the inline's empty form (the
        `__prefix__` fields of the page); the rows already there keep their values. Returns how
        many inlines the form has.
        """
        base: dict[str, list] = defaultdict(list)
        for name, value in form.fields:
            if "__prefix__" not in name:
                base[name].append(value)
        base.setdefault(form.submit[0], [form.submit[1]])
        totals = [n for n in form.names if n.endswith("-TOTAL_FORMS")]
        for total in totals:
            prefix = total.removesuffix("-TOTAL_FORMS")
            count = int(base[total][0])
            blank = f"{prefix}-__prefix__-"
            row = {
                n.replace("__prefix__", str(count)): [v]
                for n, v in form.fields
                if n.startswith(blank)
            }
            data = {**base, total: [str(count + 1)], **row}
            for name in [n for n in form.names if n.startswith(blank) and n not in form.files]:
                posted = name.replace("__prefix__", str(count))
                for bad, value in INLINE_BAD_VALUES.items():
                    self.send(
                        "POST",
                        form.action,
                        data={**data, posted: [value]},
                        what=f"[{label} inline: {posted}={bad}]",
                    )
                others = urlencode({k: v for k, v in data.items() if k != posted}, doseq=True)
                self.send(
                    "POST",
                    form.action,
                    raw=f"{others}&{posted}=".encode() + BAD_UTF8,
                    what=f"[{label} inline: {posted}=invalid UTF-8]",
                )
        return len(totals)


def admin_form_views(model, model_admin, request, demo) -> list[tuple[str, str]]:
    """The add view (when staff may add) and the change view of the first row of `model`."""
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    views = []
    if model_admin.has_add_permission(request):
        views.append(("add", reverse(f"{base}_add")))
    # Not the signed-in account: unticking its staff flag would end the test's session.
    others = (
        model._default_manager.exclude(**{"pk": demo["secretariat"].pk})
        if (model is get_user_model())
        else model._default_manager.all()
    )
    instance = others.order_by("pk").first()
    if instance is not None:
        views.append(("change", reverse(f"{base}_change", args=[instance.pk])))
    return views


def crawl(prober: Prober, start: list[str]) -> tuple[dict[str, Form], dict[str, list[str]]]:
    """Every page the role reaches (a few per URL pattern) and the forms on them."""
    queue, seen = list(start), set()
    per_pattern: dict[str, list[str]] = defaultdict(list)
    forms: dict[str, Form] = {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if url in seen or len(per_pattern[match.view_name]) >= PAGES_PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[match.view_name].append(url)
        response = prober.send("GET", url, what="[crawl]")
        if response is None or "html" not in response.get("Content-Type", ""):
            continue
        page = parse(url, response.content.decode())
        for href in page.links:
            href = href.split("#")[0]
            if href.startswith("/") and not href.startswith(NOT_CRAWLED_PREFIXES):
                queue.append(href)
        for form in page.forms:
            action = urlsplit(form.action).path
            try:
                name = resolve(action).view_name
            except Resolver404:
                continue
            if name not in NOT_POSTED and not action.startswith("/admin/"):
                forms.setdefault(f"{form.method} {name}", form)
    return forms, per_pattern


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model().objects
    staff = users.get(username="secretariat")
    # The minutes workflow in each state the demo lacks: a held meeting without minutes, draft
    # minutes, and circulated minutes the citizen attended (and may comment on).
    energy = WorkingGroup.objects.get(slug="energy")
    lead, citizen = users.get(username="lead"), users.get(username="citizen")
    GroupMembershipFactory(group=energy, user=citizen)
    held = {"group": energy, "status": Meeting.Status.HELD, "published_at": timezone.now()}
    MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=1), **held)
    MinutesFactory(meeting__group=energy, author=lead)
    circulated = MinutesFactory(meeting__group=energy, author=lead)
    circulated.advance()
    circulated.attendees.add(citizen)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return {
        "visitor": None,
        "citizen": users.get(username="citizen"),
        "lead": users.get(username="lead"),
        "secretariat": staff,
    }


def start_urls() -> list[str]:
    urls = []
    for name, pattern in url_patterns():
        if name.startswith("admin:") or pattern.pattern.regex.groups:
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    # The one-click unsubscribe is reached from e-mails only: the link of a demo account's.
    person = get_user_model().objects.get(email="citizen@ogp-demo.example")
    urls.append(urlsplit(unsubscribe_url(user_id=person.pk, kind=Kind.CALLS, language="ko")).path)
    return urls


def own_post_patterns() -> set[str]:
    """Every URL pattern of our apps whose view takes a POST."""
    return {
        name
        for name, pattern in url_patterns()
        if takes_post(pattern)
        and pattern.callback.__module__.split(".")[0] in OWN_APPS
        and name not in NOT_POSTED
    }


# The sweeps run on PostgreSQL, the database of production: SQLite (development only) refuses
# numbers beyond 64 bits with an error of its own that PostgreSQL never raises.
def test_every_site_form_survives_bad_input(postgres, demo):
    failures, reached, summary = [], set(), []
    for role in ["secretariat", "lead", "citizen", "visitor"]:
        user = demo[role]
        client = Client()
        if user is not None:
            client.force_login(user)
        prober = Prober(role, client)
        forms, pages = crawl(prober, start_urls())
        for label, form in sorted(forms.items()):
            # Field by field once, by the role that reaches furthest; the others in bulk.
            prober.fuzz_form(form, label, per_field=label not in reached)
            reached.add(label)
        prober.send("GET", reverse("search") + "?q=a%00b", what="[search NUL]")
        prober.send("GET", reverse("search") + "?q=%ff%fe", what="[search invalid UTF-8]")
        summary.append(
            f"{role}: {len(pages)} patterns crawled, {len(forms)} forms, "
            f"{prober.posts} posts, {prober.requests} requests"
        )
        failures += prober.failures
    print("\n".join(summary + failures))
    assert not failures, "\n".join(failures)
    posted = {label.split(" ", 1)[1] for label in reached if label.startswith("post ")}
    print("not reached:", sorted(own_post_patterns() - posted))
    assert own_post_patterns() <= posted, sorted(own_post_patterns() - posted)


@pytest.mark.slow
def test_every_admin_form_survives_bad_input(postgres, demo):
    client = Client()
    client.force_login(demo["secretariat"])
    prober = Prober("secretariat", client)
    forms = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        changelist = reverse(f"{base}_changelist")
        response = prober.send("GET", changelist, what="[changelist]")
        if response is None:
            continue
        page = parse(changelist, response.content.decode())
        # List filters, ordering, paging and search with junk.
        params = {k for href in page.links if href.startswith("?") for k, _ in parse_qsl(href[1:])}
        for param in sorted(params | {"q", "o", "p", "all", "e"}):
            for value in ("abc", "9" * 30, "a\x00b"):
                prober.send("GET", changelist, data={param: value}, what=f"[filter {param}]")
            prober.send("GET", f"{changelist}?{param}=%ff%fe", what=f"[filter {param} UTF-8]")
        # Every action with bad ids, and an unknown action.
        request = response.wsgi_request
        actions = [*model_admin.get_actions(request), "no_such_action"]
        for action in actions:
            for bad in BAD_IDS:
                prober.send(
                    "POST",
                    changelist,
                    data={"action": action, "_selected_action": [bad], "index": "0"},
                    what=f"[action {action} ids={bad!r}]",
                )
        # The add and the change form.
        views = admin_form_views(model, model_admin, request, demo)
        prober.send("GET", reverse(f"{base}_change", args=["abc"]), what="[change abc]")
        for kind, url in views:
            response = prober.send("GET", url, what=f"[{kind}]")
            if response is None or response.status_code != 200:
                continue
            for form in parse(url, response.content.decode()).forms:
                if form.method == "post" and form.submit and form.submit[0].startswith("_"):
                    forms += 1
                    # Field by field for our apps' models; Django's and allauth's in bulk.
                    prober.fuzz_form(
                        form,
                        f"{base}_{kind}",
                        thorough=False,
                        per_field=opts.app_label in THOROUGH_ADMIN_APPS,
                    )
        print(f"{base}: {prober.requests} requests", file=sys.stderr)
        # Autocomplete of every autocomplete field, with junk.
        for field_name in model_admin.get_autocomplete_fields(request):
            for term in ("", "a\x00b", "가" * 1000):
                prober.send(
                    "GET",
                    reverse("admin:autocomplete"),
                    data={
                        "app_label": opts.app_label,
                        "model_name": opts.model_name,
                        "field_name": field_name,
                        "term": term,
                    },
                    what="[autocomplete]",
                )
    for junk in (
        {"app_label": "nope"},
        {"app_label": "councils", "model_name": "x", "field_name": "y"},
        {"term": "a\x00"},
    ):
        prober.send("GET", reverse("admin:autocomplete"), data=junk, what="[autocomplete junk]")
    print("\n".join(prober.failures))
    print(
        f"admin: {len(admin.site._registry)} models, {forms} forms, "
        f"{prober.posts} posts, {prober.requests} requests"
    )
    assert not prober.failures, "\n".join(prober.failures)


@pytest.mark.slow
def test_every_admin_inline_survives_bad_input(postgres, demo):
    """A new row of every inline of every admin form, each field bad in turn (the sweep above
    keeps the inlines' rows as they were rendered)."""
    client = Client()
    client.force_login(demo["secretariat"])
    prober = Prober("secretariat", client)
    inlines = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.inlines:
            continue
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        request = prober.send("GET", changelist, what="[changelist]").wsgi_request
        for kind, url in admin_form_views(model, model_admin, request, demo):
            response = prober.send("GET", url, what=f"[{kind}]")
            if response is None or response.status_code != 200:
                continue
            for form in parse(url, response.content.decode()).forms:
                if form.method == "post" and form.submit and form.submit[0].startswith("_"):
                    inlines += prober.fuzz_inlines(form, f"{opts.label} {kind}")
    print("\n".join(prober.failures))
    print(f"admin inlines: {inlines} inline forms, {prober.posts} posts")
    assert inlines >= 15
    assert not prober.failures, "\n".join(prober.failures)


# What the sweep above found, one test each (fast, and they name the fix).


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create(username="staff", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


def test_search_with_a_nul_byte_searches_without_it(client, db):
    response = client.get("/search/?q=%ED%83%9C%EC%96%91%00%EA%B4%91")
    assert response.status_code == 200


@pytest.mark.parametrize("provider", ["kakao", "naver"])
def test_social_login_not_set_up_is_not_found(client, db, provider):
    assert client.get(f"/accounts/{provider}/login/").status_code == 404
    assert client.get(f"/accounts/{provider}/login/callback/").status_code == 404


def test_agenda_item_over_the_model_limit_is_refused_with_a_message(client, db):
    from councils.models import Meeting
    from tests.factories import WorkingGroupFactory

    group = WorkingGroupFactory(slug="energy")
    client.force_login(group.lead.user)
    response = client.post(
        reverse("councils:meeting_schedule", args=[group.slug]),
        {
            "title": "정례회의",
            "format": Meeting.Format.IN_PERSON,
            "starts_at": "2031-05-06T14:00",
            "ends_at": "2031-05-06T16:00",
            "venue": "시청",
            "agenda": "인사\n" + "가" * 301,
        },
    )
    assert response.status_code == 200
    assert (
        "안건 2번이 301자입니다. 안건 한 줄은 300자까지 쓸 수 있습니다."
        in response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_adopted_proposal_keeps_its_response_in_the_admin(staff_client):
    from proposals.models import Proposal
    from tests.factories import ProposalFactory
    from tests.proposals.conftest import walk

    proposal = walk(ProposalFactory(), "in_review", "in_poll", "adopted", response="찬성 30")
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = next(f for f in parse(url, staff_client.get(url).content.decode()).forms if f.submit)
    data: dict[str, list] = defaultdict(list)
    for name, value in form.fields:
        data[name].append(value)
    data["response"] = ["  "]
    data[form.submit[0]] = [form.submit[1]]
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "제안 처리를 마치려면 답변이 있어야 합니다." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).response == "찬성 30"


@pytest.mark.parametrize("selected", ["abc", "", "1 OR 1=1", "9" * 30, "-1", "2147483647"])
def test_admin_action_on_ids_that_are_no_ids_says_so(staff_client, selected):
    from tests.factories import CommitteeMemberFactory

    CommitteeMemberFactory()
    response = staff_client.post(
        reverse("admin:councils_committeemember_changelist"),
        {"action": "end_term", "_selected_action": [selected]},
        follow=True,
    )
    assert response.status_code == 200
    assert "선택한 항목이 올바르지 않습니다" in response.content.decode()


def test_admin_fold_of_a_proposal_that_does_not_exist_says_so(staff_client):
    response = staff_client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "fold", "_selected_action": ["2147483647"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "선택한 항목이 올바르지 않습니다" in response.content.decode()


def test_admin_autocomplete_field_with_a_non_numeric_id_is_an_error(staff_client):
    from councils.models import CommitteeMember
    from tests.factories import CommitteeMemberFactory

    member = CommitteeMemberFactory()
    url = reverse("admin:councils_committeemember_change", args=[member.pk])
    form = next(f for f in parse(url, staff_client.get(url).content.decode()).forms if f.submit)
    data = {name: value for name, value in form.fields}
    data.update({"user": "abc", form.submit[0]: form.submit[1]})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert CommitteeMember.objects.get(pk=member.pk).user_id is None


@pytest.mark.parametrize("user", ["abc", "1\x00", "9" * 1_000_000], ids=["abc", "nul", "1 MB"])
def test_admin_membership_inline_with_a_user_that_is_no_id_is_an_error(staff_client, user):
    from councils.models import GroupMembership
    from tests.factories import WorkingGroupFactory

    group = WorkingGroupFactory()
    url = reverse("admin:councils_workinggroup_change", args=[group.pk])
    form = next(f for f in parse(url, staff_client.get(url).content.decode()).forms if f.submit)
    data = {name: value for name, value in form.fields if "__prefix__" not in name}
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-group": str(group.pk),
            "memberships-0-user": user,
            form.submit[0]: form.submit[1],
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not GroupMembership.objects.exclude(user=group.lead.user).exists()


@pytest.mark.parametrize(
    "query", ["q=a%00b", "date__year=999999999999999999999", "date__year=9999", "date__month=13"]
)
def test_admin_search_and_filters_that_cannot_be_used_say_so(staff_client, query):
    url = reverse("admin:councils_document_changelist")
    response = staff_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response.url == url


def test_admin_autocomplete_with_a_nul_byte(staff_client):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "councils",
            "model_name": "committeemember",
            "field_name": "user",
            "term": "a\x00b",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
