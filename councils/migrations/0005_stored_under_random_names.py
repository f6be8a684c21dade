"""Attachments are stored under random names with the extension of their detected type; the
name each came with is kept in `original_name`. Moves the files already stored."""

from django.db import migrations, models

from ogp_portal.uploads import NAME_MAX_LENGTH, stored_files_rename


def rename_files(apps, schema_editor):
    for model, folder in (("MinutesAttachment", "minutes"), ("DocumentAttachment", "documents")):
        stored_files_rename(model=apps.get_model("councils", model), field="file", folder=folder)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0004_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="original_name",
            field=models.CharField(
                default="", editable=False, max_length=NAME_MAX_LENGTH, verbose_name="file name"
            ),
            preserve_default=False,
        )
        for model in ("minutesattachment", "documentattachment")
    ] + [migrations.RunPython(rename_files, migrations.RunPython.noop)]
