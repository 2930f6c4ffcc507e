/** SQL of the Idempotency-Key store (table `http_idempotency`). */
import { sql } from 'kysely';
import type { Database } from './database.js';

export interface IdempotencyRecord {
  requestHash: string;
  state: 'in_progress' | 'done';
  status: number | null;
  response: unknown;
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
    .select(['request_hash', 'state', 'status', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return reserveIdempotencyKey(database, scope, key, requestHash, staleSeconds);
  return {
    requestHash: row.request_hash,
    state: row.state,
    status: row.status,
    response: row.response,
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
