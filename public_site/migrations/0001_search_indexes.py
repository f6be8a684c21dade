"""GIN indexes on the text vectors that search reads (PostgreSQL only; SQLite searches by
substring). The fields are those of `public_site.search.SOURCES` as they stood here; a
test checks that the search query's plan uses each index."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("proposals", "Proposal", "search_proposal", ["title", "problem", "solution", "response"]),
    ("councils", "Minutes", "search_minutes", ["body", "decisions", "action_items"]),
    ("councils", "Meeting", "search_meeting", ["title", "venue"]),
    ("councils", "Document", "search_document", ["title", "summary", "registration_number"]),
    ("councils", "Document", "search_document_text", ["body"]),
]


def _index(name, fields):
    return GinIndex(SearchVector(*fields, config="simple"), name=name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model(app, model), _index(name, fields))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model(app, model), _index(name, fields))


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_notices_in_the_outbox"),
        ("proposals", "0003_transition_changes_status"),
    ]

    operations = [migrations.RunPython(create, drop)]
