-- 0027 Chunk revisions of packages (2^5 ids per chunk: storage/analytics-repository.ts
-- `CHUNK_BITS.package`), with 0026's triggers: the analyses that read per package — the funnel's
-- allocated and authorised stages, coverage's package lines, funding shares and receipts, lead
-- times' milestones — keep their reads per chunk of packages, so an allocation re-reads the 32
-- packages of its chunk (about 1,100 allocations) instead of all 179,000 of scale 1.
--
-- Sound because every write of a package's allocations updates the package's row in the same
-- transaction (an allocation adds to its funded amount; authorising and cancelling, which post
-- or void the pending ones, change its status; the surplus returned at closing is posted by the
-- transaction that closes it): so a chunk's revision moves with every change of its packages'
-- allocations too. The services/analytics readers name the other tables they read, whose
-- versions (0025) complete the key.
CREATE TRIGGER package_touch_chunks_insert AFTER INSERT ON package
  REFERENCING NEW TABLE AS purl_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(5);
CREATE TRIGGER package_touch_chunks_update AFTER UPDATE ON package
  REFERENCING OLD TABLE AS purl_old_rows NEW TABLE AS purl_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(5);
CREATE TRIGGER package_touch_chunks_delete AFTER DELETE ON package
  REFERENCING OLD TABLE AS purl_old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(5);
CREATE TRIGGER package_touch_chunks_truncate AFTER TRUNCATE ON package
  FOR EACH STATEMENT EXECUTE FUNCTION purl_touch_chunks(5);

SELECT purl_revise_all_chunks(coalesce((SELECT last_id FROM audit_head WHERE singleton), 0));

-- The receipts of a chunk's package lines, found by key (coverage's delivered value, lead times).
CREATE INDEX receipt_line ON receipt (package_line_id);

-- The funnel's allocated records in date order (a drill-down lists the first few thousand).
CREATE INDEX allocation_value_date ON allocation (value_date, id) WHERE status <> 'voided';
