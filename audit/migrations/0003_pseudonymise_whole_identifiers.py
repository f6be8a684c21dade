"""A deleted person's identifiers are replaced only where they stand whole, and their names only
in their own rows: deleting an account called "ogp" must not rewrite "secretariat@ogp-demo…".

E-mail addresses belong to one account, so they are replaced wherever they stand whole (in any
row, a colleague's search included); names and user names are shared by others, so they are
replaced only in the person's own entries and records (their actions, and the entries about
their account). Whole means not next to a letter, digit or one of . _ % + @ -.
"""

from django.db import migrations

PSEUDONYMISE = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[]);

CREATE FUNCTION audit_whole(p_identifier text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT '(?<![A-Za-z0-9._%+@-])'
        || regexp_replace(p_identifier, '([.^$*+?(){}|\[\]\\-])', '\\\1', 'g')
        || '(?![A-Za-z0-9._%+@-])'
$$;

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

BACK = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer);
DROP FUNCTION audit_whole(text);
CREATE FUNCTION audit_pseudonymise(p_actor bigint, p_pseudonym text, p_identifiers text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    ident text;
    quoted text;
BEGIN
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    FOREACH ident IN ARRAY coalesce(p_identifiers, '{}') LOOP
        quoted := to_json(ident)::text;
        quoted := substr(quoted, 2, length(quoted) - 2);
        UPDATE audit_auditentry SET
            actor_email = replace(actor_email, ident, p_pseudonym),
            object_repr = replace(object_repr, ident, p_pseudonym),
            changes_text = replace(changes_text, ident, p_pseudonym),
            changes = replace(changes::text, quoted, p_pseudonym)::jsonb,
            serialized_data = replace(serialized_data::text, quoted, p_pseudonym)::jsonb,
            additional_data = replace(additional_data::text, quoted, p_pseudonym)::jsonb
        WHERE strpos(actor_email, ident) > 0 OR strpos(object_repr, ident) > 0
           OR strpos(changes_text, ident) > 0 OR strpos(changes::text, quoted) > 0
           OR strpos(serialized_data::text, quoted) > 0
           OR strpos(additional_data::text, quoted) > 0;
        UPDATE audit_accessrecord SET
            actor_label = replace(actor_label, ident, p_pseudonym),
            path = replace(path, ident, p_pseudonym),
            target = replace(target, ident, p_pseudonym)
        WHERE strpos(actor_label, ident) > 0 OR strpos(path, ident) > 0
           OR strpos(target, ident) > 0;
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
END
$$;
REVOKE ALL ON FUNCTION audit_pseudonymise(bigint, text, text[]) FROM PUBLIC;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_records_and_retention")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
