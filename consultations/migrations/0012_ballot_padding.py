from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0011_polls_tallied_so_far"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="seal",
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name="poll",
            name="padding_count",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="padding ballots"
            ),
        ),
        migrations.AddField(
            model_name="poll",
            name="sealed_tally",
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name="poll",
            name="sealed_step",
            field=models.BinaryField(null=True),
        ),
    ]
