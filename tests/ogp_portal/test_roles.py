"""The application's database role: row rights only (PostgreSQL)."""

import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from ogp_portal.roles import RoleError, app_role_grant


def connect(role: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        host=params.get("host") or "127.0.0.1",
        port=params.get("port") or 5432,
        dbname=connection.settings_dict["NAME"],
        user=role,
        password=params.get("password") if role == params.get("user") else "app-role-password",
        autocommit=True,
    )


@pytest.fixture
def app_role(postgres, db):
    """A role made by `app_role_grant` on the test database, dropped afterwards."""
    role = f"ogp_app_{uuid.uuid4().hex[:12]}"
    owner = connection.get_connection_params()["user"]
    with connect(owner) as admin:
        with admin.cursor() as cursor:
            app_role_grant(cursor=cursor, role=role, password="app-role-password")
            app_role_grant(cursor=cursor, role=role)  # again: nothing changes, nothing fails
        yield role
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditentry",
        "TRUNCATE outbox_message",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE outbox_message ADD COLUMN note text",
        "DROP TABLE audit_auditentry",
        "UPDATE audit_auditentry SET object_repr = 'changed'",
        "DELETE FROM audit_auditentry",
        "SET session_replication_role = replica",
        "CREATE TABLE copied (id int)",
        "DELETE FROM django_migrations",
    ],
)
def test_the_application_role_cannot_change_tables_or_the_audit_trail(app_role, statement):
    with (
        connect(app_role) as app,
        app.cursor() as cursor,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        cursor.execute(statement)


def test_the_application_role_reads_and_writes_rows(app_role):
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        cursor.execute(
            "INSERT INTO audit_auditentry (content_type_id, object_pk, object_repr, action,"
            " changes_text, timestamp, operation)"
            " SELECT min(id), '1', 'a record', 0, '', now(), '' FROM django_content_type"
            " RETURNING id"
        )
        (entry,) = cursor.fetchone()
        cursor.execute("SELECT object_repr FROM audit_auditentry WHERE id = %s", [entry])
        assert cursor.fetchone() == ("a record",)
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " VALUES ('k', 'd', now())"
        )
        cursor.execute("UPDATE django_session SET session_data = 'e' WHERE session_key = 'k'")
        cursor.execute("DELETE FROM django_session WHERE session_key = 'k'")
        assert cursor.rowcount == 1
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0


def test_the_application_role_runs_the_audit_trails_retention(app_role):
    """Account deletion and the retention job reach the trail through its two functions."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        cursor.execute(
            "SELECT audit_pseudonymise("
            "0, 'pseudonym:0', ARRAY['a@example.org'], ARRAY['a'], 1, ARRAY['1:0'], ARRAY['a'],"
            " ARRAY['1:officers'])"
        )
        cursor.execute("SELECT audit_erase_expired(now() - interval '3 years')")
        assert cursor.fetchone() == (0,)


def test_tables_created_later_are_granted_by_default(app_role):
    owner = connection.get_connection_params()["user"]
    with connect(owner) as admin, admin.cursor() as cursor:
        cursor.execute("CREATE TABLE later_migration (id bigserial PRIMARY KEY, note text)")
        try:
            with connect(app_role) as app, app.cursor() as app_cursor:
                app_cursor.execute("INSERT INTO later_migration (note) VALUES ('x') RETURNING id")
                assert app_cursor.fetchone()[0] == 1
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app_cursor.execute("TRUNCATE later_migration")
        finally:
            cursor.execute("DROP TABLE later_migration")


def test_the_owner_is_refused_as_the_application_role(postgres, db):
    owner = connection.get_connection_params()["user"]
    with (
        connect(owner) as admin,
        admin.cursor() as cursor,
        pytest.raises(RoleError, match="owner"),
    ):
        app_role_grant(cursor=cursor, role=owner)


def test_migrate_as_owner_needs_the_owners_url(settings):
    settings.DATABASE_MIGRATE_URL = ""
    with pytest.raises(CommandError, match="DATABASE_MIGRATE_URL"):
        call_command("migrate_as_owner")


def test_migrate_as_owner_refuses_an_application_role_that_owns_the_tables(postgres, db, settings):
    """Here DATABASE_URL and the owner are one role: the command says so instead of granting."""
    params = connection.get_connection_params()
    settings.DATABASE_MIGRATE_URL = (
        f"postgres://{params['user']}@{params.get('host') or '127.0.0.1'}:"
        f"{params.get('port') or 5432}/{connection.settings_dict['NAME']}"
    )
    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("migrate_as_owner", "--grant-only")
