"""deploy/backup and deploy/restore: a backup restores into a fresh database (PostgreSQL)."""

import json
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.core.management import call_command
from django.db import connection

from consultations import services
from consultations.models import Ballot, Envelope, Participation, Poll
from tests.backups import backup_and_keys, database_url, empty_database, restore, run
from tests.consultations.conftest import count_all, option_ids
from tests.factories import MessageFactory, PollFactory, UserFactory

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
poll.refresh_from_db()
found["ballots"] = poll.ballot_count
found["problems"] = services.polls_drift(polls=[poll], ballots=True)
response = Client().post(
    reverse("account_login"), {"login": "voter@example.org", "password": "a-long-test-password"}
)
found["sign_in"] = [response.status_code, response.get("Location")]
print(json.dumps(found))
"""


@pytest.fixture
def fresh_database(postgres, transactional_db):
    with empty_database() as name:
        yield name


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
    # Three ballots counted, with their batch's 25 blank ones.
    assert counts["consultations.Envelope"] == 3 and counts["consultations.Ballot"] == 28

    backup, keys = backup_and_keys(
        tmp_path / "backups",
        tmp_path / "keys",
        env={"DATABASE_URL": database_url(connection.settings_dict["NAME"])},
    )
    assert f"DJANGO_SECRET_KEY={settings.SECRET_KEY}" in keys.read_text()
    environment = restore(backup, keys, into=fresh_database)
    check = CHECK % {"models": MODELS}
    found = json.loads(
        run(
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            check,
            env=environment,
        ).stdout
    )

    assert found["counts"] == counts
    assert found["digest"] == digest
    # The restored keys open the envelopes, and the marks that tell padding from ballots.
    assert found["counted"] == 3 and found["ballots"] == 6 and found["problems"] == []
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
