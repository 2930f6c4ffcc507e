-- 0014 read-only API tokens: a token may carry fewer rights than its user — only the operations
-- that change nothing (reads and verifications), for reporting integrations.
ALTER TABLE api_token ADD COLUMN read_only boolean NOT NULL DEFAULT false;
