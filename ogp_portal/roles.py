"""The database's two roles: the owner, which migrations use, and the application's role.

The owner (DATABASE_MIGRATE_URL) creates and alters the tables. Web servers, workers and beat
connect as the application's role (DATABASE_URL), which may read and write rows and nothing
more: it owns no table, so it can neither ALTER nor DROP one nor disable a trigger; it is granted
no TRUNCATE; on the audit trail and the access records it may only INSERT and SELECT, and call
the two functions of their retention, which alone pass the tables' append-only trigger because
they run as the owner; it is no superuser, so it cannot set session_replication_role.
`app_role_grant` runs after every migration (`migrate_as_owner`); default privileges grant the
same rights on tables a later migration creates.
"""

from psycopg import sql

ROW_RIGHTS = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
# Tables the application reads and appends to only.
APPEND_ONLY_TABLES = ["audit_auditentry", "audit_accessrecord"]
# Tables it reads only: the ledger of pseudonymisations is written by its function alone.
READ_ONLY_TABLES = ["django_migrations", "audit_pseudonymisation"]
# The two exceptions to the append-only rule of the audit trail and the access records
# (audit/retention.py): functions that run as the tables' owner, which the application may call
# and nobody else.
RETENTION_FUNCTIONS = [
    "audit_pseudonymise(bigint, text, text[], text[], integer, text[], text[], text[])",
    "audit_erase_expired(timestamptz)",
]


class RoleError(Exception):
    """The roles are not set up as the application needs them."""


def app_role_grant(*, cursor, role: str, password: str | None = None) -> None:
    """Creates the application's role if missing and grants it its rights; safe to repeat.

    `cursor` is connected as the owner of the tables, to the application's database.
    """
    cursor.execute("SELECT current_user, current_database()")
    owner, database = cursor.fetchone()
    if role == owner:
        raise RoleError(f"The application's role must not be the owner ({owner}).")
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    found = cursor.fetchone()
    if found is None:
        cursor.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
    elif any(found):
        raise RoleError(f"The application's role {role} must be no superuser and obey row rules.")
    app = sql.Identifier(role)
    for statement in [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), app),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC, {}").format(app),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(app),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(ROW_RIGHTS, app),
        *[
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), app)
            for table in APPEND_ONLY_TABLES
        ],
        *[
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(
                sql.Identifier(table), app
            )
            for table in READ_ONLY_TABLES
        ],
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(app),
        *[
            sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(sql.SQL(function), app)
            for function in RETENTION_FUNCTIONS
        ],
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}"
        ).format(sql.Identifier(owner), ROW_RIGHTS, app),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(sql.Identifier(owner), app),
    ]:
        cursor.execute(statement)
