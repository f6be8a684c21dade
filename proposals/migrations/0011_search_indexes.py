"""The search indexes of this app's tables, declared in the Meta of each model.

`public.0001_search_indexes` and `public.0002_search_more_indexes` made them, with the same
names, before each table's model declared its own: a database that has them keeps them (only
Django's record of the models changes), a new one gets them here. Full-text search runs on
PostgreSQL only: elsewhere `SearchIndex` makes nothing.
"""

import django.contrib.postgres.search
import ogp_portal.models
from django.conf import settings
from django.db import migrations

INDEXES = [
    (
        "call",
        ogp_portal.models.SearchIndex(django.contrib.postgres.search.SearchVector("title", "description", config="simple"), name="search_call"),
    ),
    (
        "proposal",
        ogp_portal.models.SearchIndex(django.contrib.postgres.search.SearchVector("title", "problem", "solution", "response", config="simple"), name="search_proposal"),
    ),
]


def create_missing(apps, schema_editor):
    connection = schema_editor.connection
    for model_name, index in INDEXES:
        model = apps.get_model("proposals", model_name)
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
        if index.name not in existing:
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    for model_name, index in INDEXES:
        schema_editor.remove_index(apps.get_model("proposals", model_name), index)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0010_action_plan_moved_to_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=model_name, index=index)
                for model_name, index in INDEXES
            ],
            database_operations=[migrations.RunPython(create_missing, drop)],
        )
    ]
