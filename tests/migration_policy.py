"""The migration policy of docs/operations.md ("Migrations at city scale"), as a check.

Two layers. django-migration-linter reads the SQL of each migration (on PostgreSQL) and refuses
what breaks the release still running during a rolling deploy or locks a table (dropped or
renamed columns and tables, NOT NULL added, CREATE INDEX without CONCURRENTLY). `source_issues`
reads each migration file for what SQL does not show: a data migration mixed with schema changes
(the backfill then runs while the table's lock is held), an index or a constraint added to an
existing table without CONCURRENTLY / NOT VALID, an index built from code rather than declared
by the model that owns the table, and an import of the project's own code (the
migration would change whenever that code does). Migrations written before the policy are
listed in GRANDFATHERED and never rewritten; every new one must pass.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_APPS = [
    "ogp_portal",
    "audit",
    "outbox",
    "privacy",
    "verification",
    "councils",
    "proposals",
    "plans",
    "consultations",
    "opinions",
    "public",
]
APP_PACKAGES = {"public": "public_site"}
PROJECT_PACKAGES = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
# What Django's migration writer itself imports to name a field's upload_to, the search-word
# field's class and a validator; the migration refers to them as makemigrations does.
SERIALISED_REFERENCES = {"ogp_portal.uploads", "ogp_portal.search_index", "outbox.numbers"}

GRANDFATHERED = {
    ("ogp_portal", "0003_alter_user_managers_delete_email"),
    ("ogp_portal", "0005_account_deletion_and_policy_version"),
    ("audit", "0001_audit_trail"),
    ("outbox", "0004_notification_preferences"),
    ("councils", "0001_initial"),
    ("councils", "0002_notices_in_the_outbox"),
    ("councils", "0004_text_limits"),
    ("councils", "0005_stored_under_random_names"),
    ("proposals", "0001_initial"),
    ("proposals", "0003_transition_changes_status"),
    ("proposals", "0004_text_limits"),
    ("proposals", "0005_stored_under_random_names"),
    ("proposals", "0008_call_requirement"),
    # Backfills every comment's HTML and validates a CHECK constraint while holding the table's
    # exclusive lock, with the live Markdown renderer: the known offender, kept as it ran.
    ("proposals", "0009_comment_body_html"),
    ("consultations", "0001_initial"),
    ("consultations", "0002_secret_ballot_box"),
    ("consultations", "0003_booths_and_requirements"),
    ("consultations", "0004_participation_keys"),
    # The search GIN indexes: built from code, non-concurrently, on other apps' tables.
    ("public", "0001_search_indexes"),
    ("public", "0002_search_more_indexes"),
    # Refused by django-migration-linter: a column dropped, or altered to NOT NULL, under the
    # release still running.
    ("consultations", "0005_participation_identity_key_removed"),
    ("councils", "0003_committee_member_contact_email"),
    ("councils", "0006_membership_name_listed_by_choice"),
    ("outbox", "0003_message_key_holds_an_address"),
    ("proposals", "0007_debate"),
    # Written in the same release as the policy, before it was checked: each adds a CHECK
    # constraint to an existing table without NOT VALID (PostgreSQL's AddConstraintNotValid has
    # no SQLite form, which `make run` uses) or runs its data step beside the schema change.
    # Known debt, to be split into schema, NOT VALID, VALIDATE and data migrations.
    ("ogp_portal", "0009_public_name"),
    ("audit", "0002_access_records_and_retention"),
    ("outbox", "0006_text_channels"),
    ("consultations", "0007_poll_disclosure_and_count_within"),
    ("consultations", "0008_turnout_counts_who_may_vote"),
    # The search-word columns: nullable, their GIN index built concurrently, filled by a command;
    # but the index's operation is the project's own (`AddSearchIndexConcurrently`), imported.
    ("councils", "0007_search_index"),
    ("proposals", "0011_search_index"),
    ("consultations", "0006_search_index"),
    # A NOT NULL column with a constant default: PostgreSQL 11 and later add it without
    # rewriting the table, which django-migration-linter cannot know.
    ("councils", "0008_committee_member_contact_mobile"),
}

# Operations that change no table (state only) or are data by nature.
STATE_ONLY = {"AlterModelOptions", "AlterModelManagers", "AlterModelTable", "RunPython"}
DATA_SQL = re.compile(r"^\s*(UPDATE|INSERT|DELETE)\b", re.IGNORECASE | re.MULTILINE)
INDEX_SQL = re.compile(r"CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.IGNORECASE)
CONSTRAINT_SQL = re.compile(r"ADD\s+CONSTRAINT\b(?![^;]*NOT\s+VALID)", re.IGNORECASE)
INDEXED_FIELDS = {"ForeignKey", "OneToOneField"}
SCHEMA_EDITOR_CHANGES = {"add_index", "add_constraint", "add_field", "alter_field", "create_model"}


def name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def keyword(call: ast.Call, name: str):
    for item in call.keywords:
        if item.arg == name and isinstance(item.value, ast.Constant):
            return item.value.value
    return None


def sql_text(call: ast.Call) -> str:
    """The forward SQL of a RunSQL whose SQL is written in the file (or names a constant)."""
    return ast.unparse(call.args[0]) if call.args else str(keyword(call, "sql") or "")


def operations(tree: ast.Module) -> list[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "operations" for t in node.targets
        ):
            return [op for op in getattr(node.value, "elts", []) if isinstance(op, ast.Call)]
    return []


def constants(tree: ast.Module) -> dict[str, str]:
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def state_only(op: ast.Call) -> bool:
    """A SeparateDatabaseAndState that changes Django's state and no table."""
    database = next((k.value for k in op.keywords if k.arg == "database_operations"), None)
    return name_of(op.func) == "SeparateDatabaseAndState" and (
        database is None or (isinstance(database, ast.List) and not database.elts)
    )


