"""The application's database role: row rights only (PostgreSQL)."""

import json
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
        "UPDATE audit_accessrecord SET path = '/'",
        "DELETE FROM audit_accessrecord",
        "SET session_replication_role = replica",
        "CREATE TABLE copied (id int)",
        "DELETE FROM django_migrations",
        "UPDATE audit_pseudonymisation SET rows_changed = 0",
        "DELETE FROM audit_pseudonymisation",
        "INSERT INTO audit_pseudonymisation (at, account_id, pseudonym, records_given,"
        " records_kept, identifiers_given, identifiers_kept, rows_changed)"
        " VALUES (now(), 1, 'p', 0, 0, 0, 0, 0)",
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


def account(cursor, *, email: str = "", deleted: bool = False) -> int:
    """An account written by the application's role, live or deleted (emptied): created live,
    as the database requires, then marked deleted."""
    cursor.execute(
        "INSERT INTO ogp_portal_user (password, is_superuser, username, first_name, last_name,"
        " email, is_staff, is_active, date_joined, language, privacy_version, display_name)"
        " VALUES ('!', false, %s, '', '', %s, true, true, now(), 'ko', '', '') RETURNING id",
        [f"u-{uuid.uuid4().hex[:8]}", email],
    )
    (pk,) = cursor.fetchone()
    if deleted:
        mark_deleted(cursor, pk)
    return pk


def mark_deleted(cursor, *pks: int) -> None:
    cursor.execute(
        "UPDATE ogp_portal_user SET deleted_at = now(), is_active = false, is_staff = false"
        " WHERE id = ANY(%s)",
        [list(pks)],
    )


def access_record(cursor, *, actor: int, label: str, path: str = "/", age: str = "0") -> int:
    cursor.execute(
        "INSERT INTO audit_accessrecord (at, actor_id, actor_label, kind, path, target)"
        " VALUES (now() - %s::interval, %s, %s, 'view', %s, '') RETURNING id",
        [f"{age} years", actor, label, path],
    )
    return cursor.fetchone()[0]


def pseudonymise(cursor, actor: int, pseudonym: str, addresses=(), records=None, account_type=None):
    cursor.execute(
        "SELECT audit_pseudonymise(%s, %s, %s, ARRAY['a'],"
        " coalesce(%s, (SELECT id FROM django_content_type"
        "               WHERE app_label = 'ogp_portal' AND model = 'user')),"
        " %s, ARRAY['a'], ARRAY['1:officers'])",
        [actor, pseudonym, list(addresses), account_type, records or [f"1:{actor}"]],
    )


PSEUDONYM = "pseudonym:0123456789abcdef0123"


