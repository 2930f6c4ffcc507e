/** Kysely table types of the sign-in defences — see migration 0011. */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface LoginThrottleTable {
  email_hash: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
  forget_at: Timestamp;
}

export interface SecuritySchema {
  login_throttle: LoginThrottleTable;
}
