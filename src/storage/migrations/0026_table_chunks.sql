-- 0026 Chunk revisions: the tables the analyses keep per chunk of ids (contributions, payments,
-- ledger accounts: storage/analytics-repository.ts `CHUNK_BITS`, services/analytics/
-- stage-memo.ts) get, per chunk, the id of the audit event of the last committed transaction
-- that changed a row in it — kept transactionally in `table_chunk`, so finding what changed after a write is one indexed
-- read of a few hundred rows instead of a grouped scan of the table (220,000 payments at scale
-- 1: 23 ms on every analysis after a payment), and the funnel re-reads the balances of the few
-- ledger accounts a posting changed, not of all 103,000. A posting's one UPDATE of its accounts
-- costs one more statement-level call.
--
-- How: a statement-level trigger per table and operation reads the statement's rows (transition
-- tables) and notes their chunks — the chunk is `id >> bits`, `bits` the trigger's argument —
-- the way 0025 notes tables: in a transaction-local setting (`purl.touched_chunks`), written by
-- the audit append with its event's id (`purl_audit_touched`, under the head's lock every write
-- takes, so no new lock order), or at once by a statement made after the transaction's first
-- audit event. A transaction that rolls back leaves no revision. TRUNCATE touches every chunk.
-- A test checks that the triggers' `bits` are `CHUNK_BITS`.
CREATE TABLE table_chunk (
  table_name text NOT NULL,
  chunk integer NOT NULL,
  revision bigint NOT NULL,
  PRIMARY KEY (table_name, chunk)
);

-- Notes (or, after the transaction's first audit event, writes) these chunks of the table.
CREATE FUNCTION purl_note_chunks(tbl text, chunks integer[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('purl.touched_chunks', true), '');
  c integer;
BEGIN
  IF chunks IS NULL OR cardinality(chunks) = 0 THEN
    RETURN;
  END IF;
  IF coalesce(current_setting('purl.audited', true), '') <> '' THEN
    INSERT INTO table_chunk (table_name, chunk, revision)
    SELECT tbl, x, (SELECT last_id FROM audit_head WHERE singleton) FROM unnest(chunks) x
    ON CONFLICT (table_name, chunk) DO UPDATE SET revision = excluded.revision;
    RETURN;
  END IF;
  FOREACH c IN ARRAY chunks LOOP
    IF position(',' || tbl || ':' || c || ',' IN noted || ',') = 0 THEN
      noted := noted || ',' || tbl || ':' || c;
    END IF;
  END LOOP;
  PERFORM set_config('purl.touched_chunks', noted, true);
END
$$;

CREATE FUNCTION purl_touch_chunks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bits integer := TG_ARGV[0]::integer;
  chunks integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT (id >> bits)::integer) INTO chunks FROM purl_new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT c) INTO chunks
    FROM (SELECT (id >> bits)::integer AS c FROM purl_old_rows
          UNION ALL SELECT (id >> bits)::integer FROM purl_new_rows) s;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT (id >> bits)::integer) INTO chunks FROM purl_old_rows;
  ELSE
    SELECT array_agg(chunk) INTO chunks FROM table_chunk WHERE table_name = TG_TABLE_NAME;
  END IF;
  PERFORM purl_note_chunks(TG_TABLE_NAME, chunks);
  RETURN NULL;
END
$$;

-- 0025's append, which also writes the noted chunks with the event's id.
CREATE OR REPLACE FUNCTION purl_audit_touched(versions jsonb, id bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  touched text := coalesce(current_setting('purl.touched', true), '');
  chunks text := coalesce(current_setting('purl.touched_chunks', true), '');
  t text;
  result jsonb := versions;
BEGIN
  PERFORM set_config('purl.audited', '1', true);
  IF chunks <> '' THEN
    INSERT INTO table_chunk (table_name, chunk, revision)
    SELECT split_part(x, ':', 1), split_part(x, ':', 2)::integer, id
    FROM unnest(string_to_array(substr(chunks, 2), ',')) x
    ON CONFLICT (table_name, chunk) DO UPDATE SET revision = excluded.revision;
    PERFORM set_config('purl.touched_chunks', '', true);
  END IF;
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

-- Every chunk of every chunked table at event `id`, from the rows themselves (this migration,
-- and a bulk load that writes the audit head itself).
CREATE FUNCTION purl_revise_all_chunks(id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT DISTINCT c.relname AS tbl, split_part(encode(g.tgargs, 'escape'), '\000', 1) AS bits
    FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
    WHERE g.tgname = c.relname || '_touch_chunks_insert'
  LOOP
    DELETE FROM table_chunk WHERE table_name = t.tbl;
    EXECUTE format(
      'INSERT INTO table_chunk (table_name, chunk, revision) '
      'SELECT %L, (id >> %s)::integer, $1 FROM %I GROUP BY 2', t.tbl, t.bits::integer, t.tbl)
    USING id;
  END LOOP;
  PERFORM set_config('purl.touched_chunks', '', true);
END
$$;

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('contribution', 10), ('contribution_payment', 11),
                                 ('ledger_account', 10)) v (tbl, bits)
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS purl_new_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(%s)',
      t.tbl || '_touch_chunks_insert', t.tbl, t.bits);
    EXECUTE format(
      'CREATE TRIGGER %I AFTER UPDATE ON %I '
      'REFERENCING OLD TABLE AS purl_old_rows NEW TABLE AS purl_new_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(%s)',
      t.tbl || '_touch_chunks_update', t.tbl, t.bits);
    EXECUTE format(
      'CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS purl_old_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(%s)',
      t.tbl || '_touch_chunks_delete', t.tbl, t.bits);
    EXECUTE format(
      'CREATE TRIGGER %I AFTER TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(%s)',
      t.tbl || '_touch_chunks_truncate', t.tbl, t.bits);
  END LOOP;
END
$$;

SELECT purl_revise_all_chunks(coalesce((SELECT last_id FROM audit_head WHERE singleton), 0));
