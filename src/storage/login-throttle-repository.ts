/**
 * SQL of the sign-in lockout (table `login_throttle`, migration 0011). Rows are keyed by the
 * SHA-256 of the email tried; the rules that compute them are in `core/login-throttle.ts`.
 */
import type { Selectable } from 'kysely';
import type { Database } from './database.js';
import type { LoginThrottleTable } from './schema-security.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export type LoginThrottleRow = Selectable<LoginThrottleTable>;

/** Stale rows deleted per recorded failure: pruning costs each failure a bounded amount. */
const PRUNE_BATCH = 100;

export interface LoginThrottleValues {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
  forgetAt: Date;
}

export async function findLoginThrottle(
  db: Executor,
  emailHash: string,
  lock = false,
): Promise<LoginThrottleRow | undefined> {
  let query = db.selectFrom('login_throttle').selectAll().where('email_hash', '=', emailHash);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Inserts the first failure of an email; `false` when a row exists (a concurrent failure). */
export async function insertLoginThrottle(
  tx: Tx,
  emailHash: string,
  values: LoginThrottleValues,
): Promise<boolean> {
  const row = await tx
    .insertInto('login_throttle')
    .values({
      email_hash: emailHash,
      failures: values.failures,
      last_failure_at: values.lastFailureAt,
      locked_until: values.lockedUntil,
      forget_at: values.forgetAt,
    })
    .onConflict((oc) => oc.column('email_hash').doNothing())
    .returning('email_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateLoginThrottle(
  tx: Tx,
  emailHash: string,
  values: LoginThrottleValues,
): Promise<void> {
  await tx
    .updateTable('login_throttle')
    .set({
      failures: values.failures,
      last_failure_at: values.lastFailureAt,
      locked_until: values.lockedUntil,
      forget_at: values.forgetAt,
    })
    .where('email_hash', '=', emailHash)
    .execute();
}

export async function deleteLoginThrottle(tx: Tx, emailHash: string): Promise<void> {
  await tx.deleteFrom('login_throttle').where('email_hash', '=', emailHash).execute();
}

/** Deletes up to a batch of rows past `forget_at`, skipping rows another sign-in holds. */
export async function pruneLoginThrottle(tx: Tx, now: Date): Promise<number> {
  const result = await tx
    .deleteFrom('login_throttle')
    .where('email_hash', 'in', (eb) =>
      eb
        .selectFrom('login_throttle')
        .select('email_hash')
        .where('forget_at', '<', now)
        .orderBy('forget_at')
        .limit(PRUNE_BATCH)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
