from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consultations", "0008_turnout_counts_who_may_vote")]

    operations = [
        migrations.AddField(
            model_name="poll",
            name="tallied_ballot_count",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="ballots tallied"
            ),
        ),
    ]
