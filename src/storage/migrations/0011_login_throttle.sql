-- 0011 login throttle: failed sign-ins per email tried, for the lockout with back-off. The
-- rules are in src/core/login-throttle.ts; this table lets every app server agree on them.
-- Keyed by the SHA-256 (hex) of `purl-login:` and the normalised email — a known user or not, so
-- a lockout never tells whether an account exists, and no text a stranger typed (perhaps a
-- password typed into the email field) is kept. A successful sign-in deletes its row; rows past
-- forget_at are pruned by later failures.

CREATE TABLE login_throttle (
  email_hash       char(64)    PRIMARY KEY,
  failures         integer     NOT NULL CHECK (failures >= 1),
  last_failure_at  timestamptz NOT NULL,
  locked_until     timestamptz,
  forget_at        timestamptz NOT NULL,
  CONSTRAINT login_throttle_times CHECK (
    forget_at >= last_failure_at AND (locked_until IS NULL OR locked_until > last_failure_at))
);
CREATE INDEX login_throttle_forget ON login_throttle (forget_at);
