"""Migrations at city scale: the policy of docs/operations.md holds for every new migration."""

import textwrap

import pytest

from tests.migration_policy import (
    GRANDFATHERED,
    linter_issues,
    migration_files,
    policy_issues,
    source_issues,
)

HEADER = "from django.db import migrations, models\n\n\n"
BACKFILL_UNDER_LOCK = """
def fill(apps, schema_editor):
    Comment = apps.get_model("proposals", "Comment")
    Comment.objects.update(score=0)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0009_comment_body_html")]
    operations = [
        migrations.AddField("comment", "score", models.IntegerField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
"""
INDEX_ON_A_BIG_TABLE = """
class Migration(migrations.Migration):
    dependencies = [("consultations", "0005_participation_identity_key_removed")]
    operations = [
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(fields=["created_at"], name="participation_created"),
        ),
    ]
"""
INDEX_IN_SQL = """
class Migration(migrations.Migration):
    dependencies = [("outbox", "0004_notification_preferences")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX outbox_due ON outbox_message (due_at)", "DROP INDEX outbox_due"
        ),
    ]
"""
CONSTRAINT_VALIDATED_AT_ONCE = """
class Migration(migrations.Migration):
    dependencies = [("outbox", "0004_notification_preferences")]
    operations = [
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(attempts__lte=10), name="outbox_message_attempts"
            ),
        ),
    ]
"""
APPLICATION_CODE = """
from ogp_portal.markdown import render


class Migration(migrations.Migration):
    dependencies = [("proposals", "0009_comment_body_html")]
    operations = []
"""
GOOD = """
from django.contrib.postgres.operations import AddConstraintNotValid, AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("consultations", "0005_participation_identity_key_removed")]
    operations = [
        migrations.CreateModel(
            name="Tally",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("poll", models.ForeignKey("consultations.Poll", on_delete=models.PROTECT)),
            ],
            options={"indexes": [models.Index(fields=["poll"], name="tally_poll")]},
        ),
        migrations.AddField(
            "participation", "note", models.TextField(blank=True, default="", db_default="")
        ),
        AddIndexConcurrently(
            model_name="participation",
            index=models.Index(fields=["created_at"], name="participation_created"),
        ),
        AddConstraintNotValid(
            model_name="participation",
            constraint=models.CheckConstraint(
                condition=~models.Q(note="x"), name="participation_note"
            ),
        ),
    ]
"""
GOOD_DATA_ALONE = """
def fill(apps, schema_editor):
    Comment = apps.get_model("proposals", "Comment")
    Comment.objects.filter(score__isnull=True).update(score=0)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("proposals", "0010_comment_score")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""


def sample(tmp_path, source: str):
    path = tmp_path / "0099_sample.py"
    path.write_text(HEADER + textwrap.dedent(source))
    return source_issues(path)


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        pytest.param(BACKFILL_UNDER_LOCK, "mixes data (RunPython) with schema", id="backfill"),
        pytest.param(INDEX_ON_A_BIG_TABLE, "use AddIndexConcurrently", id="index"),
        pytest.param(INDEX_IN_SQL, "without CONCURRENTLY", id="index-in-sql"),
        pytest.param(CONSTRAINT_VALIDATED_AT_ONCE, "AddConstraintNotValid", id="constraint"),
        pytest.param(APPLICATION_CODE, "imports the project's code", id="application-code"),
    ],
)
def test_the_check_refuses_a_migration_that_locks_or_depends_on_live_code(
    tmp_path, source, refusal
):
    issues = sample(tmp_path, source)
    assert any(refusal in issue for issue in issues), issues


@pytest.mark.parametrize("source", [GOOD, GOOD_DATA_ALONE], ids=["schema", "data-alone"])
def test_the_check_passes_a_migration_written_to_the_policy(tmp_path, source):
    assert sample(tmp_path, source) == []


def test_every_migration_since_the_policy_passes_its_files_check():
    assert policy_issues() == {}


def test_grandfathered_migrations_exist_and_are_not_rewritten():
    """The list names migrations as they are; one that now passes must leave the list."""
    files = dict(((label, path.stem), path) for label, path in migration_files())
    assert set(files) >= GRANDFATHERED
    assert ("proposals", "0009_comment_body_html") in GRANDFATHERED


def test_every_migration_since_the_policy_passes_the_linter(postgres, transactional_db):
    # Outside a test transaction: the SQL of a concurrent index is written only outside one.
    assert linter_issues() == []
