from django.db import migrations, models


def tallied_so_far(apps, schema_editor):
    """Until now the option counters moved with every count: they hold every ballot boxed."""
    Poll = apps.get_model("consultations", "Poll")
    Poll.objects.update(tallied_ballot_count=models.F("ballot_count"))


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
        migrations.RunPython(tallied_so_far, migrations.RunPython.noop, elidable=True),
    ]
