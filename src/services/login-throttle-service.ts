/**
 * The sign-in lockout with back-off (rules: `core/login-throttle.ts`), kept in the database so
 * every app server agrees. `login` (identity-service) asks `loginLockRemainingMs` before it
 * checks a password, records each failure with `recordLoginFailure` and clears the count on
 * success with `clearLoginFailures` — both in the transaction of the sign-in's audit event.
 *
 * Keyed by the SHA-256 of the normalised email, whether or not a user has it: a lockout says
 * nothing about which accounts exist.
 */
import { createHash } from 'node:crypto';
import {
  afterLoginFailure,
  lockRemainingMs,
  type LoginThrottleState,
  type LoginThrottleUpdate,
} from '../core/login-throttle.js';
import type { Database } from '../storage/database.js';
import {
  deleteLoginThrottle,
  findLoginThrottle,
  insertLoginThrottle,
  pruneLoginThrottle,
  updateLoginThrottle,
  type LoginThrottleRow,
} from '../storage/login-throttle-repository.js';
import type { Tx } from '../storage/transaction.js';

/** The key of an email (already trimmed and lower-cased by the caller). */
export function loginThrottleKey(email: string): string {
  return createHash('sha256').update(`purl-login:${email}`, 'utf8').digest('hex');
}

function toState(row: LoginThrottleRow | undefined): LoginThrottleState | undefined {
  return row
    ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
    : undefined;
}

/** Milliseconds sign-in with this email stays locked (0 when it is not). */
export async function loginLockRemainingMs(
  database: Database,
  email: string,
  now: Date,
): Promise<number> {
  const row = await findLoginThrottle(database.kysely, loginThrottleKey(email));
  return lockRemainingMs(toState(row), now);
}

/** Counts one failed sign-in (in the caller's transaction); returns the new state. */
export async function recordLoginFailure(
  tx: Tx,
  email: string,
  now: Date,
): Promise<LoginThrottleUpdate> {
  const key = loginThrottleKey(email);
  await pruneLoginThrottle(tx, now);
  let row = await findLoginThrottle(tx, key, true);
  if (!row) {
    const first = afterLoginFailure(undefined, now);
    if (await insertLoginThrottle(tx, key, first)) return first;
    // A concurrent failure inserted it first (and has committed): count on top of it.
    row = await findLoginThrottle(tx, key, true);
  }
  const next = afterLoginFailure(toState(row), now);
  await updateLoginThrottle(tx, key, next);
  return next;
}

/** A successful sign-in forgets the failures of its email. */
export async function clearLoginFailures(tx: Tx, email: string): Promise<void> {
  await deleteLoginThrottle(tx, loginThrottleKey(email));
}
