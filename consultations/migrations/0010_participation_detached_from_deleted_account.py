"""A deleted account's participations keep their identity keys but no longer name the account:
a participation may now stand with neither account nor booth. Dropping a check constraint is a
change of the catalogue only: no row is read or written."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0009_poll_tallied_ballot_count")]

    operations = [
        migrations.RemoveConstraint(
            model_name="participation", name="participation_online_or_booth"
        ),
    ]
