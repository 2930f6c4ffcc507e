/** Kysely table types of users, sessions and API tokens — see migration 0010. */
import type { ColumnType, Generated } from 'kysely';

type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedInt8 = ColumnType<bigint, bigint | number | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type UserRoleColumn =
  'coordinator' | 'contributor' | 'recipient' | 'validator' | 'supplier' | 'auditor' | 'admin';

export interface AppUserTable {
  id: GeneratedInt8;
  email: string;
  display_name: string;
  role: UserRoleColumn;
  party_id: string | null;
  password_hash: string | null;
  disabled: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuthSessionTable {
  id: GeneratedInt8;
  secret_hash: string;
  user_id: Int8;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiTokenTable {
  id: GeneratedInt8;
  secret_hash: string;
  user_id: Int8;
  name: string;
  role: UserRoleColumn;
  party_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  read_only: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface IdentitySchema {
  app_user: AppUserTable;
  auth_session: AuthSessionTable;
  api_token: ApiTokenTable;
}
