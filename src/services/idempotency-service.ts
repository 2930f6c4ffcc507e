/**
 * Idempotent creating calls. A client sends `Idempotency-Key: <key>` with a POST; the first
 * request reserves the key for (caller, route), its response is stored, and a retry with the
 * same body gets the stored response — the command runs once. The same key with another body
 * is `IDEMPOTENCY_CONFLICT`; a retry while the first is still running is
 * `IDEMPOTENCY_IN_PROGRESS`. A request that fails transiently releases its key. A command's
 * transactions mark its key `committed` as they commit, so a retry after a crash between the
 * commit and the stored answer is `IDEMPOTENCY_ANSWER_LOST` (with the record's entity and id),
 * never a second run.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../core/actor.js';
import { canonicalJson } from '../core/canonical-json.js';
import { DomainError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Database } from '../storage/database.js';
import {
  completeIdempotencyKey,
  deleteReservationsInProgress,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  runWithIdempotencyClaim,
} from '../storage/idempotency-repository.js';

/**
 * Runs a keyed request's command (`fn`, and everything it starts) so that each transaction it
 * commits also marks the key carried out: a server that dies after the commit and before the
 * answer is stored leaves `IDEMPOTENCY_ANSWER_LOST` for the retry, never a second run.
 */
export { runWithIdempotencyClaim };

/** A reservation older than this, never completed, belonged to a server that died. */
export const IDEMPOTENCY_STALE_SECONDS = 60;

export interface IdempotencyClaim {
  scope: string;
  key: string;
}

export type IdempotencyOutcome =
  { kind: 'run'; claim: IdempotencyClaim } | { kind: 'replay'; status: number; response: unknown };

export function checkIdempotencyKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > LIMITS.idempotencyKeyMaxChars ||
    !/^[\x21-\x7e]+$/.test(key)
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Idempotency-Key must be 1 to ${LIMITS.idempotencyKeyMaxChars} visible ASCII characters.`,
      {
        field: 'headers.idempotency-key',
      },
    );
  }
}

export async function claimIdempotencyKey(
  database: Database,
  actor: Actor,
  route: string,
  key: string,
  body: unknown,
): Promise<IdempotencyOutcome> {
  checkIdempotencyKey(key);
  const scope = `${actor.role}:${actor.partyId ?? ''}:${actor.id} ${route}`;
  const requestHash = createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');
  const existing = await reserveIdempotencyKey(
    database,
    scope,
    key,
    requestHash,
    IDEMPOTENCY_STALE_SECONDS,
  );
  if (existing === null) return { kind: 'run', claim: { scope, key } };
  if (existing.requestHash !== requestHash) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', undefined, { field: 'headers.idempotency-key' });
  }
  if (existing.state === 'committed') {
    // The command committed, and its server stopped before the answer was stored.
    throw new DomainError('IDEMPOTENCY_ANSWER_LOST', undefined, {
      field: 'headers.idempotency-key',
      entity: existing.committedEntity,
      entityId: existing.committedEntityId,
    });
  }
  if (existing.state !== 'done' || existing.status === null) {
    throw new DomainError('IDEMPOTENCY_IN_PROGRESS', undefined, {
      field: 'headers.idempotency-key',
    });
  }
  return { kind: 'replay', status: existing.status, response: existing.response };
}

/** Stores the answer (2xx, and 4xx that the same request would get again), or releases the key. */
export async function settleIdempotencyKey(
  database: Database,
  claim: IdempotencyClaim,
  status: number,
  response: unknown,
): Promise<void> {
  const repeatable =
    (status >= 200 && status < 300) ||
    (status >= 400 && status < 500 && ![408, 409, 412, 429].includes(status));
  if (repeatable) await completeIdempotencyKey(database, claim.scope, claim.key, status, response);
  else await releaseIdempotencyKey(database, claim.scope, claim.key);
}

/**
 * At the start of the one process that owns a PGlite data folder, every reservation still in
 * progress belonged to a process that died (kill -9, power loss): none of their commands
 * committed (a committed one is marked `committed`), so their keys are freed at once — a client
 * retrying after the restart runs its request instead of waiting IDEMPOTENCY_STALE_SECONDS.
 * PostgreSQL is shared by several servers: there the reservations lapse with time.
 */
export async function releaseOrphanedReservations(database: Database): Promise<number> {
  if (database.engine !== 'pglite') return 0;
  return deleteReservationsInProgress(database);
}
