from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consultations", "0013_disclosure_minimum_fixed")]

    operations = [
        migrations.AddField(
            model_name="poll",
            name="sealed_marks",
            field=models.BinaryField(null=True),
        ),
    ]
