"""A deleted person's addresses go whatever their case (an address typed "Hong@Example.org" in
the admin is theirs too), and their user name goes from the m2m entries that list them (a
booth's officers, the attendees of minutes), whoever wrote those entries.

`p_members` are the user names the m2m entries show for the person, `p_member_fields` the m2m
fields that list accounts, as "content type:field" (`audit.retention.audit_member_fields`).
Only the function changes; no table is touched.
"""

from django.db import migrations

PSEUDONYMISE = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer, text[]);

CREATE FUNCTION audit_pseudonymise(
    p_actor bigint, p_pseudonym text, p_addresses text[], p_names text[], p_account_type integer,
    p_records text[], p_members text[], p_member_fields text[]
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    ident text;
    own_only boolean;
    whole text;
    quoted text;
    member_type integer;
    member_field text;
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
            actor_email = regexp_replace(actor_email, whole, p_pseudonym, 'gi'),
            object_repr = regexp_replace(object_repr, whole, p_pseudonym, 'gi'),
            changes_text = regexp_replace(changes_text, whole, p_pseudonym, 'gi'),
            changes = regexp_replace(changes::text, quoted, p_pseudonym, 'gi')::jsonb,
            serialized_data =
                regexp_replace(serialized_data::text, quoted, p_pseudonym, 'gi')::jsonb,
            additional_data =
                regexp_replace(additional_data::text, quoted, p_pseudonym, 'gi')::jsonb
        WHERE (NOT own_only OR actor_id = p_actor
               OR (content_type_id = p_account_type AND object_pk = p_actor::text)
               OR content_type_id::text || ':' || object_pk = ANY(coalesce(p_records, '{}')))
          AND (actor_email ~* whole OR object_repr ~* whole OR changes_text ~* whole
               OR changes::text ~* quoted OR serialized_data::text ~* quoted
               OR additional_data::text ~* quoted);
        UPDATE audit_accessrecord SET
            actor_label = regexp_replace(actor_label, whole, p_pseudonym, 'gi'),
            path = regexp_replace(path, whole, p_pseudonym, 'gi'),
            target = regexp_replace(target, whole, p_pseudonym, 'gi')
        WHERE (NOT own_only OR actor_id = p_actor)
          AND (actor_label ~* whole OR path ~* whole OR target ~* whole);
    END LOOP;
    -- The m2m entries of a record (a booth's officers, the attendees of minutes) list people
    -- by their user name: the person's, where it stands as a whole element, in the fields
    -- that list accounts ("content type:field").
    FOR member_type, member_field IN
        SELECT split_part(f, ':', 1)::integer, split_part(f, ':', 2)
        FROM unnest(coalesce(p_member_fields, '{}')) f
    LOOP
        UPDATE audit_auditentry SET changes = jsonb_set(
            changes, ARRAY[member_field, 'objects'],
            (SELECT jsonb_agg(CASE WHEN o = ANY(p_members) THEN p_pseudonym ELSE o END
                              ORDER BY n)
             FROM jsonb_array_elements_text(changes -> member_field -> 'objects')
                  WITH ORDINALITY AS t(o, n)))
        WHERE content_type_id = member_type
          AND jsonb_typeof(changes -> member_field -> 'objects') = 'array'
          AND (changes -> member_field -> 'objects') ?| coalesce(p_members, '{}');
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
END
$$;
REVOKE ALL ON FUNCTION audit_pseudonymise(
    bigint, text, text[], text[], integer, text[], text[], text[]
) FROM PUBLIC;
"""

BACK = r"""
DROP FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer, text[], text[], text[]);

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
            serialized_data =
                regexp_replace(serialized_data::text, quoted, p_pseudonym, 'g')::jsonb,
            additional_data =
                regexp_replace(additional_data::text, quoted, p_pseudonym, 'g')::jsonb
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
REVOKE ALL ON FUNCTION audit_pseudonymise(bigint, text, text[], text[], integer, text[])
    FROM PUBLIC;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_pseudonymise_in_own_records")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
