import django.db.models.deletion
from django.db import migrations, models


def keys_from_participations(apps, schema_editor):
    """Each participation's one identity key becomes its first `ParticipationKey`."""
    Participation = apps.get_model("consultations", "Participation")
    ParticipationKey = apps.get_model("consultations", "ParticipationKey")
    keyed = Participation.objects.exclude(identity_key="").values_list(
        "pk", "poll_id", "identity_key"
    )
    batch = []
    for pk, poll_id, key in keyed.iterator(chunk_size=2000):
        batch.append(ParticipationKey(participation_id=pk, poll_id=poll_id, key=key))
        if len(batch) == 2000:
            ParticipationKey.objects.bulk_create(batch)
            batch = []
    ParticipationKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_booths_and_requirements"),
    ]

    operations = [
        migrations.CreateModel(
            name="ParticipationKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(editable=False, max_length=80, verbose_name="identity key"),
                ),
                (
                    "participation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="keys",
                        to="consultations.participation",
                        verbose_name="participation",
                    ),
                ),
                (
                    "poll",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="consultations.poll",
                        verbose_name="poll",
                    ),
                ),
            ],
            options={
                "verbose_name": "participation key",
                "verbose_name_plural": "participation keys",
                "constraints": [
                    models.UniqueConstraint(fields=("poll", "key"), name="participation_key_once")
                ],
            },
        ),
        migrations.RunPython(keys_from_participations, migrations.RunPython.noop, elidable=True),
    ]
