from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_pseudonymise_once_what_the_trail_recorded"),
    ]

    operations = [
        migrations.AddField(
            model_name="accessrecord",
            name="shown",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text='The keys of the records a list or a search showed, e.g. " 12 15 ".',
                verbose_name="rows shown",
            ),
        ),
    ]
