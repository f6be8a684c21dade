"""deploy/backup and deploy/restore run as an operator runs them, into a database of their own."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]


def database_url(name: str) -> str:
    """The URL of database `name` on the test database's server, as the test connects."""
    params = connection.get_connection_params()
    password = f":{params['password']}" if params.get("password") else ""
    host = params.get("host") or "127.0.0.1"
    return f"postgres://{params['user']}{password}@{host}:{params.get('port') or 5432}/{name}"


def run(*command, env: dict) -> subprocess.CompletedProcess:
    """A command of the project's, in test settings with the test's keys unless `env` says else."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS_URL"))}
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "VERIFICATION_HASH_KEY": settings.VERIFICATION_HASH_KEY,
            "PYTHON": sys.executable,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@contextmanager
def empty_database():
    """A new, empty database beside the test database, dropped afterwards: its name."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def backup_and_keys(backups: Path, keys: Path, *, env: dict) -> tuple[Path, dict[str, str]]:
    """deploy/backup: the backup's directory, and the keys it wrote apart (file mode 600)."""
    stamp = run("deploy/backup", str(backups), str(keys), env=env).stdout.split()[-1]
    keys_file = keys / f"{stamp}.env"
    assert oct(keys_file.stat().st_mode & 0o777) == "0o600"
    assert not (backups / stamp / "keys.env").exists()  # the keys live apart
    return backups / stamp, keys_file


def restore(backup: Path, keys_file: Path, *, into: str) -> dict[str, str]:
    """deploy/restore into database `into`: the environment the restored site then runs with."""
    restored = {"DATABASE_URL": database_url(into)}
    run("deploy/restore", str(backup), str(keys_file), env=restored)
    # The site runs again with the kept keys: they come from the keys file, not from the test.
    kept = dict(line.split("=", 1) for line in keys_file.read_text().splitlines())
    return {**restored, **kept}
