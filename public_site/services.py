"""The public page's one workflow with side effects: recording new versions of the open data."""

import hashlib

from django.db import transaction

from . import opendata
from .models import DatasetVersion


def dataset_versions_record() -> list[DatasetVersion]:
    """Gives each dataset whose content changed since its latest version a new version.

    Beat runs it; running it twice records nothing more. The content is the whole dataset as
    CSV, so a version is exactly what a download of every page would give.
    """
    made = []
    for name in opendata.DATASETS:
        rows = opendata.rows(name)
        digest = hashlib.sha256(opendata.to_csv(rows).encode()).hexdigest()
        with transaction.atomic():
            latest = (
                DatasetVersion.objects.select_for_update().filter(name=name).order_by("-number")
            ).first()
            if latest is not None and latest.sha256 == digest:
                continue
            made.append(
                DatasetVersion.objects.create(
                    name=name,
                    number=latest.number + 1 if latest else 1,
                    sha256=digest,
                    rows=len(rows),
                )
            )
    return made
