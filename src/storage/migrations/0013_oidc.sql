-- 0013 OpenID Connect sign-in (src/services/oidc-service.ts). A user signed in through an
-- identity provider is bound to the provider's (issuer, subject) — never matched by email, so an
-- account of another provider or a password account is not taken over by a matching address.
-- Such users have no password (app_user.password_hash NULL).

CREATE TABLE oidc_identity (
  issuer      text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
  subject     text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id     bigint      NOT NULL UNIQUE REFERENCES app_user (id),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (issuer, subject)
);

-- A sign-in under way: created by GET /auth/oidc/login, consumed (deleted) by the callback. Keyed
-- by the SHA-256 (hex) of its `state`, which also travels in a short-lived cookie of the browser
-- that started it. Rows past expires_at are pruned by later sign-ins.
CREATE TABLE oidc_login_attempt (
  state_hash     char(64)    PRIMARY KEY,
  code_verifier  text        NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
  nonce          text        NOT NULL CHECK (length(nonce) BETWEEN 1 AND 200),
  return_json    boolean     NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  CONSTRAINT oidc_login_attempt_times CHECK (created_at < expires_at)
);
CREATE INDEX oidc_login_attempt_expiry ON oidc_login_attempt (expires_at);
