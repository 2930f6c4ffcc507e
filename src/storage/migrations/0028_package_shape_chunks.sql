-- 0028 Chunk revisions of the shape of packages (`package_shape`, the chunks of 0027: 2^5 ids,
-- storage/analytics-repository.ts `CHUNK_BITS.package`): they move when a package is created or
-- deleted, cancelled or restored, or its number or currency changes — what decides whether and
-- how its lines and receipts count — and NOT when an allocation updates its funded amount or
-- status. So coverage keeps each chunk's lines and receipts (packaged and delivered value) under
-- this revision and only its funding shares under the package's own (0027): an allocation
-- re-reads the chunk's allocations, not its lines and receipts.
--
-- A row-level trigger, so an UPDATE that leaves those columns alone (the WHEN) calls nothing.
-- The chunks are noted as 0026's are (`purl_note_chunks`), under the name `package_shape`.
CREATE FUNCTION purl_touch_package_shape() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bits integer := TG_ARGV[0]::integer;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM purl_note_chunks('package_shape',
      (SELECT array_agg(chunk) FROM table_chunk WHERE table_name = 'package_shape'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM purl_note_chunks('package_shape', ARRAY[(OLD.id >> bits)::integer]);
  ELSE
    PERFORM purl_note_chunks('package_shape', ARRAY[(NEW.id >> bits)::integer]);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER package_shape_touch_insert AFTER INSERT ON package
  FOR EACH ROW EXECUTE FUNCTION purl_touch_package_shape(5);
CREATE TRIGGER package_shape_touch_update AFTER UPDATE ON package
  FOR EACH ROW WHEN (
    (OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled')
    OR OLD.number IS DISTINCT FROM NEW.number
    OR OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION purl_touch_package_shape(5);
CREATE TRIGGER package_shape_touch_delete AFTER DELETE ON package
  FOR EACH ROW EXECUTE FUNCTION purl_touch_package_shape(5);
CREATE TRIGGER package_shape_touch_truncate AFTER TRUNCATE ON package
  FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_package_shape(5);

-- 0026's revision of every chunk (a bulk load) then gives the shapes the packages' revisions.
ALTER FUNCTION purl_revise_all_chunks(bigint) RENAME TO purl_revise_table_chunks;
CREATE FUNCTION purl_revise_all_chunks(id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM purl_revise_table_chunks(id);
  DELETE FROM table_chunk WHERE table_name = 'package_shape';
  INSERT INTO table_chunk (table_name, chunk, revision)
  SELECT 'package_shape', chunk, revision FROM table_chunk WHERE table_name = 'package';
END
$$;

INSERT INTO table_chunk (table_name, chunk, revision)
SELECT 'package_shape', chunk, revision FROM table_chunk WHERE table_name = 'package';
