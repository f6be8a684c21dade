"""The secret ballot box: sealed envelopes, ballots without a day, receipts as a digest.

Existing data: each result's receipt list (JSON) becomes the SHA-256 of the list as the site now
serves it (the counted ballots' codes in byte order, each followed by a line feed); on
PostgreSQL the ballot tables are then written anew in random order by this migration's one
transaction, so that neither an old transaction id, nor an old place in the table, nor the
dropped `day` column (which PostgreSQL keeps inside the old rows) survives in them.
"""

import hashlib
import uuid

import django.db.models.deletion
from django.db import migrations, models


def digest_receipts(apps, schema_editor):
    Ballot = apps.get_model("consultations", "Ballot")
    Result = apps.get_model("consultations", "Result")
    for result in Result.objects.all():
        digest = hashlib.sha256()
        codes = (
            Ballot.objects.filter(poll_id=result.poll_id)
            .order_by("receipt")
            .values_list("receipt", flat=True)
        )
        for code in codes.iterator(5000):
            digest.update(f"{code}\n".encode())
        if codes.count() != len(result.receipts):
            raise RuntimeError(f"Result of poll {result.poll_id}: receipts and ballots differ.")
        result.receipts_sha256 = digest.hexdigest()
        result.save(update_fields=["receipts_sha256"])


def rewrite_ballots(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # development databases only; see the README's "Secret ballot"
    schema_editor.execute(
        "CREATE TEMPORARY TABLE old_ballot ON COMMIT DROP AS "
        "SELECT id, poll_id, receipt FROM consultations_ballot"
    )
    schema_editor.execute(
        "CREATE TEMPORARY TABLE old_choice ON COMMIT DROP AS "
        "SELECT id, ballot_id, option_id FROM consultations_ballotchoice"
    )
    # TRUNCATE gives both tables new files; the old ones, with every old row version, go.
    schema_editor.execute("TRUNCATE consultations_ballotchoice, consultations_ballot")
    schema_editor.execute(
        "INSERT INTO consultations_ballot (id, poll_id, receipt) "
        "SELECT id, poll_id, receipt FROM old_ballot ORDER BY random()"
    )
    schema_editor.execute(
        "INSERT INTO consultations_ballotchoice (id, ballot_id, option_id) "
        "SELECT id, ballot_id, option_id FROM old_choice ORDER BY random()"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="result",
            name="receipts_sha256",
            field=models.CharField(
                default="",
                help_text="Of the downloadable list: every counted code in byte order, each "
                "followed by a line feed, in UTF-8.",
                max_length=64,
                verbose_name="SHA-256 of the receipt list",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(digest_receipts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="result", name="receipts"),
        migrations.CreateModel(
            name="Envelope",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("content", models.BinaryField(verbose_name="content")),
                (
                    "poll",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="envelopes",
                        to="consultations.poll",
                        verbose_name="poll",
                    ),
                ),
            ],
            options={
                "verbose_name": "sealed envelope",
                "verbose_name_plural": "sealed envelopes",
            },
        ),
        migrations.RemoveField(model_name="ballot", name="day"),
        migrations.RemoveField(model_name="ballot", name="sealed"),
        migrations.AlterField(
            model_name="ballot",
            name="receipt",
            field=models.CharField(max_length=14, verbose_name="receipt"),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(
                fields=("poll", "receipt"), name="ballot_receipt_once"
            ),
        ),
        migrations.RunPython(rewrite_ballots, migrations.RunPython.noop),
    ]
