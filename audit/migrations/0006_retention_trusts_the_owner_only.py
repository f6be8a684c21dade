"""The append-only rule trusts only the tables' owner, and pseudonymises only a deleted account.

Any session may set `audit.retention`: the trigger now heeds it only when the statement runs as
the tables' owner (or a superuser), which for the application's role is only inside the two
SECURITY DEFINER functions. `audit_pseudonymise` refuses an account that is not deleted, a
pseudonym not of the form `audit.retention.pseudonym_of` gives or other than the one the
account's rows already carry, another account's record; an address or user name another account
holds goes from the person's own rows only. A deleted account stays deleted (a trigger), so that
nobody marks a live account deleted for a moment. Both functions search `pg_temp` last, so that a
temporary table cannot stand for one of theirs. Only functions and triggers change.
"""

from django.conf import settings
from django.db import migrations

OWNER_ONLY = r"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    personal text[] := string_to_array(TG_ARGV[1], ',');
    -- The retention's mode counts only inside the two functions, which run as the tables'
    -- owner: any session may set `audit.retention`, none but the owner is trusted with it.
    trusted boolean := current_user = (
            SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class
            WHERE oid = TG_RELID)
        OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user);
    mode text := CASE WHEN trusted THEN coalesce(current_setting('audit.retention', true), '')
                      ELSE '' END;
    expired boolean := (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - interval '2 years';
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - personal) = (to_jsonb(OLD) - personal)
       AND (mode = 'pseudonymise' OR (mode = 'erase' AND expired)) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND mode = 'erase' AND expired AND TG_ARGV[2] = 'deletable' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

-- A deleted account stays deleted: otherwise a role that may write rows could mark a live
-- account deleted, have its traces pseudonymised, and give it back its name.
CREATE FUNCTION account_deletion_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.deleted_at IS NOT NULL
       AND (TG_OP = 'DELETE' OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at) THEN
        RAISE EXCEPTION 'a deleted account stays deleted: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER account_deletion_is_final BEFORE UPDATE OR DELETE ON ogp_portal_user
    FOR EACH ROW EXECUTE FUNCTION account_deletion_is_final();

CREATE OR REPLACE FUNCTION audit_pseudonymise(
    p_actor bigint, p_pseudonym text, p_addresses text[], p_names text[], p_account_type integer,
    p_records text[], p_members text[], p_member_fields text[]
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    ident text;
    own_only boolean;
    whole text;
    quoted text;
    member_type integer;
    member_field text;
    members text[];
BEGIN
    -- Only a deleted account (`account_delete` marks it, and it stays so), under a pseudonym
    -- of the form `pseudonym_of` gives, the same in all its rows, and only its own account.
    IF NOT EXISTS (SELECT 1 FROM ogp_portal_user WHERE id = p_actor AND deleted_at IS NOT NULL)
    THEN
        RAISE EXCEPTION 'only a deleted account is pseudonymised'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF p_pseudonym IS NULL OR p_pseudonym !~ '^pseudonym:[0-9a-f]{20}$'
       OR EXISTS (SELECT 1 FROM audit_auditentry WHERE actor_id = p_actor
                  AND actor_email LIKE 'pseudonym:%' AND actor_email <> p_pseudonym)
       OR EXISTS (SELECT 1 FROM audit_accessrecord WHERE actor_id = p_actor
                  AND actor_label LIKE 'pseudonym:%' AND actor_label <> p_pseudonym) THEN
        RAISE EXCEPTION 'not the account''s pseudonym' USING ERRCODE = 'restrict_violation';
    END IF;
    IF p_account_type IS DISTINCT FROM (SELECT id FROM django_content_type
                                        WHERE app_label = 'ogp_portal' AND model = 'user')
       OR EXISTS (SELECT 1 FROM unnest(coalesce(p_records, '{}')) r
                  WHERE split_part(r, ':', 1) = p_account_type::text
                    AND split_part(r, ':', 2) <> p_actor::text) THEN
        RAISE EXCEPTION 'another account is not the person''s record'
            USING ERRCODE = 'restrict_violation';
    END IF;
    -- A user name another account holds is theirs.
    members := ARRAY(SELECT m FROM unnest(coalesce(p_members, '{}')) m
                     WHERE NOT EXISTS (SELECT 1 FROM ogp_portal_user
                                       WHERE username = m AND id <> p_actor));
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    -- An address another account holds (in any case, also as a URL writes it) is theirs: it
    -- goes from the person's own rows only, as a name does.
    FOR ident, own_only IN
        SELECT a, EXISTS (
            SELECT 1 FROM ogp_portal_user
            WHERE id <> p_actor AND lower(email) = replace(replace(replace(
                lower(a), '%40', '@'), '%2b', '+'), '%25', '%')
            UNION ALL SELECT 1 FROM account_emailaddress
            WHERE user_id <> p_actor AND lower(email) = replace(replace(replace(
                lower(a), '%40', '@'), '%2b', '+'), '%25', '%'))
        FROM unnest(coalesce(p_addresses, '{}')) a
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
            (SELECT jsonb_agg(CASE WHEN o = ANY(members) THEN p_pseudonym ELSE o END
                              ORDER BY n)
             FROM jsonb_array_elements_text(changes -> member_field -> 'objects')
                  WITH ORDINALITY AS t(o, n)))
        WHERE content_type_id = member_type
          AND jsonb_typeof(changes -> member_field -> 'objects') = 'array'
          AND (changes -> member_field -> 'objects') ?| members;
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
END
$$;

ALTER FUNCTION audit_erase_expired(timestamptz) SET search_path = pg_catalog, public, pg_temp;
"""

BACK = r"""
DROP TRIGGER account_deletion_is_final ON ogp_portal_user;
DROP FUNCTION account_deletion_is_final();
ALTER FUNCTION audit_erase_expired(timestamptz) SET search_path = pg_catalog, public;

CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    personal text[] := string_to_array(TG_ARGV[1], ',');
    mode text := coalesce(current_setting('audit.retention', true), '');
    expired boolean := (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - interval '2 years';
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - personal) = (to_jsonb(OLD) - personal)
       AND (mode = 'pseudonymise' OR (mode = 'erase' AND expired)) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND mode = 'erase' AND expired AND TG_ARGV[2] = 'deletable' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE OR REPLACE FUNCTION audit_pseudonymise(
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
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OWNER_ONLY, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_pseudonymise_any_case_and_members"),
        ("account", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
