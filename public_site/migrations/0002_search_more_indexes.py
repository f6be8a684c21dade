"""GIN indexes for the sources search gained after `0001_search_indexes`: polls, calls, working
groups and committee members (PostgreSQL only; SQLite searches by substring), with the fields of
`public_site.search.SOURCES` as they stand here."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("consultations", "Poll", "search_poll", ["question", "explanation"]),
    ("proposals", "Call", "search_call", ["title", "description"]),
    ("councils", "WorkingGroup", "search_group", ["name", "purpose"]),
    ("councils", "CommitteeMember", "search_member", ["name", "affiliation", "position", "note"]),
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
        ("public", "0001_search_indexes"),
        ("consultations", "0002_secret_ballot_box"),
        ("councils", "0006_membership_name_listed_by_choice"),
        ("proposals", "0006_proposal_correction"),
    ]

    operations = [migrations.RunPython(create, drop)]
