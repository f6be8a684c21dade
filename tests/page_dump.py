"""The public pages of two commits, rendered and compared: what a visitor sees, in both languages.

    .venv/bin/python tests/page_dump.py a0c5476 e8d1e2a [--out DIR] [--now 2026-12-07T12:00+09:00]

Each commit is exported with `git archive` into a scratch directory and run there, with this
environment's Python, on a new SQLite database in that directory (DATABASE_URL and REDIS_URL are
ignored): migrate, the demo data, then a visitor's crawl with Django's test client, in Korean and
in English. The crawl starts from every route of the URL configuration that takes no argument
(the admin's apart) and follows every same-site link and GET form (text fields filled with
SEARCH_WORD) the pages show; a route still unreached is then opened once with the arguments of a
page that was (its answer to a visitor: a login redirect, 405, 404). Each answer is written to
DIR/<commit>/<language>/: the page's HTML or text with its per-request parts made constant (CSRF
tokens, CSP nonces, static files' hashes, iCalendar stamps), a redirect's status and target, a
binary download's digest (a ZIP's, member by member). The two dumps are compared page by page:
the summary gives the pages of each language, how many are identical, each one that is not, and
DIR/diff.txt their unified diffs.

So that two runs differ only by their code, the clock stands still at --now (timezone.now, which
the demo data and every page read) and the random parts of the records (receipts, stored files'
names, the order of ballots) come from a seeded generator: two runs of one commit are byte for
byte the same. About a minute per commit.
"""

import argparse
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("ko", "en")
NOW = "2026-12-07T12:00:00+09:00"
# What a visitor types into the text fields of a page's GET forms (search, receipt check).
SEARCH_WORD = "광주"
# A route's pages that differ only by their query string (filters, pages of a list) are opened
# this many times; a route's pages with a different path (each object's) all are.
PER_QUERY_ROUTE = 12
SKIPPED_PREFIXES = ("/admin/", "/en/admin/", "/static/", "/media/")

# Per-request parts of a page, made constant.
NORMALISE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1CSRF"),
    (re.compile(r'("X-CSRFToken"\s*:\s*")[^"]*'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
    (re.compile(r"(/static/[^\"'\s?#]+?)\.[0-9a-f]{12}(\.\w+)"), r"\1\2"),
    (re.compile(r"^(DTSTAMP[:;].*)$", re.MULTILINE), "DTSTAMP:NOW"),
]


# The run inside an exported tree ------------------------------------------------------------


def _fixed_clock_and_chance(now: str) -> None:
    """Before Django loads: timezone.now stands still, the random sources are seeded."""
    import datetime as dt
    import random
    import secrets
    import uuid

    from django.utils import timezone

    instant = dt.datetime.fromisoformat(now).astimezone(dt.UTC)
    timezone.now = lambda: instant
    chance = random.Random(20211)
    random.seed(20211)
    secrets.SystemRandom = lambda: chance
    secrets.choice = chance.choice
    secrets.randbelow = chance.randrange
    secrets.token_bytes = lambda n=32: chance.randbytes(n)
    secrets.token_hex = lambda n=32: chance.randbytes(n).hex()
    secrets.token_urlsafe = lambda n=32: chance.randbytes(n).hex()
    uuid.uuid4 = lambda: uuid.UUID(int=chance.getrandbits(128), version=4)


class _Links(HTMLParser):
    """The same-site addresses a page leads to: its links, and its GET forms as sent."""

    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.hrefs: list[str] = []
        self.form: dict | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.form = {"action": attrs.get("action") or self.page.split("?")[0], "fields": []}
        elif tag == "option" and self.form is not None and self.select is not None:
            fields = self.form["fields"]
            if "selected" in attrs or not any(name == self.select for name, _ in fields):
                fields[:] = [(name, value) for name, value in fields if name != self.select]
                fields.append((self.select, attrs.get("value", "")))
        elif self.form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("text", "search"):
                self.form["fields"].append((attrs["name"], attrs.get("value") or SEARCH_WORD))
            elif kind == "hidden" or (kind in ("checkbox", "radio") and "checked" in attrs):
                self.form["fields"].append((attrs["name"], attrs.get("value") or "on"))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "textarea":
            self.form["fields"].append((attrs["name"], SEARCH_WORD))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.hrefs.append(f"{self.form['action']}?{urlencode(self.form['fields'])}")
            self.form = None
        elif tag == "select":
            self.select = None


def _links(html: str, page: str) -> list[str]:
    parser = _Links(page)
    parser.feed(html)
    return parser.hrefs


def _normalised(text: str) -> str:
    for pattern, replacement in NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def _body(response) -> str:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/") or "json" in kind or "xml" in kind:
        return _normalised(content.decode("utf-8", errors="replace"))
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                f"{info.filename} sha256:{hashlib.sha256(archive.read(info)).hexdigest()}"
                for info in archive.infolist()
            )
    return f"{len(content)} bytes sha256:{hashlib.sha256(content).hexdigest()}"


