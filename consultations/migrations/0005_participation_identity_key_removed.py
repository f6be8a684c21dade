from django.db import migrations


class Migration(migrations.Migration):
    """In a transaction of its own, after the keys are copied (0004)."""

    dependencies = [
        ("consultations", "0004_participation_keys"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="participation",
            name="participation_once_per_resident",
        ),
        migrations.RemoveField(
            model_name="participation",
            name="identity_key",
        ),
    ]
