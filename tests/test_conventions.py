"""Conventions of docs/architecture.md that a reading of the code can check."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

from consultations.models import Poll
from public_site import feeds, opendata, search
from tests.migration_policy import GRANDFATHERED, migration_files

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [
    "ogp_portal",
    "outbox",
    "verification",
    "privacy",
    "audit",
    "councils",
    "proposals",
    "plans",
    "consultations",
    "opinions",
    "public_site",
    "demo",
]


def project_files(pattern: str = "*.py", *, migrations: bool = False):
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob(pattern)):
            if ("migrations" in path.parts) == migrations:
                yield path


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


# Templates -----------------------------------------------------------------------------------

STATUS_COMPARED = re.compile(
    r"""[\w.]*status\s*(?:==|!=)\s*["']|["']\s*(?:==|!=)\s*[\w.]*status\b"""
)


def test_templates_compare_no_status_with_a_string():
    """A status is asked through its model (`call.is_open`), never as a string literal."""
    compared = [
        f"{relative(path)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in {".html", ".txt"}
        for match in STATUS_COMPARED.finditer(path.read_text())
    ]
    assert compared == []


# "Visible to the public" ---------------------------------------------------------------------


def where(queryset) -> set[str]:
    """The conditions a queryset's rows meet (all of them: its filters are joined by AND)."""
    return {str(condition) for condition in queryset.query.where.children}


@pytest.mark.parametrize("kind", list(search.SOURCES))
def test_search_reads_what_the_public_sees(kind):
    source = search.SOURCES[kind]
    assert where(source.model.objects.public()) <= where(source.public())


@pytest.mark.parametrize("name", sorted(opendata.DATASETS))
def test_open_data_reads_what_the_public_sees(name):
    records, _rows = opendata.DATASETS[name]
    queryset = records()
    assert where(queryset.model.objects.public()) <= where(queryset)


def test_feeds_read_what_the_public_sees():
    assert where(Poll.objects.public()) <= where(feeds.ResultsFeed().items())


def test_every_public_model_names_its_public_rows_the_same_way():
    """`public()` on every model that search or open data reads (never `published()` for one
    and `current()` for another)."""
    models = {source.model for source in search.SOURCES.values()} | {
        records().model
        for records, _rows in opendata.DATASETS.values()
    }
    assert all(callable(getattr(model.objects, "public", None)) for model in models)


# Writing -------------------------------------------------------------------------------------

def copies_back(tree: ast.AST) -> bool:
    """A row locked into a second variable (`locked = M.objects.select_for_update().get(pk=
    thing.pk)`), whose fields are then copied back onto `thing`: `ogp_portal.models.row_lock`
    does it once for all."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        chain = ast.unparse(node.value)
        target = node.targets[0]
        read = re.search(r"\.get\(pk=(\w+)\.pk", chain)
        locked = "select_for_update()" in chain and read and isinstance(target, ast.Name)
        if locked and target.id != read.group(1):
            return True
    return False


def test_rows_are_locked_and_read_again_by_one_helper():
    by_hand = {relative(p) for p in project_files() if copies_back(ast.parse(p.read_text()))}
    assert by_hand == set()


def test_the_licence_is_named_once():
    named = [
        relative(path)
        for pattern in ["*.py", "*.html"]
        for path in [*project_files(pattern), *(ROOT / "templates").rglob(pattern)]
        if "CC BY" in path.read_text()
    ]
    assert named == ["ogp_portal/settings/base.py"]


def test_poll_results_are_serialised_once():
    """The poll's CSV and JSON downloads and the open data's poll results come from
    `consultations.results.poll_results`."""
    for module in ["consultations/views/results.py", "public_site/opendata.py"]:
        assert "poll_results(poll)" in (ROOT / module).read_text()


def test_the_three_corrections_are_explained():
    """Minutes revisions, proposal corrections and comment revisions stay three models; why is
    written down."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    corrections = {
        "MinutesRevision": "councils",
        "ProposalCorrection": "proposals",
        "CommentRevision": "proposals",
    }
    for model, app in corrections.items():
        assert apps.get_model(app, model) and model in text


# Migrations ----------------------------------------------------------------------------------


def project_code_in(path: Path) -> list[str]:
    """What a migration takes from the project's code to run: `from <app> import …`,
    `import_module("<app>…")`, or a project module named inside a function. The references
    Django writes into operations (`import ogp_portal.uploads` for a field's `upload_to`) are
    the models' definitions as they stood, and stay."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level:
            top = node.module.split(".")[0]
            if top in PACKAGES and ".migrations." not in f"{node.module}.":
                found.append(f"from {node.module} import …")
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module"):
            name = ast.unparse(node.args[0]).strip("'\"")
            if name.split(".")[0] in PACKAGES and ".migrations." not in name:
                found.append(f"import_module({name})")
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and inner.id in PACKAGES:
                    found.append(f"{node.name} uses {inner.id}")
    return found


@pytest.mark.parametrize(
    "path",
    [path for label, path in migration_files() if (label, path.stem) not in GRANDFATHERED],
    ids=lambda p: relative(p),
)
def test_migrations_run_no_project_code(path):
    """Every migration but the known exceptions of the migration policy (with their reasons)."""
    assert project_code_in(path) == []
