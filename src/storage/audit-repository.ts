/**
 * Appends to and reads the audit chain. `appendAuditEvent` runs inside the caller's transaction:
 * one statement locks the head, inserts the event with id = last + 1 and its hash computed by
 * the database (SHA-256 of previous hash || canonical JSON), and moves the head.
 */
import { sql } from 'kysely';
import type { AuditEventContent, StoredAuditEvent } from '../core/audit.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { Database } from './database.js';
import { markIdempotencyCommitted } from './idempotency-repository.js';
import type { Tx } from './transaction.js';

/**
 * The event's canonical JSON (`canonicalJson(content)`, what the hash covers) in five pieces:
 * `head + after + middle + before + tail`. Each payload is encoded once and sent once: the same
 * text is the jsonb column's value (canonical JSON is JSON; jsonb keeps the same value whatever
 * the key order) and, between the small pieces, the hashed text. An import's event lists every
 * row it created (about 12 MB for 100,000 rows): encoding it three times and sending it twice
 * cost seconds. The keys are written in canonicalJson's order (code point), which a test holds
 * against `canonicalJson(content)`.
 */
export function auditEventPieces(content: AuditEventContent): {
  head: string;
  after: string;
  middle: string;
  before: string;
  tail: string;
} {
  const json = (value: unknown) => canonicalJson(value);
  return {
    head: `{"action":${json(content.action)},"actor":${json(content.actor)},"after":`,
    after: json(content.after),
    middle: `,"at":${json(content.at)},"before":`,
    before: json(content.before),
    tail:
      `,"entity":${json(content.entity)},"entityId":${json(content.entityId)},` +
      `"role":${json(content.role)}}`,
  };
}

/** Events of the transactions `inTransaction` runs, appended when their command is done. */
const queued = new WeakMap<Tx, AuditEventContent[]>();

/**
 * Called by `inTransaction` before the command: the events it records are queued and appended to
 * the chain by `flushAuditEvents` after the command, just before COMMIT. The chain's head is one
 * row every writer locks: taken last, it is held for the append alone, and a transaction holding
 * it never waits for another lock (an account, a package) that a transaction queued behind it
 * holds — the deadlock the soak found when events were appended mid-command.
 */
export function deferAuditEvents(tx: Tx): void {
  queued.set(tx, []);
}

/**
 * Records an event of the transaction's command: queued when `inTransaction` runs it (see
 * `deferAuditEvents`), appended at once in any other transaction — never lost either way.
 */
export async function recordAuditEvent(tx: Tx, content: AuditEventContent): Promise<void> {
  const events = queued.get(tx);
  if (events) events.push(content);
  else await appendAuditEvents(tx, [content]);
}

/** Appends the transaction's queued events, in the order recorded. */
export async function flushAuditEvents(tx: Tx): Promise<void> {
  const events = queued.get(tx);
  queued.delete(tx);
  if (events && events.length > 0) await appendAuditEvents(tx, events);
}

/**
 * Appends the events, then — the transaction now writes something — marks the Idempotency-Key of
 * the request it serves (if any) `committed`, naming the first event's record: the mark commits
 * or rolls back with the write itself.
 */
async function appendAuditEvents(tx: Tx, events: readonly AuditEventContent[]): Promise<void> {
  for (const content of events) await appendAuditEvent(tx, content);
  const first = events[0]!;
  await markIdempotencyCommitted(tx, first.entity, first.entityId);
}

