"""A column of search words for each searched record (see `ogp_portal.search_index`).

Safe on large tables: each column is added empty (nullable, no default, so no table rewrite) and
its GIN index is built concurrently on PostgreSQL, without locking writes, which needs a
migration outside a transaction. The words are filled afterwards by `manage.py search_index`,
not here. The index is known to the database only, like the earlier search indexes.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from ogp_portal.search_index import AddSearchIndexConcurrently, SearchIndexField


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("proposals", "0010_action_plan_moved_to_plans")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="search_index",
            field=SearchIndexField(title=["title"], body=["description"]),
        ),
        migrations.AddField(
            model_name="proposal",
            name="search_index",
            field=SearchIndexField(title=["title"], body=["problem", "solution", "response"]),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "call", GinIndex(fields=["search_index"], name="call_search_index")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "proposal", GinIndex(fields=["search_index"], name="proposal_search_index")
                )
            ]
        ),
    ]