def _file_name(path: str) -> str:
    return quote(path, safe="") or "%2F"


def render(out: Path, now: str) -> None:
    """Migrates a new database, loads the demo data and writes a visitor's crawl to `out`."""
    tree = Path.cwd()
    # This tree's code alone: neither this script's folder nor the editable install of the
    # checkout that runs it (which would lend packages the tree may not have).
    sys.path[0] = str(tree)
    sys.meta_path[:] = [
        finder for finder in sys.meta_path if not type(finder).__module__.startswith("__editable_")
    ]
    os.environ["DJANGO_SETTINGS_MODULE"] = "ogp_portal.settings.test"
    _fixed_clock_and_chance(now)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader
    from django.urls import get_resolver, resolve, reverse
    from django.urls.exceptions import NoReverseMatch, Resolver404
    from django.utils import translation

    if MigrationLoader(None, ignore_no_migrations=True).detect_conflicts():
        # A merge that left two leaves in an app's migrations (e8d1e2a did, until 54beeac
        # renumbered one): Django's own merge migration, written in the scratch tree, and said.
        call_command("makemigrations", merge=True, interactive=False, stdout=io.StringIO())
        print("migrations: conflicting leaves merged by makemigrations --merge", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", allow_production=True, stdout=io.StringIO())

    for language in LANGUAGES:
        crawl = _Crawl(language, out / language)
        with translation.override(language):
            for name, takes_arguments in _routes(get_resolver().url_patterns):
                if takes_arguments:
                    continue
                try:  # a name that some of its routes give arguments (allauth's)
                    crawl.queue.append(reverse(name))
                except NoReverseMatch:
                    continue
            crawl.run()
            translation.activate(language)  # the last request left its own language active
            # Routes no page links to for a visitor (forms of the signed-in, POST-only actions,
            # files the demo has none of): opened once with the arguments of a page that was
            # reached, where those fit, so their answer to a visitor is compared too.
            reached = {entry["route"] for entry in crawl.index.values()}
            for name, takes_arguments in _routes(get_resolver().url_patterns):
                if not takes_arguments or name in reached:
                    continue
                namespace = name.rpartition(":")[0]
                paths = sorted(
                    crawl.index,
                    key=lambda path: (crawl.route(path) or "").rpartition(":")[0] != namespace,
                )
                for path in paths:
                    try:
                        kwargs = resolve(path.split("?")[0]).kwargs
                        crawl.queue.append(reverse(name, kwargs=kwargs))
                    except (NoReverseMatch, Resolver404):
                        continue
                    break
            crawl.run()
        (out / language / "index.json").write_text(
            json.dumps(crawl.index, indent=1, ensure_ascii=False, sort_keys=True)
        )
        print(f"{language}: {len(crawl.index)} pages", flush=True)


def _routes(patterns, namespace=None, arguments=False):
    """(name, takes arguments) of every named route except the admin's."""
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        takes = arguments or bool(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _routes(pattern.url_patterns, inner, takes)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, takes


class _Crawl:
    """A visitor's crawl in one language (active while it runs), each answer written down."""

    def __init__(self, language: str, folder: Path):
        from django.test import Client

        self.language = language
        self.folder = folder
        folder.mkdir(parents=True)
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        self.client.cookies["django_language"] = language
        self.index: dict[str, dict] = {}
        self.per_route: dict[str, int] = {}
        self.queue: deque[str] = deque()

    def route(self, path: str) -> str | None:
        """The route's name in this language (each request activates the language of its own
        path, and leaves it active)."""
        from django.urls import Resolver404, resolve
        from django.utils import translation

        with translation.override(self.language):
            try:
                return resolve(path.split("?")[0]).view_name
            except Resolver404:
                return None

    def wanted(self, href: str) -> str | None:
        """The path to open next, if the link is the site's own in this language and new."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        if parts.path.startswith(SKIPPED_PREFIXES):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        name = self.route(path)
        if name is None or path in self.index:
            return None
        if parts.query:
            if self.per_route.get(name, 0) >= PER_QUERY_ROUTE:
                return None
            self.per_route[name] = self.per_route.get(name, 0) + 1
        return path

    def run(self) -> None:
        while self.queue:
            path = self.queue.popleft()
            if path in self.index:
                continue
            response = self.client.get(path)
            entry = {
                "route": self.route(path),
                "status": response.status_code,
                "type": response.get("Content-Type", ""),
            }
            found = []
            if response.has_header("Location"):
                entry["location"] = response["Location"]
                found.append(response["Location"])
            self.index[path] = entry
            body = _body(response)
            (self.folder / _file_name(path)).write_text(body)
            if entry["type"].startswith("text/html"):
                found += _links(body, path)
            self.queue.extend(filter(None, map(self.wanted, found)))


# The comparison of two commits --------------------------------------------------------------


def export(commit: str, target: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, check=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def dump(commit: str, out: Path, now: str) -> None:
    with tempfile.TemporaryDirectory(prefix=f"page-dump-{commit}-") as scratch:
        tree = Path(scratch)
        export(commit, tree)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        }
        env["PYTHONHASHSEED"] = "0"
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--render", str(out), "--now", now],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"The dump of {commit} failed:\n{done.stderr[-5000:]}")
        print(f"{commit}: {done.stdout.strip()}".replace("\n", ", "))


def compare(before: Path, after: Path, report: io.TextIOBase) -> dict[str, dict]:
    summary = {}
    for language in LANGUAGES:
        old = json.loads((before / language / "index.json").read_text())
        new = json.loads((after / language / "index.json").read_text())
        same, differ = [], []
        for path in sorted(old.keys() & new.keys()):
            a = (before / language / _file_name(path)).read_text()
            b = (after / language / _file_name(path)).read_text()
            if a == b and old[path] == new[path]:
                same.append(path)
                continue
            differ.append(path)
            report.write(f"=== {language} {path} ({old[path]['route']})\n")
            if old[path] != new[path]:
                report.write(f"- {old[path]}\n+ {new[path]}\n")
            lines = difflib.unified_diff(
                a.splitlines(), b.splitlines(), "before", "after", lineterm=""
            )
            report.writelines(f"{line}\n" for line in lines)
        summary[language] = {
            "before": len(old),
            "after": len(new),
            "identical": len(same),
            "different": differ,
            "only_before": sorted(old.keys() - new.keys()),
            "only_after": sorted(new.keys() - old.keys()),
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commits", nargs="*", help="the commit before and the commit after")
    parser.add_argument("--out", type=Path, help="where the dumps go (a scratch folder if unset)")
    parser.add_argument("--now", default=NOW, help="the instant the clock stands at")
    parser.add_argument("--render", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.render:
        render(options.render, options.now)
        return
    if len(options.commits) != 2:
        parser.error("name two commits: the one before and the one after")
    out = options.out or Path(tempfile.mkdtemp(prefix="page-dump-"))
    for commit in options.commits:
        shutil.rmtree(out / commit, ignore_errors=True)
        dump(commit, out / commit, options.now)
    with (out / "diff.txt").open("w") as report:
        summary = compare(out / options.commits[0], out / options.commits[1], report)
    for language, numbers in summary.items():
        print(
            f"{language}: {numbers['before']} pages before, {numbers['after']} after, "
            f"{numbers['identical']} identical, {len(numbers['different'])} different, "
            f"{len(numbers['only_before'])} only before, {len(numbers['only_after'])} only after"
        )
        for key in ("different", "only_before", "only_after"):
            for path in numbers[key]:
                print(f"  {key.replace('_', ' ')}: {path}")
    print(f"Dumps and diff.txt in {out}")


if __name__ == "__main__":
    main()
