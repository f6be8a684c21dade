"""The database refuses a proposal that skips a step of the pipeline, whoever writes it.

The allowed steps are proposals.models.TRANSITIONS; tests check that both say the same.
"""

from django.db import migrations

ALLOWED = """(
    (OLD.status = 'submitted' AND NEW.status IN ('in_review', 'folded'))
    OR (OLD.status = 'in_review' AND NEW.status IN ('in_poll', 'not_adopted', 'folded'))
    OR (OLD.status = 'in_poll' AND NEW.status IN ('adopted', 'not_adopted'))
)"""

POSTGRES_CREATE = f"""
CREATE FUNCTION proposals_pipeline_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'submitted' THEN
            RAISE EXCEPTION 'proposal pipeline: a proposal starts as submitted'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.status <> OLD.status AND NOT {ALLOWED} THEN
        RAISE EXCEPTION 'proposal pipeline: % to % is not a step', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_pipeline_guard
    BEFORE INSERT OR UPDATE OF status ON proposals_proposal
    FOR EACH ROW EXECUTE FUNCTION proposals_pipeline_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS proposals_pipeline_guard ON proposals_proposal;
DROP FUNCTION IF EXISTS proposals_pipeline_guard();
"""

SQLITE_CREATE = [
    """CREATE TRIGGER proposals_pipeline_guard_insert BEFORE INSERT ON proposals_proposal
    WHEN NEW.status <> 'submitted'
    BEGIN SELECT RAISE(ABORT, 'proposal pipeline: a proposal starts as submitted'); END;""",
    f"""CREATE TRIGGER proposals_pipeline_guard_update BEFORE UPDATE OF status
    ON proposals_proposal
    WHEN NEW.status <> OLD.status AND NOT {ALLOWED}
    BEGIN SELECT RAISE(ABORT, 'proposal pipeline: not a step'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS proposals_pipeline_guard_insert;",
    "DROP TRIGGER IF EXISTS proposals_pipeline_guard_update;",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
