-- 0010 identity: users, their sessions and their API tokens. The rules (email form, password
-- policy, expiry) are in src/core/identity.ts; the database holds what it can again.
-- Secrets (session ids, API tokens) are never stored: only their SHA-256, hex.

CREATE TABLE app_user (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Stored lower-cased, so UNIQUE is case-insensitive.
  email          text        NOT NULL UNIQUE
                   CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  display_name   text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
  role           text        NOT NULL CHECK (role IN ('coordinator', 'contributor', 'recipient',
                   'validator', 'supplier', 'auditor', 'admin')),
  party_id       text        REFERENCES party (id),
  -- argon2id in PHC string form. NULL: the user cannot sign in with a password.
  password_hash  text        CHECK (password_hash LIKE '$argon2id$%'),
  disabled       boolean     NOT NULL DEFAULT false,
  version        integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT app_user_party_iff_contributor CHECK ((role = 'contributor') = (party_id IS NOT NULL))
);

CREATE TABLE auth_session (
  -- The public id (session list, revoke); the secret is the cookie / bearer value.
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  secret_hash    char(64)    NOT NULL UNIQUE,
  user_id        bigint      NOT NULL REFERENCES app_user (id),
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  user_agent     text        CHECK (length(user_agent) <= 500),
  ip             text        CHECK (length(ip) <= 100),
  CONSTRAINT auth_session_times CHECK (created_at <= last_seen_at AND created_at < expires_at)
);
CREATE INDEX auth_session_user ON auth_session (user_id, id);

CREATE TABLE api_token (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  secret_hash    char(64)    NOT NULL UNIQUE,
  user_id        bigint      NOT NULL REFERENCES app_user (id),
  name           text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  -- The role and party the token acts as: its user's, at creation.
  role           text        NOT NULL CHECK (role IN ('coordinator', 'contributor', 'recipient',
                   'validator', 'supplier', 'auditor', 'admin')),
  party_id       text        REFERENCES party (id),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  last_used_at   timestamptz,
  revoked_at     timestamptz,
  CONSTRAINT api_token_party_iff_contributor CHECK ((role = 'contributor') = (party_id IS NOT NULL)),
  CONSTRAINT api_token_times CHECK (created_at < expires_at)
);
CREATE INDEX api_token_user ON api_token (user_id, id);
