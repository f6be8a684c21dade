"""Attachments and inspection photos are stored under random names with the extension of their
detected type; the name each came with is kept in `original_name`. Moves the files already
stored."""

from django.db import migrations, models

from ogp_portal.uploads import NAME_MAX_LENGTH, stored_files_rename


def rename_files(apps, schema_editor):
    stored_files_rename(
        model=apps.get_model("proposals", "ProposalAttachment"), field="file", folder="proposals"
    )
    stored_files_rename(
        model=apps.get_model("proposals", "InspectionPhoto"), field="image", folder="inspections"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_text_limits"),
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
        for model in ("proposalattachment", "inspectionphoto")
    ] + [
        migrations.AddField(
            model_name="inspectionphoto",
            name="size",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="size in bytes"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="inspectionphoto",
            name="content_type",
            field=models.CharField(editable=False, max_length=60, verbose_name="content type"),
        ),
        migrations.RunPython(rename_files, migrations.RunPython.noop),
    ]
