-- 0012 public figures: snapshots of totals a coordinator publishes for anyone to read
-- (`GET /api/v1/public/summary` serves the latest). Each is computed in one REPEATABLE READ
-- snapshot at the moment of publishing and kept as published: append-only, like the audit log.
CREATE TABLE public_snapshot (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  published_at  timestamptz NOT NULL DEFAULT now(),
  published_by  text        NOT NULL CHECK (length(published_by) BETWEEN 1 AND 200),
  -- The figures as published (money as decimal strings of minor units with their currency).
  figures       jsonb       NOT NULL CHECK (jsonb_typeof(figures) = 'object'),
  -- SHA-256 (hex) of the canonical JSON of { figures, publishedAt, publishedBy }.
  hash          char(64)    NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE TRIGGER public_snapshot_append_only BEFORE UPDATE OR DELETE ON public_snapshot
  FOR EACH ROW EXECUTE FUNCTION purl_refuse_change();
CREATE TRIGGER public_snapshot_no_truncate BEFORE TRUNCATE ON public_snapshot
  FOR EACH STATEMENT EXECUTE FUNCTION purl_refuse_change();