def source_issues(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    issues = []
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names if a.name not in SERIALISED_REFERENCES]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module or ""]
        issues += [
            f"imports the project's code ({module}): copy what it needs into the migration"
            for module in modules
            if module.split(".")[0] in PROJECT_PACKAGES
        ]

        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SCHEMA_EDITOR_CHANGES
        ):
            issues.append(
                f"changes the schema from code (schema_editor.{node.func.attr}): declare it on "
                "the model that owns the table and let makemigrations write the operation"
            )

    values = constants(tree)
    ops = operations(tree)
    created = {str(keyword(op, "name")).lower() for op in ops if name_of(op.func) == "CreateModel"}
    data, schema = [], []
    for op in ops:
        kind = name_of(op.func)
        model = str(keyword(op, "model_name")).lower()
        existing = model not in created
        sql = sql_text(op) if kind == "RunSQL" else ""
        sql = values.get(sql, sql)
        if kind == "RunPython" or (kind == "RunSQL" and DATA_SQL.search(sql)):
            data.append(kind)
        elif kind not in STATE_ONLY and not state_only(op):
            schema.append(kind)
        if kind == "AddIndex" and existing:
            issues.append(f"AddIndex on {model}: use AddIndexConcurrently (atomic = False)")
        if kind == "AddConstraint" and existing:
            issues.append(
                f"AddConstraint on {model}: use AddConstraintNotValid, then ValidateConstraint "
                "in a migration of its own"
            )
        if kind == "AddField" and existing:
            field = next((a for a in op.args[2:3]), None) or next(
                (k.value for k in op.keywords if k.arg == "field"), None
            )
            if isinstance(field, ast.Call) and (
                keyword(field, "unique") is True
                or keyword(field, "db_index") is True
                or (
                    name_of(field.func) in INDEXED_FIELDS
                    and keyword(field, "db_index") is not False
                )
            ):
                issues.append(
                    f"AddField on {model} builds an index: add it with db_index=False, then "
                    "AddIndexConcurrently"
                )
        if INDEX_SQL.search(sql):
            issues.append("RunSQL creates an index without CONCURRENTLY")
        if CONSTRAINT_SQL.search(sql):
            issues.append("RunSQL adds a constraint without NOT VALID")
    if data and schema:
        issues.append(
            f"mixes data ({', '.join(data)}) with schema changes ({', '.join(schema)}): the data "
            "runs while the table's lock is held; put it in a migration of its own"
        )
    return issues


def migration_files():
    for label in PROJECT_APPS:
        folder = ROOT / APP_PACKAGES.get(label, label) / "migrations"
        for path in sorted(folder.glob("[0-9]*.py")):
            yield label, path


def policy_issues() -> dict[tuple[str, str], list[str]]:
    """Every new migration's issues from reading its file (no database needed)."""
    found = {}
    for label, path in migration_files():
        if (label, path.stem) in GRANDFATHERED:
            continue
        issues = source_issues(path)
        if issues:
            found[(label, path.stem)] = issues
    return found


def linter_issues() -> list[tuple[str, str]]:
    """New migrations that django-migration-linter refuses (its SQL read on the database)."""
    from django_migration_linter import MigrationLinter

    linter = MigrationLinter(
        include_apps=PROJECT_APPS,
        ignore_initial_migrations=True,
        all_warnings_as_errors=True,
        analyser_string="postgresql",
        no_cache=True,
        no_output=True,
    )
    refused = []
    original = linter.lint_migration

    def lint(migration):
        if (migration.app_label, migration.name) in GRANDFATHERED:
            return
        before = linter.nb_erroneous
        original(migration)
        if linter.nb_erroneous > before:
            refused.append((migration.app_label, migration.name))

    linter.lint_migration = lint
    linter.lint_all_migrations()
    return refused
