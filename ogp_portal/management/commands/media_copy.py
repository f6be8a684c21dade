"""Copies every stored upload to a directory, or back: the media part of a backup.

It reads and writes through the site's file storage (`STORAGES["default"]`), so the same command
copies a local media directory or an S3-compatible bucket. Files already in the storage with the
same size are skipped on the way back, so a restore may be repeated.
"""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError


def stored_names(storage, directory: str = ""):
    folders, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for folder in folders:
        yield from stored_names(storage, f"{directory}/{folder}" if directory else folder)


class Command(BaseCommand):
    help = "Copies the uploads from the site's storage to a directory (--to) or back (--from)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--to", type=Path, help="Directory to copy the uploads into.")
        where.add_argument("--from", dest="source", type=Path, help="Directory to copy back.")

    def handle(self, *args, to: Path | None, source: Path | None, **options):
        storage = storages["default"]
        copied = 0
        if to is not None:
            for name in stored_names(storage):
                target = to / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(name, "rb") as stored, target.open("wb") as copy:
                    for chunk in stored.chunks():
                        copy.write(chunk)
                copied += 1
        else:
            if not source.is_dir():
                raise CommandError(f"{source} is not a directory.")
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                name = path.relative_to(source).as_posix()
                if storage.exists(name) and storage.size(name) == path.stat().st_size:
                    continue
                if storage.exists(name):
                    storage.delete(name)
                with path.open("rb") as copy:
                    saved = storage.save(name, File(copy))
                if saved != name:
                    raise CommandError(f"{name} was stored as {saved}.")
                copied += 1
        self.stdout.write(f"{copied} files copied.")
