"""An index of the proposals still owed a response, by call (the OGP tracker counts them).

Built concurrently on PostgreSQL, without locking writes, hence outside a transaction; SQLite,
which has no such thing, builds it plainly.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; elsewhere Django's plain AddIndex."""

    def _operation(self, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            return super()
        return super(AddIndexConcurrently, self)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._operation(schema_editor).database_forwards(
            app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._operation(schema_editor).database_backwards(
            app_label, schema_editor, from_state, to_state
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("proposals", "0011_search_index")]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="proposal",
            index=models.Index(
                condition=models.Q(("response", "")),
                fields=["call"],
                name="proposal_awaiting_response",
            ),
        ),
    ]
