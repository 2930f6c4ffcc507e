-- 0021 change notifications: every committed change the API could show is announced on channel
-- `purl_change`, so each server process can keep answers in memory and drop them the moment
-- they may be stale (PostgreSQL: LISTEN on its own connection; PGlite: in process).
--   'data'     — any change to a table of records (every table but the exempt ones below);
--   'identity' — a change that can end a credential: a session or API token revoked, expired,
--                or deleted, or any change to a user (role, party, disabled, password).
-- Statement-level triggers, and NOTIFY folds identical messages of one transaction into one, so
-- a bulk statement costs one call. Exempt from 'data' (they hold no record the API lists from a
-- cache): http_idempotency, login_throttle, oidc_login_attempt, and auth_session / api_token,
-- whose `last_seen_at` / `last_used_at` touches must not flush every cache once a minute.
-- A test checks that every table is either announced or exempt, so a new table is not missed.
CREATE FUNCTION purl_notify_data() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('purl_change', 'data');
  RETURN NULL;
END
$$;

CREATE FUNCTION purl_notify_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('purl_change', 'identity');
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      AND c.relname NOT IN ('http_idempotency', 'login_throttle', 'oidc_login_attempt',
                            'auth_session', 'api_token', 'schema_migration')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION purl_notify_data()', t || '_announce_change', t);
  END LOOP;
END
$$;

CREATE TRIGGER app_user_announce_credentials AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON app_user FOR EACH STATEMENT EXECUTE FUNCTION purl_notify_identity();
CREATE TRIGGER auth_session_announce_credentials
  AFTER UPDATE OF revoked_at, expires_at, user_id OR DELETE OR TRUNCATE
  ON auth_session FOR EACH STATEMENT EXECUTE FUNCTION purl_notify_identity();
CREATE TRIGGER api_token_announce_credentials
  AFTER UPDATE OF revoked_at, expires_at, user_id, role, party_id, read_only OR DELETE OR TRUNCATE
  ON api_token FOR EACH STATEMENT EXECUTE FUNCTION purl_notify_identity();
