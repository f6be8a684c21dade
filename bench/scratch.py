"""A scratch PostgreSQL database for a benchmark run in process (`bench/search.py`,
`bench/freeze.py`, `bench/fanout.py`): made empty and migrated, Django set up on it, dropped
afterwards."""

import contextlib
import os
import subprocess
import urllib.parse


@contextlib.contextmanager
def scratch_database(url: str, *, keep: bool = False):
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("ogp_bench"):
        raise SystemExit(f"Refusing to use database {name!r}: its name must start with ogp_bench.")
    server = ["-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *server, "--if-exists", name], check=True)  # noqa: S603, S607
    subprocess.run(["createdb", *server, name], check=True)  # noqa: S603, S607
    os.environ.update(
        DATABASE_URL=url, DATABASE_POOL="false", DJANGO_SETTINGS_MODULE="ogp_portal.settings.test"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            subprocess.run(["dropdb", *server, name], check=True)  # noqa: S603, S607
