"""Attachments are stored under random names with the extension of their detected type; the
name each came with is kept in `original_name`. Moves the files already stored."""

import struct
import unicodedata
import uuid
import zipfile
from pathlib import PurePosixPath

import filetype
import olefile
from django.db import migrations, models
from django.utils import timezone

# The checks of the uploads as they stood here, copied so that this migration runs the same
# whatever the project's code becomes.
NAME_MAX_LENGTH = 200
UNKNOWN = "application/octet-stream"
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/x-hwp": "hwp",
    "application/hwp+zip": "hwpx",
    UNKNOWN: "bin",
}
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
HWP_SIGNATURE = b"HWP Document File"
ZIP_SIGNATURE = b"PK\x03\x04"


def _is_hwp(content) -> bool:
    try:
        with olefile.OleFileIO(content) as ole:
            if ole.get_type("FileHeader") != olefile.STGTY_STREAM:
                return False
            with ole.openstream("FileHeader") as stream:
                return stream.read(len(HWP_SIGNATURE)) == HWP_SIGNATURE
    except (OSError, ValueError, IndexError, struct.error):
        return False


def _is_hwpx(content) -> bool:
    try:
        with zipfile.ZipFile(content) as archive:
            entries = archive.infolist()
            if not entries or entries[0].filename != "mimetype" or entries[0].file_size > 64:
                return False
            return (
                archive.read(entries[0]).strip() == b"application/hwp+zip"
                and "Contents/content.hpf" in archive.namelist()
            )
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return False


def _sniff(content) -> str | None:
    content.seek(0)
    head = content.read(8192)
    content.seek(0)
    try:
        if head.startswith(OLE_SIGNATURE):
            return "application/x-hwp" if _is_hwp(content) else None
        if head.startswith(ZIP_SIGNATURE):
            return "application/hwp+zip" if _is_hwpx(content) else None
    finally:
        content.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in EXTENSIONS else None


def _given_name(name: str) -> str:
    name = "".join(c for c in unicodedata.normalize("NFC", name or "") if c.isprintable()).strip()
    if not name.strip(".") or "/" in name or "\\" in name or len(name) > NAME_MAX_LENGTH:
        return "file"
    return name


def stored_files_rename(*, model, field: str, folder: str) -> int:
    """Moves files stored under their given names to random names with the extension of
    their type (read from the content, else the recorded one, else `UNKNOWN`); keeps the given
    name and the size. A row whose file is missing keeps its name. Returns how many moved."""
    moved = 0
    for row in model.objects.filter(original_name="").iterator():
        stored = getattr(row, field)
        old_name = stored.name
        row.original_name = _given_name(PurePosixPath(old_name).name)
        try:
            with stored.storage.open(old_name, "rb") as content:
                row.content_type = _sniff(content) or (
                    row.content_type if row.content_type in EXTENSIONS else UNKNOWN
                )
                extension = EXTENSIONS[row.content_type]
                new_name = f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"
                setattr(row, field, stored.storage.save(new_name, content))
                row.size = content.size
        except FileNotFoundError:
            row.content_type = row.content_type if row.content_type in EXTENSIONS else UNKNOWN
            row.save(update_fields=["original_name", "content_type"])
            continue
        row.save(update_fields=[field, "original_name", "content_type", "size"])
        stored.storage.delete(old_name)
        moved += 1
    return moved


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
