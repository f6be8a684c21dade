"""The search indexes moved from the public page's migrations to the Meta of each model that
owns the table: a database that has them keeps them as they are; a new one gets them."""

import pytest
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from public_site import search

# Before each app declared its search indexes.
BEFORE = [
    ("councils", "0006_membership_name_listed_by_choice"),
    ("proposals", "0009_comment_body_html"),
    ("consultations", "0005_participation_identity_key_removed"),
]
INDEX_NAMES = {
    "proposals": "search_proposal",
    "minutes": "search_minutes",
    "meetings": "search_meeting",
    "documents": "search_document",
    "document_texts": "search_document_text",
    "polls": "search_poll",
    "calls": "search_call",
    "groups": "search_group",
    "members": "search_member",
}


def search_indexes() -> dict[str, int]:
    """Each search index of the database and the identity of its relation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, oid FROM pg_class WHERE relname LIKE %s", ["search\\_%"])
        return dict(cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_whose_indexes_the_public_page_made_keeps_them(postgres):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    assert search_indexes() == {}
    # The indexes as public.0001 and public.0002 made them.
    old = executor.loader.project_state(BEFORE).apps
    with connection.schema_editor() as editor:
        for kind, source in search.SOURCES.items():
            model = old.get_model(source.model._meta.app_label, source.model._meta.model_name)
            index = GinIndex(SearchVector(*source.fields, config="simple"), name=INDEX_NAMES[kind])
            editor.add_index(model, index)
    made = search_indexes()
    assert set(made) == set(INDEX_NAMES.values())

    executor.loader.build_graph()
    executor.migrate(latest)
    assert search_indexes() == made  # the same relations: nothing dropped or made again


@pytest.mark.postgres
def test_a_new_database_gets_every_search_index(postgres, db):
    assert set(search_indexes()) == set(INDEX_NAMES.values())
