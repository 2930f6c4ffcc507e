-- 0025 Table versions: per table of records, the id of the audit event of the last committed
-- transaction that changed it, kept in `audit_head.table_versions` ({"table": id}). The analyses
-- keep what they computed from some tables under their versions (services/analytics/
-- stage-memo.ts, and results of analyses that name the tables that cannot change them), so a
-- write to one table no longer makes every figure read every table again. A table created by a
-- later migration needs its `<table>_touch_version` trigger (a test checks every table has it).
--
-- Why the versions follow commit order without new locks: every write appends an audit event in
-- its own transaction (audit-repository.ts), which locks the chain's head until commit. A
-- statement on a versioned table notes the table in a transaction-local setting
-- (`purl.touched`); the audit append writes each noted table with its event's id in the same
-- UPDATE of the head. A statement after the transaction's first audit event (it already holds
-- the head) writes the table's version at once. Nothing else takes the head's lock, so no new
-- lock order (and no deadlock) is introduced; a transaction that rolls back leaves no version.
ALTER TABLE audit_head ADD COLUMN table_versions jsonb NOT NULL DEFAULT '{}'::jsonb;

CREATE FUNCTION purl_touch_table() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched text := coalesce(current_setting('purl.touched', true), '');
BEGIN
  IF coalesce(current_setting('purl.audited', true), '') <> '' THEN
    UPDATE audit_head SET table_versions = table_versions || jsonb_build_object(TG_TABLE_NAME, last_id)
    WHERE singleton;
  ELSIF position(',' || TG_TABLE_NAME || ',' IN touched || ',') = 0 THEN
    PERFORM set_config('purl.touched', touched || ',' || TG_TABLE_NAME, true);
  END IF;
  RETURN NULL;
END
$$;

-- The head's new versions when event `id` is appended: every table this transaction noted.
CREATE FUNCTION purl_audit_touched(versions jsonb, id bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  touched text := coalesce(current_setting('purl.touched', true), '');
  t text;
  result jsonb := versions;
BEGIN
  PERFORM set_config('purl.audited', '1', true);
  IF touched = '' THEN
    RETURN versions;
  END IF;
  FOREACH t IN ARRAY string_to_array(substr(touched, 2), ',') LOOP
    result := result || jsonb_build_object(t, id);
  END LOOP;
  PERFORM set_config('purl.touched', '', true);
  RETURN result;
END
$$;

-- Every versioned table at event `id` (a bulk load that writes the head itself).
CREATE FUNCTION purl_version_all_tables(versions jsonb, id bigint) RETURNS jsonb LANGUAGE sql AS $$
  SELECT versions || coalesce(jsonb_object_agg(c.relname, id), '{}'::jsonb)
  FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
  WHERE g.tgname = c.relname || '_touch_version'
$$;

-- Every table of records, as 0021 announces them, except the audit chain itself (its events are
-- what the versions are made of) and the tables 0021 exempts.
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      AND c.relname NOT IN ('http_idempotency', 'login_throttle', 'oidc_login_attempt',
                            'auth_session', 'api_token', 'schema_migration', 'audit_event',
                            'audit_head')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_table()', t || '_touch_version', t);
  END LOOP;
END
$$;
