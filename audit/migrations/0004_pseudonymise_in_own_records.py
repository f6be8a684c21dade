"""The entries about a person's own records are theirs too: a deleted person's names and the
private values they gave (a contact, a date of birth) also go from the entries about the records
whose owner they are (their verification, address, proposal…), whoever wrote those entries: a
counter verification names the person in the staff member's entry.

`p_records` lists those records as "content type:key" (`audit.retention.audit_records_of`).
Only the function changes; no table is touched.
"""

from django.db import migrations

PSEUDONYMISE = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer);

CREATE FUNCTION audit_pseudonymise(
    p_actor bigint, p_pseudonym text, p_addresses text[], p_names text[], p_account_type integer,
    p_records text[]
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    ident text;
    own_only boolean;
    whole text;
    quoted text;
BEGIN
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    FOR ident, own_only IN
        SELECT a, false FROM unnest(coalesce(p_addresses, '{}')) a
        UNION ALL SELECT n, true FROM unnest(coalesce(p_names, '{}')) n
    LOOP
        whole := audit_whole(ident);
        -- As the identifier appears inside JSON text (quotes and backslashes escaped).
        quoted := to_json(ident)::text;
        quoted := audit_whole(substr(quoted, 2, length(quoted) - 2));
        UPDATE audit_auditentry SET
            actor_email = regexp_replace(actor_email, whole, p_pseudonym, 'g'),
            object_repr = regexp_replace(object_repr, whole, p_pseudonym, 'g'),
            changes_text = regexp_replace(changes_text, whole, p_pseudonym, 'g'),
            changes = regexp_replace(changes::text, quoted, p_pseudonym, 'g')::jsonb,
            serialized_data = regexp_replace(serialized_data::text, quoted, p_pseudonym, 'g')::jsonb,
            additional_data = regexp_replace(additional_data::text, quoted, p_pseudonym, 'g')::jsonb
        WHERE (NOT own_only OR actor_id = p_actor
               OR (content_type_id = p_account_type AND object_pk = p_actor::text)
               OR content_type_id::text || ':' || object_pk = ANY(coalesce(p_records, '{}')))
          AND (actor_email ~ whole OR object_repr ~ whole OR changes_text ~ whole
               OR changes::text ~ quoted OR serialized_data::text ~ quoted
               OR additional_data::text ~ quoted);
        UPDATE audit_accessrecord SET
            actor_label = regexp_replace(actor_label, whole, p_pseudonym, 'g'),
            path = regexp_replace(path, whole, p_pseudonym, 'g'),
            target = regexp_replace(target, whole, p_pseudonym, 'g')
        WHERE (NOT own_only OR actor_id = p_actor)
          AND (actor_label ~ whole OR path ~ whole OR target ~ whole);
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
END
$$;
REVOKE ALL ON FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer, text[]) FROM PUBLIC;
"""

BACK = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer, text[]);

CREATE FUNCTION audit_pseudonymise(
    p_actor bigint, p_pseudonym text, p_addresses text[], p_names text[], p_account_type integer
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    ident text;
    own_only boolean;
    whole text;
    quoted text;
BEGIN
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    FOR ident, own_only IN
        SELECT a, false FROM unnest(coalesce(p_addresses, '{}')) a
        UNION ALL SELECT n, true FROM unnest(coalesce(p_names, '{}')) n
    LOOP
        whole := audit_whole(ident);
        -- As the identifier appears inside JSON text (quotes and backslashes escaped).
        quoted := to_json(ident)::text;
        quoted := audit_whole(substr(quoted, 2, length(quoted) - 2));
        UPDATE audit_auditentry SET
            actor_email = regexp_replace(actor_email, whole, p_pseudonym, 'g'),
            object_repr = regexp_replace(object_repr, whole, p_pseudonym, 'g'),
            changes_text = regexp_replace(changes_text, whole, p_pseudonym, 'g'),
            changes = regexp_replace(changes::text, quoted, p_pseudonym, 'g')::jsonb,
            serialized_data = regexp_replace(serialized_data::text, quoted, p_pseudonym, 'g')::jsonb,
            additional_data = regexp_replace(additional_data::text, quoted, p_pseudonym, 'g')::jsonb
        WHERE (NOT own_only OR actor_id = p_actor
               OR (content_type_id = p_account_type AND object_pk = p_actor::text))
          AND (actor_email ~ whole OR object_repr ~ whole OR changes_text ~ whole
               OR changes::text ~ quoted OR serialized_data::text ~ quoted
               OR additional_data::text ~ quoted);
        UPDATE audit_accessrecord SET
            actor_label = regexp_replace(actor_label, whole, p_pseudonym, 'g'),
            path = regexp_replace(path, whole, p_pseudonym, 'g'),
            target = regexp_replace(target, whole, p_pseudonym, 'g')
        WHERE (NOT own_only OR actor_id = p_actor)
          AND (actor_label ~ whole OR path ~ whole OR target ~ whole);
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
END
$$;
REVOKE ALL ON FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer) FROM PUBLIC;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_pseudonymise_whole_identifiers")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
