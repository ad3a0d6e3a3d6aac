"""The SQL of the audit trail: table, hash chain, immutability, and the row trigger.

Kept in one place so the migration that installs it and `audit verify` that checks it share the
same definition of an event's hash pre-image.
"""

from __future__ import annotations

# Arbitrary constant: the advisory lock that serialises writers of the chain, so two concurrent
# transactions can never both link to the same predecessor (no fork).
CHAIN_LOCK_KEY = 7_231_945

GENESIS_HASH = "0" * 64

# Everything that identifies an event, in a fixed order. The timestamp is rendered in UTC with
# microseconds and `changes` as PostgreSQL's canonical jsonb text, so the pre-image is stable.
PREIMAGE_FIELDS = """concat_ws('|',
    {e}.id,
    to_char({e}.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
    {e}.kind, {e}.table_name, {e}.object_id, coalesce({e}.actor_id::text, ''),
    {e}.actor_label, {e}.request_id, {e}.purpose, {e}.recipients,
    coalesce({e}.changes::text, ''))"""

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS access_auditevent (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind varchar(20) NOT NULL,
    table_name varchar(100) NOT NULL DEFAULT '',
    object_id varchar(100) NOT NULL DEFAULT '',
    actor_id bigint NULL,
    actor_label varchar(150) NOT NULL DEFAULT '',
    request_id varchar(64) NOT NULL DEFAULT '',
    purpose text NOT NULL DEFAULT '',
    recipients text NOT NULL DEFAULT '',
    changes jsonb NULL,
    prev_hash varchar(64) NOT NULL DEFAULT '',
    hash varchar(64) NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS access_auditevent_object ON access_auditevent (table_name, object_id);
CREATE INDEX IF NOT EXISTS access_auditevent_actor ON access_auditevent (actor_id, occurred_at);
"""

CHAIN_FUNCTION = f"""
-- Ids come only from the chain trigger, under its lock: no column default, so no gaps.
ALTER TABLE access_auditevent ALTER COLUMN id DROP DEFAULT;
CREATE OR REPLACE FUNCTION safeguard_audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    SELECT hash INTO last_hash FROM access_auditevent ORDER BY id DESC LIMIT 1;
    -- The id and time are taken under the lock, so chain order is id order, and nobody but the
    -- database chooses when an event happened.
    NEW.id := nextval(pg_get_serial_sequence('access_auditevent', 'id'));
    NEW.occurred_at := clock_timestamp();
    NEW.prev_hash := coalesce(last_hash, '{GENESIS_HASH}');
    NEW.hash := encode(sha256(convert_to(
        NEW.prev_hash || '|' || {PREIMAGE_FIELDS.format(e="NEW")}, 'UTF8')), 'hex');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION safeguard_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE TRIGGER access_auditevent_chain BEFORE INSERT ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION safeguard_audit_chain();
CREATE OR REPLACE TRIGGER access_auditevent_no_change BEFORE UPDATE OR DELETE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION safeguard_audit_append_only();
CREATE OR REPLACE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION safeguard_audit_append_only();
"""

# Records every write to a case table. Arguments name columns whose values must never be copied
# into the trail (protected details, password hashes): they are replaced by a short fingerprint
# so a change is still visible. For an UPDATE only the changed columns are kept.
ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION safeguard_audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    before jsonb;
    after jsonb;
    col text;
    row_id text;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO access_auditevent (kind, table_name, actor_id, actor_label, request_id, purpose)
        VALUES ('truncate', TG_TABLE_NAME,
                nullif(current_setting('safeguard.actor_id', true), '')::bigint,
                coalesce(current_setting('safeguard.actor_label', true), ''),
                coalesce(current_setting('safeguard.request_id', true), ''),
                coalesce(current_setting('safeguard.purpose', true), ''));
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN before := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN after := to_jsonb(NEW); END IF;
    -- Taken before an UPDATE is reduced to its changed columns, which usually drop the id.
    row_id := coalesce(after->>'id', before->>'id', '');
    IF TG_NARGS > 0 THEN
        FOREACH col IN ARRAY TG_ARGV LOOP
            IF before ? col AND before->>col IS NOT NULL THEN
                before := jsonb_set(before, ARRAY[col], to_jsonb('[protected ' ||
                    left(encode(sha256(convert_to(before->>col, 'UTF8')), 'hex'), 12) || ']'));
            END IF;
            IF after ? col AND after->>col IS NOT NULL THEN
                after := jsonb_set(after, ARRAY[col], to_jsonb('[protected ' ||
                    left(encode(sha256(convert_to(after->>col, 'UTF8')), 'hex'), 12) || ']'));
            END IF;
        END LOOP;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb),
               coalesce(jsonb_object_agg(o.key, after->o.key), '{}'::jsonb)
          INTO before, after
          FROM jsonb_each(before) AS o
         WHERE after->o.key IS DISTINCT FROM o.value;
    END IF;
    INSERT INTO access_auditevent
        (kind, table_name, object_id, actor_id, actor_label, request_id, purpose, changes)
    VALUES (lower(TG_OP), TG_TABLE_NAME,
            row_id,
            nullif(current_setting('safeguard.actor_id', true), '')::bigint,
            coalesce(current_setting('safeguard.actor_label', true), ''),
            coalesce(current_setting('safeguard.request_id', true), ''),
            coalesce(current_setting('safeguard.purpose', true), ''),
            jsonb_build_object('before', before, 'after', after));
    RETURN NULL;
END $$;
"""


def row_trigger_sql(table: str, redacted: tuple[str, ...] = ()) -> str:
    args = ", ".join(f"'{column}'" for column in redacted)
    return f"""
CREATE OR REPLACE TRIGGER safeguard_audit AFTER INSERT OR UPDATE OR DELETE ON "{table}"
    FOR EACH ROW EXECUTE FUNCTION safeguard_audit_row({args});
CREATE OR REPLACE TRIGGER safeguard_audit_truncate AFTER TRUNCATE ON "{table}"
    FOR EACH STATEMENT EXECUTE FUNCTION safeguard_audit_row();
"""
