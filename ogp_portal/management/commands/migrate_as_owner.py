"""Migrates the database as the tables' owner, then grants the application's role its rights.

Production's web servers, workers and beat hold DATABASE_URL (the application's role) only; this
command, run once per release by the migration job, also needs DATABASE_MIGRATE_URL (the owner).
Safe to run again: the migrations already applied are skipped and the grants repeated.
"""

import os
import subprocess
import sys

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ogp_portal.roles import RoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "Runs the migrations as the owner (DATABASE_MIGRATE_URL), then creates the application's "
        "role of DATABASE_URL if missing and grants it row rights only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grant-only", action="store_true", help="Repeat the grants without migrating."
        )

    def handle(self, *args, grant_only: bool, **options):
        owner_url = settings.DATABASE_MIGRATE_URL
        if not owner_url:
            raise CommandError("Set DATABASE_MIGRATE_URL to the owner's connection URL.")
        if not grant_only:
            # A process of its own, whose DATABASE_URL is the owner's: every migration, data
            # migrations included, runs as the owner on one connection. A statement that waits
            # longer than MIGRATION_LOCK_TIMEOUT for a table's lock fails instead of queueing
            # every request behind it; run the command again later (docs/operations.md).
            timeout = os.environ.get("MIGRATION_LOCK_TIMEOUT", "5s")
            subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "migrate", "--noinput"],
                env={
                    **os.environ,
                    "DATABASE_URL": owner_url,
                    "DATABASE_POOL": "false",
                    "DATABASE_LOCK_TIMEOUT": timeout,
                },
                check=True,
            )
        app = settings.DATABASES["default"]
        try:
            with psycopg.connect(owner_url) as connection, connection.cursor() as cursor:
                app_role_grant(cursor=cursor, role=app["USER"], password=app["PASSWORD"] or None)
        except RoleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"The role {app['USER']} has row rights only.")
