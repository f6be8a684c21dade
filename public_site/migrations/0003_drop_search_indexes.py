"""Drops the GIN indexes of 0001 and 0002: search now reads each record's analysed words from a
column of its own table, indexed by the migrations of the app that owns it
(`proposals.0011_search_index`, `councils.0007_search_index`, `consultations.0006_search_index`).
Dropped concurrently (PostgreSQL only; nothing was made elsewhere), so no table is locked while
it happens; running it again changes nothing."""

from django.db import migrations

NAMES = [
    "search_proposal",
    "search_minutes",
    "search_meeting",
    "search_document",
    "search_document_text",
    "search_poll",
    "search_call",
    "search_group",
    "search_member",
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("public", "0002_search_more_indexes"),
        ("proposals", "0011_search_index"),
        ("councils", "0007_search_index"),
        ("consultations", "0006_search_index"),
    ]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
