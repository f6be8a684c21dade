import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0001_initial"),
        ("plans", "0005_levels_typed_before_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="draftconsultation",
            name="opinion_map",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Where the participants vote on each other's short statements.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="draft_consultations",
                to="opinions.opinionmap",
                verbose_name="opinion map",
            ),
        ),
    ]
