"""Pseudonymisation keeps only what the trail shows was the person's, and says what it did.

The sixth attack run, as the application's role, wrote an account already deleted and had
`audit_pseudonymise` replace, in records of its choosing, identifiers of its choosing. Now an
account is created live (a trigger); the function keeps of the records it is given those the
trail saw written to the account (an entry set their owner field to it), and of the addresses
and user names those the person's own entries or access records hold; and it writes every call
to a ledger (`audit_pseudonymisation`, from 0007) that nobody may change: what it was given,
what it kept, how many rows it changed. Only functions and triggers change.
"""

from django.conf import settings
from django.db import migrations

FORWARD = r"""
-- Whether the person's own rows hold an identifier where it stands whole: their actions and
-- the entries about their records, their own access records.
CREATE FUNCTION audit_held_by_own_rows(p_actor bigint, p_records text[], p_identifier text)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    whole text := audit_whole(p_identifier);
    quoted text := to_json(p_identifier)::text;
BEGIN
    quoted := audit_whole(substr(quoted, 2, length(quoted) - 2));
    RETURN EXISTS (
        SELECT 1 FROM audit_auditentry
        WHERE (actor_id = p_actor OR content_type_id::text || ':' || object_pk = ANY(p_records))
          AND (actor_email ~* whole OR object_repr ~* whole OR changes_text ~* whole
               OR changes::text ~* quoted OR serialized_data::text ~* quoted
               OR additional_data::text ~* quoted))
        OR EXISTS (
        SELECT 1 FROM audit_accessrecord
        WHERE actor_id = p_actor AND (actor_label ~* whole OR path ~* whole OR target ~* whole));
END
$$;

-- The ledger: nobody changes or deletes a row, the owner included.
CREATE TRIGGER pseudonymisation_append_only BEFORE UPDATE OR DELETE ON audit_pseudonymisation
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only('at', '', 'kept');

-- An account is created live: one written already deleted would be pseudonymised by whoever
-- wrote it, with the records and identifiers of their choosing.
CREATE FUNCTION account_created_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'an account is created live' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER account_created_live BEFORE INSERT ON ogp_portal_user
    FOR EACH ROW EXECUTE FUNCTION account_created_live();

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
    records text[];
    addresses text[];
    members text[];
    names text[] := coalesce(p_names, '{}');
    kept integer;
    touched integer;
    changed integer := 0;
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
    -- What the caller says was the person's counts only where the trail shows it, the rows
    -- the caller's role may write proving nothing: a record is theirs when an entry of the
    -- trail wrote the account into its owner field (`OWNER_FIELDS`: user, author); an address
    -- or user name, when the person's own entries or access records hold it.
    records := ARRAY(
        SELECT DISTINCT r FROM unnest(coalesce(p_records, '{}')) r
        WHERE r = p_account_type::text || ':' || p_actor::text
           OR EXISTS (SELECT 1 FROM audit_auditentry e
                      WHERE e.content_type_id::text = split_part(r, ':', 1)
                        AND e.object_pk = split_part(r, ':', 2)
                        AND (e.changes -> 'user' ->> 1 = p_actor::text
                             OR e.changes -> 'author' ->> 1 = p_actor::text)));
    kept := cardinality(records);
    records := records || ARRAY[p_account_type::text || ':' || p_actor::text];
    -- An address counts in every spelling, as a URL's query writes it too, when its own
    -- rows hold it as written.
    addresses := ARRAY(SELECT a FROM unnest(coalesce(p_addresses, '{}')) a
                       WHERE audit_held_by_own_rows(p_actor, records, replace(replace(replace(
                           lower(a), '%40', '@'), '%2b', '+'), '%25', '%')));
    -- A user name another account holds is theirs.
    members := ARRAY(SELECT m FROM unnest(coalesce(p_members, '{}')) m
                     WHERE NOT EXISTS (SELECT 1 FROM ogp_portal_user
                                       WHERE username = m AND id <> p_actor)
                       AND audit_held_by_own_rows(p_actor, records, m));
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    GET DIAGNOSTICS touched = ROW_COUNT;
    changed := changed + touched;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    GET DIAGNOSTICS touched = ROW_COUNT;
    changed := changed + touched;
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
        FROM unnest(addresses) a
        UNION ALL SELECT n, true FROM unnest(names) n
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
               OR content_type_id::text || ':' || object_pk = ANY(records))
          AND (actor_email ~* whole OR object_repr ~* whole OR changes_text ~* whole
               OR changes::text ~* quoted OR serialized_data::text ~* quoted
               OR additional_data::text ~* quoted);
        GET DIAGNOSTICS touched = ROW_COUNT;
        changed := changed + touched;
        UPDATE audit_accessrecord SET
            actor_label = regexp_replace(actor_label, whole, p_pseudonym, 'gi'),
            path = regexp_replace(path, whole, p_pseudonym, 'gi'),
            target = regexp_replace(target, whole, p_pseudonym, 'gi')
        WHERE (NOT own_only OR actor_id = p_actor)
          AND (actor_label ~* whole OR path ~* whole OR target ~* whole);
        GET DIAGNOSTICS touched = ROW_COUNT;
        changed := changed + touched;
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
        GET DIAGNOSTICS touched = ROW_COUNT;
        changed := changed + touched;
    END LOOP;
    PERFORM set_config('audit.retention', '', true);
    INSERT INTO audit_pseudonymisation (at, account_id, pseudonym, records_given, records_kept,
                                        identifiers_given, identifiers_kept, rows_changed)
    VALUES (now(), p_actor, p_pseudonym,
            (SELECT count(DISTINCT r) FROM unnest(coalesce(p_records, '{}')) r), kept,
            cardinality(coalesce(p_addresses, '{}')) + cardinality(names)
                + cardinality(coalesce(p_members, '{}')),
            cardinality(addresses) + cardinality(names) + cardinality(members), changed);
END
$$;
"""

BACK = r"""DROP TRIGGER pseudonymisation_append_only ON audit_pseudonymisation;
DROP TRIGGER account_created_live ON ogp_portal_user;
DROP FUNCTION account_created_live();
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

DROP FUNCTION audit_held_by_own_rows(bigint, text[], text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_pseudonymisation_ledger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
