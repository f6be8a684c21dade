"""deploy/backup and deploy/restore: a backup restores into a fresh database (PostgreSQL)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from consultations import services
from consultations.models import Ballot, Envelope, Participation, Poll
from tests.consultations.conftest import count_all, option_ids
from tests.factories import MessageFactory, PollFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
MODELS = [
    "ogp_portal.User",
    "account.EmailAddress",
    "consultations.Poll",
    "consultations.Participation",
    "consultations.Ballot",
    "consultations.Envelope",
    "outbox.Message",
    "audit.AuditEntry",
]
# Runs in the restored database: its row counts, the poll's receipt digest, then the waiting
# envelopes counted with the keys of the backup, then a sign-in.
CHECK = """
import json
from django.apps import apps
from django.test import Client
from django.urls import reverse
from consultations import services
from consultations.models import Ballot, Poll
poll = Poll.objects.get(slug="restored")
found = {
    "counts": {m: apps.get_model(m).objects.count() for m in %(models)r},
    "digest": Ballot.objects.filter(poll=poll).receipts_sha256(),
}
found["counted"] = services.ballots_count(poll=poll, everything=True)
found["ballots"] = Ballot.objects.filter(poll=poll).count()
response = Client().post(
    reverse("account_login"), {"login": "voter@example.org", "password": "a-long-test-password"}
)
found["sign_in"] = [response.status_code, response.get("Location")]
print(json.dumps(found))
"""


def database_url(name: str) -> str:
    params = connection.get_connection_params()
    password = f":{params['password']}" if params.get("password") else ""
    host = params.get("host") or "127.0.0.1"
    return f"postgres://{params['user']}{password}@{host}:{params.get('port') or 5432}/{name}"


def run(*command, env: dict) -> subprocess.CompletedProcess:
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


@pytest.fixture
def fresh_database(postgres, transactional_db):
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield name
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_backup_restores_with_its_counts_digest_envelopes_and_sign_ins(fresh_database, tmp_path):
    poll = PollFactory(slug="restored")
    voter = UserFactory(username="voter", email="voter@example.org")
    services.poll_vote(poll=poll, user=voter, option_ids=option_ids(poll, "찬성"))
    for _ in range(2):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    count_all(poll)
    for _ in range(3):  # sealed, waiting to be counted when the backup is taken
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    MessageFactory()
    digest = Ballot.objects.filter(poll=poll).receipts_sha256()
    counts = {m: apps.get_model(m).objects.count() for m in MODELS}
    assert counts["consultations.Envelope"] == 3 and counts["consultations.Ballot"] == 3

    stamp = run(
        "deploy/backup",
        str(tmp_path / "backups"),
        str(tmp_path / "keys"),
        env={"DATABASE_URL": database_url(connection.settings_dict["NAME"])},
    ).stdout.split()[-1]
    keys = tmp_path / "keys" / f"{stamp}.env"
    assert oct(keys.stat().st_mode & 0o777) == "0o600"
    assert f"DJANGO_SECRET_KEY={settings.SECRET_KEY}" in keys.read_text()
    assert not (tmp_path / "backups" / stamp / "keys.env").exists()  # the keys live apart

    restored = {"DATABASE_URL": database_url(fresh_database)}
    run("deploy/restore", str(tmp_path / "backups" / stamp), str(keys), env=restored)
    # The site runs again with the kept keys: they come from the keys file, not from the test.
    kept = dict(line.split("=", 1) for line in keys.read_text().splitlines())
    check = CHECK % {"models": MODELS}
    found = json.loads(
        run(
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            check,
            env={**restored, **kept},
        ).stdout
    )

    assert found["counts"] == counts
    assert found["digest"] == digest
    assert found["counted"] == 3 and found["ballots"] == 6
    assert found["sign_in"] == [302, "/"]


def test_without_the_kept_key_waiting_envelopes_do_not_open(db, settings):
    poll = PollFactory()
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    settings.SECRET_KEY = "a-new-key-without-the-old-one-among-the-fallbacks"
    with pytest.raises(Exception, match="none of the site's keys"):
        Envelope.objects.get().open()
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 0


def test_media_copy_takes_the_uploads_out_and_back(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "site")},
        },
    }
    site = FileSystemStorage(location=tmp_path / "site")
    site.save("minutes/2026/a.pdf", ContentFile(b"%PDF-1.7 minutes"))
    site.save("photos/b.jpg", ContentFile(b"\xff\xd8 photo"))

    call_command("media_copy", "--to", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "minutes" / "2026" / "a.pdf").read_bytes() == b"%PDF-1.7 minutes"

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    call_command("media_copy", "--from", str(tmp_path / "backup"))
    call_command("media_copy", "--from", str(tmp_path / "backup"))  # again: nothing doubled
    restored = storages["default"]
    assert isinstance(restored, InMemoryStorage)
    assert restored.open("photos/b.jpg").read() == b"\xff\xd8 photo"
    assert restored.listdir("photos") == ([], ["b.jpg"])
