"""Made the GIN indexes that search reads on polls, calls, working groups and committee
members. Each model now declares its own index in its Meta, and its app's migration makes it
(`consultations.0006_search_indexes`, `proposals.0011_search_indexes`,
`councils.0007_search_indexes`) under the same name: this migration stays, doing nothing, so
that databases that applied it keep their history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_search_indexes"),
        ("consultations", "0002_secret_ballot_box"),
        ("councils", "0006_membership_name_listed_by_choice"),
        ("proposals", "0006_proposal_correction"),
    ]

    operations = []