def test_the_application_role_runs_the_audit_trails_retention(app_role):
    """Account deletion and the retention job reach the trail through its two functions."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        deleted = account(cursor, deleted=True)
        mine = access_record(cursor, actor=deleted, label="gone@example.org")
        old = access_record(cursor, actor=deleted, label="gone@example.org", age="3")
        pseudonymise(cursor, deleted, PSEUDONYM, addresses=["gone@example.org"])
        cursor.execute("SELECT actor_label FROM audit_accessrecord WHERE id = %s", [mine])
        assert cursor.fetchone() == (PSEUDONYM,)
        cursor.execute("SELECT audit_erase_expired(now() - interval '3 years' + interval '1 day')")
        assert cursor.fetchone()[0] >= 1
        cursor.execute("SELECT id FROM audit_accessrecord WHERE id IN (%s, %s)", [mine, old])
        assert cursor.fetchall() == [(mine,)]


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("audit_auditentry", "actor_email = 'someone else', remote_addr = NULL"),
        ("audit_accessrecord", "actor_label = 'someone else', path = '', remote_addr = NULL"),
    ],
)
@pytest.mark.parametrize("mode", ["pseudonymise", "erase"])
def test_the_retention_setting_opens_no_row_to_a_role_other_than_the_owner(
    app_role, table, columns, mode
):
    """The fifth attack run set `audit.retention`, which any session may, and rewrote access
    records. The trigger heeds it only as the owner: even granted UPDATE and DELETE, another
    role changes no row, however old."""
    owner = connection.get_connection_params()["user"]
    with connect(owner) as admin, admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("GRANT UPDATE, DELETE ON {} TO {}").format(
                sql.Identifier(table), sql.Identifier(app_role)
            )
        )
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        actor = account(cursor)
        access_record(cursor, actor=actor, label="staff@example.org", age="3")
        cursor.execute(
            "INSERT INTO audit_auditentry (content_type_id, object_pk, object_repr, action,"
            " changes_text, timestamp, operation, actor_id, actor_email)"
            " SELECT min(id), '1', 'a record', 1, '', now() - interval '3 years', '', %s,"
            " 'staff@example.org' FROM django_content_type",
            [actor],
        )
        for statement in [
            sql.SQL("UPDATE {} SET {} WHERE actor_id = %s").format(
                sql.Identifier(table), sql.SQL(columns)
            ),
            sql.SQL("DELETE FROM {} WHERE actor_id = %s").format(sql.Identifier(table)),
        ]:
            with (
                pytest.raises(psycopg.errors.RestrictViolation, match="append-only"),
                app.transaction(),
            ):
                cursor.execute("SELECT set_config('audit.retention', %s, true)", [mode])
                cursor.execute(statement, [actor])


def test_pseudonymising_refuses_a_live_account_and_a_pseudonym_of_the_callers_choice(app_role):
    """The fifth attack run called `audit_pseudonymise` for a live staff member with another
    person's address as the pseudonym: their trail named the citizen."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        staff = account(cursor, email="staff@example.org")
        deleted = account(cursor, deleted=True)
        record = access_record(
            cursor, actor=staff, label="staff@example.org", path="/?q=Staff%40example.org"
        )
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'ogp_portal' AND model = 'user'"
        )
        (account_type,) = cursor.fetchone()
        for actor, pseudonym, arguments, reason in [
            (staff, PSEUDONYM, {}, "only a deleted account"),
            (deleted, "citizen@example.org", {}, "pseudonym"),
            (deleted, "pseudonym:0123", {}, "pseudonym"),
            (deleted, PSEUDONYM, {"account_type": account_type + 1}, "another account"),
            (deleted, PSEUDONYM, {"records": [f"{account_type}:{staff}"]}, "another account"),
        ]:
            with pytest.raises(psycopg.errors.RestrictViolation, match=reason), app.transaction():
                pseudonymise(cursor, actor, pseudonym, **arguments)
        # A live account's address passed as the deleted person's stays in others' rows.
        pseudonymise(
            cursor, deleted, PSEUDONYM, addresses=["staff@example.org", "staff%40example.org"]
        )
        cursor.execute("SELECT actor_label, path FROM audit_accessrecord WHERE id = %s", [record])
        assert cursor.fetchone() == ("staff@example.org", "/?q=Staff%40example.org")
        # Once: the ledger's row binds the pseudonym.
        for pseudonym in [PSEUDONYM, "pseudonym:ffffffffffffffffffff"]:
            with (
                pytest.raises(psycopg.errors.RestrictViolation, match="pseudonymised already"),
                app.transaction(),
            ):
                pseudonymise(cursor, deleted, pseudonym)


def entry(cursor, *, content_type: int, pk: str, actor: int | None, changes: dict) -> None:
    cursor.execute(
        "INSERT INTO audit_auditentry (content_type_id, object_pk, object_repr, action,"
        " changes_text, changes, timestamp, operation, actor_id, actor_email)"
        " VALUES (%s, %s, 'a record', 0, '', %s, now(), '', %s, '')",
        [content_type, pk, json.dumps(changes), actor],
    )


