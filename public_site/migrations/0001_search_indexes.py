"""Made the GIN indexes that search reads on other apps' tables (proposals, minutes, meetings,
documents). Each model now declares its own index in its Meta, and its app's migration makes
it (`councils.0007_search_indexes`, `proposals.0011_search_indexes`) under the same name: this
migration stays, doing nothing, so that databases that applied it keep their history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_notices_in_the_outbox"),
        ("proposals", "0003_transition_changes_status"),
    ]

    operations = []
