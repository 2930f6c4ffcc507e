/** SQL of the Idempotency-Key store (table `http_idempotency`). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Database } from './database.js';
import type { Tx } from './transaction.js';

export interface IdempotencyRecord {
  requestHash: string;
  state: 'in_progress' | 'committed' | 'done';
  status: number | null;
  response: unknown;
  /** The entity the command's first audit event named, once it committed. */
  committedEntity: string | null;
  committedEntityId: string | null;
}

/** The reservation the current request holds, for the transactions its command runs. */
const claimInScope = new AsyncLocalStorage<{ scope: string; key: string }>();

/** Runs `fn` (and everything it starts) as the command of a reserved key. */
export function runWithIdempotencyClaim<T>(claim: { scope: string; key: string }, fn: () => T): T {
  return claimInScope.run(claim, fn);
}

/**
 * Inside a transaction that writes (called as its audit events are appended): marks the
 * reserved key of the current request `committed`, so the mark commits — or rolls back — with
 * the write itself. Outside a keyed request it does nothing.
 */
export async function markIdempotencyCommitted(
  tx: Tx,
  entity: string,
  entityId: string | null,
): Promise<void> {
  const claim = claimInScope.getStore();
  if (!claim) return;
  await tx
    .updateTable('http_idempotency')
    .set({ state: 'committed', committed_entity: entity, committed_entity_id: entityId })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .where('state', '=', 'in_progress')
    .execute();
}

/**
 * Reserves the key unless it exists; a reservation older than `staleSeconds` that never finished
 * (its server died) is taken over. Returns null when this call holds the reservation, else the
 * existing record.
 */
export async function reserveIdempotencyKey(
  database: Database,
  scope: string,
  key: string,
  requestHash: string,
  staleSeconds: number,
): Promise<IdempotencyRecord | null> {
  const inserted = await sql<{ key: string }>`
    INSERT INTO http_idempotency (scope, key, request_hash, state) VALUES (${scope}, ${key}, ${requestHash}, 'in_progress')
    ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
      WHERE http_idempotency.state = 'in_progress'
        AND http_idempotency.created_at < now() - make_interval(secs => ${staleSeconds})
    RETURNING key`.execute(database.kysely);
  if (inserted.rows.length > 0) return null;
  const row = await database.kysely
    .selectFrom('http_idempotency')
    .select([
      'request_hash',
      'state',
      'status',
      'response',
      'committed_entity',
      'committed_entity_id',
    ])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return reserveIdempotencyKey(database, scope, key, requestHash, staleSeconds);
  return {
    requestHash: row.request_hash,
    state: row.state,
    status: row.status,
    response: row.response,
    committedEntity: row.committed_entity,
    committedEntityId: row.committed_entity_id,
  };
}

export async function completeIdempotencyKey(
  database: Database,
  scope: string,
  key: string,
  status: number,
  response: unknown,
) {
  await database.kysely
    .updateTable('http_idempotency')
    .set({ state: 'done', status, response: JSON.stringify(response) })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(database: Database, scope: string, key: string) {
  await database.kysely
    .deleteFrom('http_idempotency')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('state', '=', 'in_progress')
    .execute();
}

/** Deletes every reservation still in progress; returns how many (see the service). */
export async function deleteReservationsInProgress(database: Database): Promise<number> {
  const result = await database.kysely
    .deleteFrom('http_idempotency')
    .where('state', '=', 'in_progress')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