def test_pseudonymising_keeps_only_what_the_trail_shows_was_the_persons(app_role):
    """The sixth attack run, as the application's role, wrote an account already deleted and
    had another person's record and identifiers of its choosing replaced. An account is now
    created live; of what the caller gives, only what the trail shows was the person's counts;
    and each call stands in a ledger nobody may change."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        with (
            pytest.raises(psycopg.errors.RestrictViolation, match="created live"),
            app.transaction(),
        ):
            cursor.execute(
                "INSERT INTO ogp_portal_user (password, is_superuser, username, first_name,"
                " last_name, email, is_staff, is_active, date_joined, language, privacy_version,"
                " display_name, deleted_at) VALUES ('!', false, 'x', '', '', '', false, false,"
                " now(), 'ko', '', '', now())"
            )
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'ogp_portal' AND model = 'user'"
        )
        (account_type,) = cursor.fetchone()
        cursor.execute(
            "SELECT id FROM django_content_type"
            " WHERE app_label = 'proposals' AND model = 'proposal'"
        )
        (proposal_type,) = cursor.fetchone()
        author, other, staff = account(cursor), account(cursor), account(cursor)
        # The trail recorded the person's name, as the account's own values.
        entry(
            cursor,
            content_type=account_type,
            pk=str(author),
            actor=author,
            changes={"first_name": ["", "민수"], "last_name": ["", "김"]},
        )
        # The person wrote proposal 1; another person wrote proposal 2, which names an outsider.
        entry(
            cursor,
            content_type=proposal_type,
            pk="1",
            actor=author,
            changes={"author": [None, str(author)], "title": [None, "김민수의 제안"]},
        )
        entry(
            cursor,
            content_type=proposal_type,
            pk="2",
            actor=other,
            changes={
                "author": [None, str(other)],
                "title": [None, "이영희의 제안"],
                "contact": [None, "outsider@example.org"],
            },
        )
        mark_deleted(cursor, author, staff)
        for actor in (author, staff):
            cursor.execute(
                "SELECT audit_pseudonymise(%s, %s, %s, %s, %s, %s, '{}', '{}')",
                [
                    actor,
                    PSEUDONYM[:-1] + str(actor % 10),
                    ["outsider@example.org"],
                    ["김민수", "이영희"],
                    account_type,
                    [f"{proposal_type}:1", f"{proposal_type}:2"],
                ],
            )
        cursor.execute(
            "SELECT object_pk, changes->'title'->>1, changes->'contact'->>1 FROM audit_auditentry"
            " WHERE content_type_id = %s AND object_pk IN ('1', '2') ORDER BY object_pk",
            [proposal_type],
        )
        first, second = cursor.fetchall()
        # The person's own record loses their name; another's keeps everything.
        assert "김민수" not in first[1] and first[1].startswith("pseudonym:")
        assert second == ("2", "이영희의 제안", "outsider@example.org")
        cursor.execute(
            "SELECT account_id, records_given, records_kept, identifiers_given,"
            " identifiers_kept, rows_changed > 0 FROM audit_pseudonymisation"
            " WHERE account_id IN (%s, %s) ORDER BY account_id",
            [author, staff],
        )
        # The outsider's address and the other person's name, recorded as no value of the
        # person's own, are not kept.
        assert cursor.fetchall() == [(author, 2, 1, 3, 1, True), (staff, 2, 0, 3, 0, False)]


def test_pseudonymising_takes_once_only_identifiers_the_trail_recorded_as_the_persons(app_role):
    """The seventh attack run had a deleted citizen's pseudonymisation replace a word of its
    choosing in staff's entries about the citizen's proposal, and an address those entries
    held; it rewrote the pages a deleted staff member had opened, called the function again,
    and blocked an account's deletion with one row under another pseudonym."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        cursor.execute(
            "SELECT app_label || '.' || model, id FROM django_content_type"
            " WHERE (app_label, model) IN (('ogp_portal', 'user'), ('proposals', 'proposal'))"
        )
        types = dict(cursor.fetchall())
        account_type, proposal_type = types["ogp_portal.user"], types["proposals.proposal"]
        citizen, clerk = account(cursor), account(cursor, email="clerk@example.org")
        entry(
            cursor,
            content_type=account_type,
            pk=str(citizen),
            actor=citizen,
            changes={"display_name": ["", "change"], "email": ["", "citizen@example.org"]},
        )
        entry(
            cursor,
            content_type=proposal_type,
            pk="1",
            actor=citizen,
            changes={"author": [None, str(citizen)], "title": [None, "예산 제안"]},
        )
        entry(
            cursor,
            content_type=proposal_type,
            pk="1",
            actor=clerk,
            changes={"response": [None, "예산 검토: clerk@example.org, change requested"]},
        )
        # The citizen, as staff once, opened a record; a row under another pseudonym.
        opened = access_record(
            cursor, actor=citizen, label="citizen@example.org", path="/admin/x/1/change/"
        )
        access_record(cursor, actor=citizen, label="pseudonym:ffffffffffffffffffff")
        mark_deleted(cursor, citizen)
        cursor.execute(
            "SELECT audit_pseudonymise(%s, %s, %s, %s, %s, %s, '{}', '{}')",
            [
                citizen,
                PSEUDONYM,
                ["citizen@example.org", "clerk@example.org"],
                ["예산", "change"],
                account_type,
                [f"{proposal_type}:1"],
            ],
        )
        cursor.execute(
            "SELECT changes->'response'->>1 FROM audit_auditentry"
            " WHERE content_type_id = %s AND object_pk = '1' AND actor_id = %s",
            [proposal_type, clerk],
        )
        # The display name the person chose goes from the entries about their records; the
        # word and the staff member's address stay.
        assert cursor.fetchone() == (f"예산 검토: clerk@example.org, {PSEUDONYM} requested",)
        cursor.execute("SELECT actor_label, path FROM audit_accessrecord WHERE id = %s", [opened])
        assert cursor.fetchone() == (PSEUDONYM, "/admin/x/1/change/")
        cursor.execute(
            "SELECT identifiers_given, identifiers_kept FROM audit_pseudonymisation"
            " WHERE account_id = %s",
            [citizen],
        )
        assert cursor.fetchone() == (4, 2)
        with (
            pytest.raises(psycopg.errors.RestrictViolation, match="pseudonymised already"),
            app.transaction(),
        ):
            pseudonymise(cursor, citizen, PSEUDONYM)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ogp_portal_user SET deleted_at = NULL WHERE id = %s",
        "DELETE FROM ogp_portal_user WHERE id = %s",
    ],
)
def test_a_deleted_account_stays_deleted(app_role, statement):
    """Else the application's role could mark a live account deleted for a moment, have its
    trail pseudonymised, and give it back."""
    with connect(app_role) as app, app.cursor() as cursor, app.transaction(force_rollback=True):
        deleted = account(cursor, deleted=True)
        with pytest.raises(psycopg.errors.RestrictViolation, match="stays deleted"):
            cursor.execute(statement, [deleted])


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
