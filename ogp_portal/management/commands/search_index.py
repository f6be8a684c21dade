"""Fills the search words of every searched record (`ogp_portal.search_index`).

Run it once after the migrations that add the columns (`--missing` fills only the empty ones,
so it can be stopped and run again), and after a change of the analyser or of the fields a
source searches. Saving a record keeps its words current; `QuerySet.update()` does not.
"""

from django.core.management.base import BaseCommand

from ogp_portal.search_index import indexed_models, search_index_rebuild


class Command(BaseCommand):
    help = "Computes the search words of every searched record."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Only records that have no search words yet."
        )

    def handle(self, *, missing: bool, **options):
        for model in indexed_models():
            written = search_index_rebuild(model, missing=missing)
            self.stdout.write(f"{model._meta.label}: {written}")
