/**
 * One transaction per command, retried whole on a serialization failure (40001) or deadlock
 * (40P01) — and on a unique violation of an idempotency key, where the retry finds the winner's
 * row and answers from it. A retryable conflict never reaches the user as a business error:
 * after `LIMITS.transactionAttemptsMax` attempts it is `CONFLICT_RETRY_EXHAUSTED`.
 */
import type { IsolationLevel, Kysely, Transaction } from 'kysely';
import { DomainError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Database } from './database.js';
import { deferAuditEvents, flushAuditEvents } from './audit-repository.js';
import type { Schema } from './schema.js';

export type Tx = Transaction<Schema>;

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
/** Unique constraints whose violation means "a concurrent request with the same key won". */
const RETRYABLE_UNIQUE_CONSTRAINTS = new Set([
  'ledger_transfer_idempotency_key_key',
  'ledger_account_reference_key',
  // two packages created at once drew the same next number: the retry draws again
  'package_number_key',
]);

export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  if (state && RETRYABLE_SQLSTATES.has(state)) return true;
  if (state === '23505') {
    const constraint = (error as { constraint?: unknown }).constraint;
    return typeof constraint === 'string' && RETRYABLE_UNIQUE_CONSTRAINTS.has(constraint);
  }
  return false;
}

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** Called before each retry, with the attempt number (1-based) that failed. */
  onRetry?: (attempt: number, error: unknown) => void;
}

export async function inTransaction<T>(
  database: Database | Kysely<Schema>,
  /** The command; `attempt` is 1 on the first try, higher on a retry after a conflict. */
  fn: (tx: Tx, attempt: number) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const kysely = 'kysely' in database ? database.kysely : database;
  for (let attempt = 1; ; attempt++) {
    try {
      let builder = kysely.transaction();
      if (options.isolation) builder = builder.setIsolationLevel(options.isolation);
      return await builder.execute(async (tx) => {
        deferAuditEvents(tx);
        const result = await fn(tx, attempt);
        // The command's audit events join the chain last, just before COMMIT.
        await flushAuditEvents(tx);
        return result;
      });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= LIMITS.transactionAttemptsMax) {
        throw new DomainError('CONFLICT_RETRY_EXHAUSTED', undefined, {
          attempts: attempt,
          sqlState: sqlState(error),
        });
      }
      options.onRetry?.(attempt, error);
      // Full jitter, growing with the attempt, capped at ~100 ms.
      const capMs = Math.min(100, 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * capMs));
    }
  }
}
