"""The database refuses to change a poll's smallest group published (k) once someone has voted,
whoever writes it (consultations.models.Poll.clean says the same in words): a smaller k after
the votes would publish on their own the booths it kept merged."""

from django.db import migrations

VOTED = "EXISTS (SELECT 1 FROM consultations_participation p WHERE p.poll_id = NEW.id)"
MESSAGE = "poll: the smallest group published is fixed once someone has voted"

POSTGRES_CREATE = f"""
CREATE FUNCTION consultations_disclosure_minimum_guard() RETURNS trigger AS $$
BEGIN
    IF {VOTED} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER consultations_disclosure_minimum_guard
    BEFORE UPDATE OF disclosure_minimum ON consultations_poll
    FOR EACH ROW WHEN (OLD.disclosure_minimum IS DISTINCT FROM NEW.disclosure_minimum)
    EXECUTE FUNCTION consultations_disclosure_minimum_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS consultations_disclosure_minimum_guard ON consultations_poll;
DROP FUNCTION IF EXISTS consultations_disclosure_minimum_guard();
"""

SQLITE_CREATE = f"""CREATE TRIGGER consultations_disclosure_minimum_guard
    BEFORE UPDATE OF disclosure_minimum ON consultations_poll
    WHEN OLD.disclosure_minimum IS NOT NEW.disclosure_minimum AND {VOTED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS consultations_disclosure_minimum_guard;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0012_ballot_padding")]

    operations = [migrations.RunPython(create, drop)]
