"""Pseudonymisation takes, once per account, only identifiers the trail recorded as its own.

The seventh attack run, as the application's role, had `audit_pseudonymise` replace names it
chose (no check), addresses that staff's entries about the person's records happened to hold,
and words of a deleted staff member's own access records (which records they had viewed); it
could call the function again at any time, and block any account's deletion by inserting one
entry under another pseudonym. Now:

- an identifier counts only where the trail recorded it as the value of an identifying field
  (`audit_identifying_fields`, fixed here) of the account or of a record the trail saw written
  to it: addresses as addresses, user names as user names, names and private values as any
  of these (a full name as two recorded name parts, with or without a space); the database
  writes their other spellings itself (as a URL writes them, a mobile number with or without
  dashes);
- names are replaced in the person's own entries only, never in access records, whose paths
  and targets keep which pages and records were opened (what was typed in them is kept as its
  mark since `audit.access.marked_query`); addresses go wherever they stand whole, as before;
- the ledger binds: one call per account, so neither a second call nor a row the application's
  role inserted decides the pseudonym.

Only functions change; the previous function is not restored on the way back (this one works
with the same tables), so going forward again replaces it.
"""

from django.db import migrations

FORWARD = r"""
-- The fields whose values identify a person, as the trail records them (`changes`), and the
-- kind of each: changed only by a migration, so no caller widens what counts as a name.
CREATE OR REPLACE FUNCTION audit_identifying_fields(
    OUT app_label text, OUT model text, OUT field text, OUT kind text
) RETURNS SETOF record LANGUAGE sql IMMUTABLE AS $$
    VALUES ('ogp_portal', 'user', 'email', 'address'),
           ('account', 'emailaddress', 'email', 'address'),
           ('outbox', 'mobilecontact', 'number', 'address'),
           ('ogp_portal', 'user', 'username', 'member'),
           ('ogp_portal', 'user', 'first_name', 'name'),
           ('ogp_portal', 'user', 'last_name', 'name'),
           ('ogp_portal', 'user', 'display_name', 'name'),
           ('proposals', 'proposal', 'contact', 'private'),
           ('councils', 'committeemember', 'contact_email', 'private'),
           ('verification', 'verification', 'birth_date', 'private'),
           ('socialaccount', 'socialaccount', 'uid', 'private')
$$;

-- An identifier as compared: in small letters, a mobile number without its separators.
CREATE OR REPLACE FUNCTION audit_identifier_norm(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p ~ '^0[0-9]{1,2}[-. ]?[0-9]{3,4}[-. ]?[0-9]{4}$'
                THEN regexp_replace(p, '[-. ]', '', 'g') ELSE lower(p) END
$$;

-- Every value the trail recorded, before or after a change, of an identifying field of these
-- records ("content type:key"), normalised, with its kind.
CREATE OR REPLACE FUNCTION audit_recorded_identifiers(p_records text[])
RETURNS TABLE (value text, kind text) LANGUAGE sql STABLE
SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT DISTINCT audit_identifier_norm(v.value), f.kind
    FROM unnest(p_records) r
    JOIN django_content_type ct ON ct.id::text = split_part(r, ':', 1)
    JOIN audit_identifying_fields() f ON f.app_label = ct.app_label AND f.model = ct.model
    JOIN audit_auditentry e
        ON e.content_type_id = ct.id AND e.object_pk = split_part(r, ':', 2)
    CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(e.changes -> f.field) = 'array' THEN e.changes -> f.field
             ELSE '[]'::jsonb END) v(value)
    WHERE v.value NOT IN ('', 'None')
$$;

-- An identifier as it may be written: as it is, as a URL's path or query writes it, and a
-- mobile number with and without dashes or spaces.
CREATE OR REPLACE FUNCTION audit_url_spelling(p text, p_plus boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    raw bytea := convert_to(p, 'UTF8');
    spelled text := '';
    b integer;
BEGIN
    FOR i IN 0 .. length(raw) - 1 LOOP
        b := get_byte(raw, i);
        IF b BETWEEN 48 AND 57 OR b BETWEEN 65 AND 90 OR b BETWEEN 97 AND 122
           OR b IN (45, 46, 95, 126) THEN
            spelled := spelled || chr(b);
        ELSIF p_plus AND b = 32 THEN
            spelled := spelled || '+';
        ELSE
            spelled := spelled || '%' || upper(lpad(to_hex(b), 2, '0'));
        END IF;
    END LOOP;
    RETURN spelled;
END
$$;

CREATE OR REPLACE FUNCTION audit_spellings(p text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
    WITH number AS (
        SELECT regexp_replace(p, '[-. ]', '', 'g') AS digits
        WHERE p ~ '^0[0-9]{1,2}[-. ]?[0-9]{3,4}[-. ]?[0-9]{4}$'
    )
    SELECT DISTINCT s FROM (
        SELECT p UNION ALL SELECT audit_url_spelling(p, false)
        UNION ALL SELECT audit_url_spelling(p, true)
        UNION ALL SELECT digits FROM number
        UNION ALL SELECT regexp_replace(digits, '^(0[0-9]{2})([0-9]{3,4})([0-9]{4})$',
                                        '\1' || sep || '\2' || sep || '\3')
        FROM number, (VALUES ('-'), (' ')) AS separators(sep)
    ) AS spellings(s)
$$;

-- Replaces a pattern inside the strings of a JSON value only: its keys, numbers, true, false
-- and null stay, so that no name (such as "null" or "id") breaks the JSON or renames a field.
CREATE OR REPLACE FUNCTION audit_jsonb_replace(p jsonb, p_pattern text, p_by text)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN CASE jsonb_typeof(p)
        WHEN 'string' THEN to_jsonb(regexp_replace(p #>> '{}', p_pattern, p_by, 'gi'))
        WHEN 'array' THEN coalesce(
            (SELECT jsonb_agg(audit_jsonb_replace(e, p_pattern, p_by) ORDER BY n)
             FROM jsonb_array_elements(p) WITH ORDINALITY AS t(e, n)), '[]'::jsonb)
        WHEN 'object' THEN coalesce(
            (SELECT jsonb_object_agg(k, audit_jsonb_replace(v, p_pattern, p_by))
             FROM jsonb_each(p) AS t(k, v)), '{}'::jsonb)
        ELSE p END;
END
$$;

DROP FUNCTION IF EXISTS audit_held_by_own_rows(bigint, text[], text);

CREATE OR REPLACE FUNCTION audit_pseudonymise(
    p_actor bigint, p_pseudonym text, p_addresses text[], p_names text[], p_account_type integer,
    p_records text[], p_members text[], p_member_fields text[]
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    ident text;
    own_only boolean;
    is_address boolean;
    whole text;
    quoted text;
    member_type integer;
    member_field text;
    records text[];
    recorded_addresses text[];
    recorded_members text[];
    recorded_names text[];
    recorded text[];
    addresses text[];
    names text[];
    members text[];
    kept integer;
    touched integer;
    changed integer := 0;
BEGIN
    -- Only a deleted account (`account_delete` marks it, and it stays so), once: the ledger's
    -- row binds its pseudonym, of the form `pseudonym_of` gives.
    IF NOT EXISTS (SELECT 1 FROM ogp_portal_user WHERE id = p_actor AND deleted_at IS NOT NULL)
    THEN
        RAISE EXCEPTION 'only a deleted account is pseudonymised'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM audit_pseudonymisation WHERE account_id = p_actor) THEN
        RAISE EXCEPTION 'the account is pseudonymised already'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF p_pseudonym IS NULL OR p_pseudonym !~ '^pseudonym:[0-9a-f]{20}$' THEN
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
    -- trail wrote the account into its owner field (`OWNER_FIELDS`: user, author).
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
    -- An identifier, where the trail recorded it as a value of an identifying field of those
    -- records: an address as an address, a user name as a user name, a name as any of them
    -- or as two name parts together.
    recorded := ARRAY(SELECT value FROM audit_recorded_identifiers(records));
    recorded_addresses := ARRAY(
        SELECT value FROM audit_recorded_identifiers(records) WHERE kind = 'address');
    recorded_members := ARRAY(
        SELECT value FROM audit_recorded_identifiers(records) WHERE kind = 'member');
    recorded_names := ARRAY(
        SELECT value FROM audit_recorded_identifiers(records) WHERE kind = 'name');
    addresses := ARRAY(
        SELECT DISTINCT a FROM unnest(coalesce(p_addresses, '{}')) a
        WHERE audit_identifier_norm(a) = ANY(recorded_addresses));
    names := ARRAY(
        SELECT DISTINCT n FROM unnest(coalesce(p_names, '{}')) n
        WHERE length(n) >= 2
          AND (audit_identifier_norm(n) = ANY(recorded)
               OR EXISTS (SELECT 1 FROM unnest(recorded_names) a, unnest(recorded_names) b
                          WHERE lower(n) IN (a || ' ' || b, a || b))));
    -- A user name another account holds is theirs.
    members := ARRAY(
        SELECT DISTINCT m FROM unnest(coalesce(p_members, '{}')) m
        WHERE audit_identifier_norm(m) = ANY(recorded_members)
          AND NOT EXISTS (SELECT 1 FROM ogp_portal_user WHERE username = m AND id <> p_actor));
    PERFORM set_config('audit.retention', 'pseudonymise', true);
    UPDATE audit_auditentry SET actor_email = p_pseudonym
        WHERE actor_id = p_actor AND actor_email IS DISTINCT FROM p_pseudonym;
    GET DIAGNOSTICS touched = ROW_COUNT;
    changed := changed + touched;
    UPDATE audit_accessrecord SET actor_label = p_pseudonym
        WHERE actor_id = p_actor AND actor_label <> p_pseudonym;
    GET DIAGNOSTICS touched = ROW_COUNT;
    changed := changed + touched;
    -- An address another account holds (in any case) is theirs: it goes from the person's
    -- own entries only, as a name does. Longer spellings first.
    FOR ident, own_only, is_address IN
        SELECT s, taken, address FROM (
            SELECT a, true AS address, EXISTS (
                SELECT 1 FROM ogp_portal_user WHERE id <> p_actor AND lower(email) = lower(a)
                UNION ALL SELECT 1 FROM account_emailaddress
                WHERE user_id <> p_actor AND lower(email) = lower(a)) AS taken
            FROM unnest(addresses) a
            UNION ALL SELECT n, false, true FROM unnest(names) n
        ) AS given CROSS JOIN LATERAL audit_spellings(a) s
        ORDER BY length(s) DESC
    LOOP
        whole := audit_whole(ident);
        -- As the identifier appears inside JSON text (quotes and backslashes escaped): which
        -- rows mention it; it is replaced inside their JSON's strings only.
        quoted := to_json(ident)::text;
        quoted := audit_whole(substr(quoted, 2, length(quoted) - 2));
        UPDATE audit_auditentry SET
            actor_email = regexp_replace(actor_email, whole, p_pseudonym, 'gi'),
            object_repr = regexp_replace(object_repr, whole, p_pseudonym, 'gi'),
            changes_text = regexp_replace(changes_text, whole, p_pseudonym, 'gi'),
            changes = audit_jsonb_replace(changes, whole, p_pseudonym),
            serialized_data = audit_jsonb_replace(serialized_data, whole, p_pseudonym),
            additional_data = audit_jsonb_replace(additional_data, whole, p_pseudonym)
        WHERE (NOT own_only OR actor_id = p_actor
               OR content_type_id::text || ':' || object_pk = ANY(records))
          AND (actor_email ~* whole OR object_repr ~* whole OR changes_text ~* whole
               OR changes::text ~* quoted OR serialized_data::text ~* quoted
               OR additional_data::text ~* quoted);
        GET DIAGNOSTICS touched = ROW_COUNT;
        changed := changed + touched;
        -- Access records keep which pages and records were opened: only an address goes
        -- from them (a failed sign-in's login, a query written before typed words were
        -- kept as marks), and one another account holds only from the person's own.
        CONTINUE WHEN NOT is_address;
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
            cardinality(coalesce(p_addresses, '{}')) + cardinality(coalesce(p_names, '{}'))
                + cardinality(coalesce(p_members, '{}')),
            cardinality(addresses) + cardinality(names) + cardinality(members), changed);
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_pseudonymise_what_the_trail_shows")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
