"""The database refuses to adopt a plan while a comment on its draft awaits its answer, whoever
writes it (plans.models.ActionPlan.adoption_refusal says the same in words)."""

from django.db import migrations

WAITING = """EXISTS (
    SELECT 1 FROM plans_draftcomment c
    JOIN plans_draftcommitment d ON d.id = c.commitment_id
    JOIN plans_draftconsultation k ON k.id = d.consultation_id
    WHERE k.plan_id = NEW.id AND c.answered_at IS NULL AND c.hidden_at IS NULL
)"""

POSTGRES_CREATE = f"""
CREATE FUNCTION plans_adoption_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.adopted_on IS NULL AND NEW.adopted_on IS NOT NULL AND {WAITING} THEN
        RAISE EXCEPTION 'action plan: a comment on the draft awaits its answer'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER plans_adoption_guard
    BEFORE UPDATE OF adopted_on ON proposals_actionplan
    FOR EACH ROW EXECUTE FUNCTION plans_adoption_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS plans_adoption_guard ON proposals_actionplan;
DROP FUNCTION IF EXISTS plans_adoption_guard();
"""

SQLITE_CREATE = f"""CREATE TRIGGER plans_adoption_guard BEFORE UPDATE OF adopted_on
    ON proposals_actionplan
    WHEN OLD.adopted_on IS NULL AND NEW.adopted_on IS NOT NULL AND {WAITING}
    BEGIN SELECT RAISE(ABORT, 'action plan: a comment on the draft awaits its answer'); END;"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS plans_adoption_guard;"


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
    dependencies = [("plans", "0002_draft_consultation")]

    operations = [migrations.RunPython(create, drop)]
