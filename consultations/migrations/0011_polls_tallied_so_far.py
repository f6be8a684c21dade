"""Until now the option counters moved with every count: they hold every ballot boxed. The
polls table holds a row per poll (hundreds), so one statement."""

from django.db import migrations, models


def tallied_so_far(apps, schema_editor):
    Poll = apps.get_model("consultations", "Poll")
    Poll.objects.update(tallied_ballot_count=models.F("ballot_count"))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0010_participation_detached_from_deleted_account")]

    operations = [migrations.RunPython(tallied_so_far, migrations.RunPython.noop, elidable=True)]
