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

    dependencies = [("consultations", "0005_participation_identity_key_removed")]

    operations = [
        migrations.AddField(
            model_name="poll",
            name="search_index",
            field=SearchIndexField(title=["question"], body=["explanation"]),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "poll", GinIndex(fields=["search_index"], name="poll_search_index")
                )
            ]
        ),
    ]
