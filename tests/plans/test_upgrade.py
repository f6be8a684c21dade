"""A database of the previous release migrates to this layout with every row kept.

The previous release's code is exported from git into a scratch directory and run there, with
this environment's Python, against a throw-away PostgreSQL database: migrate, the demo data and
the benchmark's generator at its smallest scale. Then this code's `migrate` runs on the same
database. Every table keeps its rows; the moved models' content types keep their ids under
"plans"; permissions, the groups' and people's permissions, audit entries and the admin's log
stay attached to them.
"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "a0c5476"
MOVED = [
    "actionplan",
    "commitment",
    "milestone",
    "progressupdate",
    "inspectionreport",
    "inspectionphoto",
]

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _export(commit: str, target: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.fail(f"git is needed to export the previous release ({commit}).")
    found = subprocess.run(
        [git, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        pytest.fail(
            f"The previous release {commit} is not in this clone's history: run the tests in "
            "a full clone (git fetch --unshallow)."
        )
    archive = subprocess.run(
        [git, "archive", "--format=tar", found.stdout.strip()],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def _manage(code: Path, url: str, *args: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} in {code}:\n{done.stderr[-3000:]}"


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_upgrade"
    with psycopg.connect(_url("postgres"), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _url(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _bench_secretariat_renamed(url: str) -> None:
    """The benchmark and the demo both name an account "secretariat": the benchmark's is renamed,
    so that the demo makes its own beside it."""
    with psycopg.connect(url) as db:
        db.execute(
            "UPDATE ogp_portal_user SET username = 'bench-secretariat' "
            "WHERE username = 'secretariat'"
        )


def _grant_the_moved_permissions(url: str) -> None:
    """A group and a person given every permission of the moved models, and an admin log line."""
    with psycopg.connect(url) as db:
        (group,) = db.execute(
            "INSERT INTO auth_group (name) VALUES ('plan editors') RETURNING id"
        ).fetchone()
        db.execute(
            "INSERT INTO auth_group_permissions (group_id, permission_id) "
            "SELECT %s, p.id FROM auth_permission p JOIN django_content_type c "
            "ON c.id = p.content_type_id WHERE c.app_label = 'proposals' AND c.model = ANY(%s)",
            [group, MOVED],
        )
        (user,) = db.execute("SELECT min(id) FROM ogp_portal_user").fetchone()
        db.execute(
            "INSERT INTO ogp_portal_user_user_permissions (user_id, permission_id) "
            "SELECT %s, p.id FROM auth_permission p JOIN django_content_type c "
            "ON c.id = p.content_type_id WHERE c.app_label = 'proposals' AND c.model = ANY(%s)",
            [user, MOVED],
        )
        db.execute(
            "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, "
            "change_message, content_type_id, user_id) SELECT now(), '1', 'plan', 2, '[]', id, %s "
            "FROM django_content_type WHERE app_label = 'proposals' AND model = 'commitment'",
            [user],
        )


def _state(url: str) -> dict:
    with psycopg.connect(url) as db:
        tables = [
            t
            for (t,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            "rows": {
                t: db.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
                ).fetchone()[0]
                for t in tables
                if t != "django_migrations"
            },
            "content_types": {
                pk: (label, model)
                for pk, label, model in db.execute(
                    "SELECT id, app_label, model FROM django_content_type"
                )
            },
            "permissions": {
                pk: (content_type, codename)
                for pk, content_type, codename in db.execute(
                    "SELECT id, content_type_id, codename FROM auth_permission"
                )
            },
            "group_permissions": set(
                db.execute("SELECT group_id, permission_id FROM auth_group_permissions")
            ),
            "user_permissions": set(
                db.execute("SELECT user_id, permission_id FROM ogp_portal_user_user_permissions")
            ),
            "audit": dict(db.execute("SELECT id, content_type_id FROM audit_auditentry")),
            "admin_log": dict(db.execute("SELECT id, content_type_id FROM django_admin_log")),
        }


def test_a_database_of_the_previous_release_keeps_every_row(postgres, scratch_database, tmp_path):
    previous = tmp_path / "previous"
    _export(PREVIOUS_RELEASE, previous)
    _manage(previous, scratch_database, "migrate", "--no-input", "-v", "0")
    _manage(previous, scratch_database, "bench_data", "--scale", "0.0001")
    _bench_secretariat_renamed(scratch_database)
    _manage(previous, scratch_database, "load_demo", "--allow-production")
    _grant_the_moved_permissions(scratch_database)
    before = _state(scratch_database)
    moved_types = {
        pk
        for pk, (label, model) in before["content_types"].items()
        if label == "proposals" and model in MOVED
    }
    assert len(moved_types) == len(MOVED)
    # Not vacuous: the demo's plan wrote audit entries, and the grants above reached the rows.
    assert moved_types & set(before["audit"].values())
    assert before["group_permissions"] and before["user_permissions"]
    assert all(
        before["rows"][f"proposals_{model}"]
        for model in ["actionplan", "commitment", "milestone", "progressupdate"]
    )

    _manage(ROOT, scratch_database, "migrate", "--no-input", "-v", "0")
    after = _state(scratch_database)

    # Models added since that release bring their own content types and permissions; every
    # earlier one is checked by id below.
    grown = {"django_content_type", "auth_permission"}
    kept = {t: n for t, n in before["rows"].items() if t not in grown}
    assert {t: after["rows"].get(t) for t in kept} == kept
    assert all(after["rows"][t] >= before["rows"][t] for t in grown)
    assert not any(after["rows"][t] for t in set(after["rows"]) - set(before["rows"]))
    expected_types = {
        pk: ("plans", model) if pk in moved_types else (label, model)
        for pk, (label, model) in before["content_types"].items()
    }
    assert {pk: after["content_types"][pk] for pk in before["content_types"]} == expected_types
    assert not [
        pk
        for pk, (label, model) in after["content_types"].items()
        if model in MOVED and pk not in moved_types
    ]
    assert {pk: after["permissions"][pk] for pk in before["permissions"]} == before["permissions"]
    assert after["group_permissions"] == before["group_permissions"]
    assert after["user_permissions"] == before["user_permissions"]
    assert after["audit"] == before["audit"]
    assert after["admin_log"] == before["admin_log"]