export async function appendAuditEvent(
  tx: Tx,
  content: AuditEventContent,
): Promise<{ id: bigint; hash: string }> {
  // An absent payload is recorded as JSON null, as `auditContent` gives it; canonicalJson would
  // leave the key out of the hashed text, so such content is normalised first.
  const pieces = auditEventPieces({
    ...content,
    before: content.before === undefined ? null : content.before,
    after: content.after === undefined ? null : content.after,
  });
  const result = await sql<{ id: bigint; hash: string }>`
    WITH head AS (
      SELECT last_id, last_hash FROM audit_head WHERE singleton FOR UPDATE
    ), payload AS (
      SELECT ${pieces.before}::text AS before, ${pieces.after}::text AS after
    ), event AS (
      INSERT INTO audit_event (id, at, actor, role, entity, entity_id, action, before, after, prev_hash, hash)
      SELECT head.last_id + 1, ${content.at}::timestamptz, ${content.actor}, ${content.role}, ${content.entity},
             ${content.entityId}, ${content.action}, payload.before::jsonb, payload.after::jsonb,
             head.last_hash,
             encode(sha256(convert_to(head.last_hash || ${pieces.head}::text || payload.after
                                      || ${pieces.middle}::text || payload.before
                                      || ${pieces.tail}::text, 'UTF8')), 'hex')
      FROM head, payload
      RETURNING id, hash
    )
    UPDATE audit_head SET last_id = event.id, last_hash = event.hash,
           table_versions = purl_audit_touched(audit_head.table_versions, event.id)
    FROM event WHERE audit_head.singleton
    RETURNING event.id, event.hash`.execute(tx);
  const row = result.rows[0];
  if (!row) throw new Error('audit chain head is missing: run `purl db migrate`');
  return row;
}

export interface AuditEventRow {
  id: bigint;
  at: Date;
  actor: string;
  role: string;
  entity: string;
  entity_id: string | null;
  action: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export function toStoredAuditEvent(row: AuditEventRow): StoredAuditEvent {
  return {
    id: row.id,
    prevHash: row.prev_hash,
    hash: row.hash,
    content: {
      at: row.at.toISOString(),
      actor: row.actor,
      role: row.role,
      entity: row.entity,
      entityId: row.entity_id,
      action: row.action,
      before: row.before,
      after: row.after,
    },
  };
}

/** Reads the chain in id order, a page at a time. */
export async function* readAuditEvents(
  database: Database,
  pageSize = 5_000,
): AsyncGenerator<StoredAuditEvent> {
  let after = 0n;
  for (;;) {
    const rows = await database.kysely
      .selectFrom('audit_event')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield toStoredAuditEvent(row as AuditEventRow);
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}

export async function readAuditHead(
  database: Database,
): Promise<{ lastId: bigint; lastHash: string }> {
  const head = await database.kysely
    .selectFrom('audit_head')
    .select(['last_id', 'last_hash'])
    .executeTakeFirstOrThrow();
  return { lastId: head.last_id, lastHash: head.last_hash };
}

export async function findAuditEventIdByHash(
  database: Database,
  hash: string,
): Promise<bigint | undefined> {
  const row = await database.kysely
    .selectFrom('audit_event')
    .select('id')
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row?.id;
}

export interface AuditEventFilter {
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  /** Events of these actors: each an exact actor id, or a prefix ending in `/` (its tokens). */
  actors?: readonly { exact: string; tokensPrefix?: string }[] | undefined;
  /** `at` on or after. */
  from?: Date | undefined;
  /** `at` strictly before. */
  before?: Date | undefined;
  /** Ids below this one (the cursor: newest first). */
  belowId?: bigint | undefined;
  limit: number;
}

/** A page of events, newest first (id descending), `limit + 1` rows (`toPage` drops the extra). */
export async function listAuditEventRows(
  database: Database,
  f: AuditEventFilter,
): Promise<AuditEventRow[]> {
  let query = database.kysely
    .selectFrom('audit_event')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.entity) query = query.where('entity', '=', f.entity);
  if (f.entityId) query = query.where('entity_id', '=', f.entityId);
  if (f.from) query = query.where('at', '>=', f.from);
  if (f.before) query = query.where('at', '<', f.before);
  if (f.belowId !== undefined) query = query.where('id', '<', f.belowId);
  const actors = f.actors;
  if (actors) {
    query = query.where((eb) =>
      eb.or(
        actors.flatMap((a) => [
          eb('actor', '=', a.exact),
          ...(a.tokensPrefix ? [eb('actor', 'like', `${a.tokensPrefix}%`)] : []),
        ]),
      ),
    );
  }
  return (await query.execute()) as AuditEventRow[];
}

export async function findAuditEventRow(
  database: Database,
  id: bigint,
): Promise<AuditEventRow | undefined> {
  return (await database.kysely
    .selectFrom('audit_event')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as AuditEventRow | undefined;
}
