/** Kysely table types of the sign-in defences (migration 0011) and OpenID Connect (0013). */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface LoginThrottleTable {
  email_hash: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
  forget_at: Timestamp;
}

/** Migration 0013: a user's binding to an OpenID provider's (issuer, subject). */
export interface OidcIdentityTable {
  issuer: string;
  subject: string;
  user_id: ColumnType<bigint, bigint | number | string, bigint | number | string>;
  created_at: Timestamp;
}

/** Migration 0013: an OpenID Connect sign-in under way (PKCE verifier and nonce). */
export interface OidcLoginAttemptTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  return_json: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SecuritySchema {
  login_throttle: LoginThrottleTable;
  oidc_identity: OidcIdentityTable;
  oidc_login_attempt: OidcLoginAttemptTable;
}
