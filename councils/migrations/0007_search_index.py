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

    dependencies = [("councils", "0006_membership_name_listed_by_choice")]

    operations = [
        migrations.AddField(
            model_name="committeemember",
            name="search_index",
            field=SearchIndexField(title=["name"], body=["affiliation", "position", "note"]),
        ),
        migrations.AddField(
            model_name="document",
            name="search_index",
            field=SearchIndexField(title=["title"], body=["summary", "registration_number"]),
        ),
        migrations.AddField(
            model_name="document",
            name="search_index_body",
            field=SearchIndexField(title=[], body=["body"]),
        ),
        migrations.AddField(
            model_name="meeting",
            name="search_index",
            field=SearchIndexField(title=["title"], body=["venue"]),
        ),
        migrations.AddField(
            model_name="minutes",
            name="search_index",
            field=SearchIndexField(title=[], body=["body", "decisions", "action_items"]),
        ),
        migrations.AddField(
            model_name="workinggroup",
            name="search_index",
            field=SearchIndexField(title=["name"], body=["purpose"]),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "committeemember", GinIndex(fields=["search_index"], name="committeemember_search_index")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "document", GinIndex(fields=["search_index"], name="document_search_index")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "document", GinIndex(fields=["search_index_body"], name="document_search_index_body")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "meeting", GinIndex(fields=["search_index"], name="meeting_search_index")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "minutes", GinIndex(fields=["search_index"], name="minutes_search_index")
                )
            ]
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddSearchIndexConcurrently(
                    "workinggroup", GinIndex(fields=["search_index"], name="workinggroup_search_index")
                )
            ]
        ),
    ]
