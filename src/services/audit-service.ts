/**
 * Use cases of the audit log: record an event in the caller's transaction, verify the chain,
 * and read it (newest first, filtered) for the auditors.
 */
import type { Actor } from '../core/actor.js';
import {
  AuditChainVerifier,
  auditContent,
  type AuditEventInput,
  type AuditVerification,
} from '../core/audit.js';
import { authorize } from '../core/policy.js';
import { DomainError } from '../core/errors.js';
import { normalizeEmail, signedInUserOf } from '../core/identity.js';
import {
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import {
  recordAuditEvent,
  findAuditEventIdByHash,
  findAuditEventRow,
  listAuditEventRows,
  readAuditEvents,
  readAuditHead,
  type AuditEventFilter,
  type AuditEventRow,
} from '../storage/audit-repository.js';
import { findUserByEmail, findUsersByIds } from '../storage/identity-repository.js';
import type { Database } from '../storage/database.js';
import type { Tx } from '../storage/transaction.js';

/**
 * Writes the event of a command in that command's transaction, so both commit or neither; it
 * joins the chain just before COMMIT (`recordAuditEvent`), and marks a keyed request carried out.
 */
export async function recordAudit(
  tx: Tx,
  actor: Actor,
  input: AuditEventInput,
  at = new Date(),
): Promise<void> {
  await recordAuditEvent(tx, auditContent(actor, input, at));
}

export async function verifyAudit(database: Database, actor: Actor): Promise<AuditVerification> {
  const { ok, events, problems } = await verifyAuditChain(database, actor);
  return { ok, events, problems };
}

export interface AuditChainVerification extends AuditVerification {
  /** The head the walk was judged against: the last event's id and hash. */
  head: { lastId: bigint; lastHash: string };
}

/** `verifyAudit`, with the head it checked the chain against. */
export async function verifyAuditChain(
  database: Database,
  actor: Actor,
): Promise<AuditChainVerification> {
  authorize(actor, 'audit.verify');
  // Read the head first: events appended while we walk are beyond it and are not judged.
  const head = await readAuditHead(database);
  const verifier = new AuditChainVerifier((hash) => findAuditEventIdByHash(database, hash));
  for await (const event of readAuditEvents(database)) {
    if (event.id > head.lastId) break;
    await verifier.push(event);
  }
  return { ...verifier.finish(head), head };
}

// ---------------------------------------------------------------------------------------------
// Reading the log

/** Payloads (before + after) longer than this, as JSON, are left out of a list's rows. */
export const AUDIT_LIST_PAYLOAD_MAX_CHARS = 20_000;
const SUMMARY_MAX_CHARS = 160;

export interface AuditEventActor {
  /** As recorded: `user:12`, `user:12/token:3`, `system:cli:user`, `anonymous:<ip>`, `dev:…`. */
  id: string;
  /** The role it acted as (recorded with the event). */
  role: string;
  /** The signed-in user behind it, if any, as that user is now (the event records only the id). */
  userId: bigint | null;
  email: string | null;
  displayName: string | null;
  /** The user's party now (a contributor's); events do not record it. */
  partyId: string | null;
}

export interface AuditEventView {
  id: bigint;
  at: Date;
  actor: AuditEventActor;
  action: string;
  entity: string;
  entityId: string | null;
  /** A one-line JSON of the payload (after, else before), cut at 160 characters. */
  summary: string;
  /** True when the payload is too long for a list: `before`/`after` are null, read the event. */
  payloadTruncated: boolean;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditEventQuery extends PageRequest {
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  /** An actor id (`user:12`: with that user's tokens) or a user's email. */
  actor?: string | undefined;
  /** `YYYY-MM-DD` (UTC), inclusive. */
  from?: string | undefined;
  /** `YYYY-MM-DD` (UTC), inclusive. */
  to?: string | undefined;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string, field: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  if (
    !ISO_DAY.test(day) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== day
  ) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a date, YYYY-MM-DD.`, { field });
  }
  return date;
}

/** The actors an `actor` filter stands for: a user (by id or email) with its tokens, or one id. */
async function actorsOf(
  database: Database,
  actor: string,
): Promise<NonNullable<AuditEventFilter['actors']>> {
  const text = actor.trim();
  if (text.includes('@')) {
    const user = await findUserByEmail(database.kysely, normalizeEmail(text, 'actor'));
    if (!user) return [];
    return [{ exact: `user:${user.id}`, tokensPrefix: `user:${user.id}/token:` }];
  }
  const who = signedInUserOf({ id: text, role: 'system' });
  if (who && who.tokenId === undefined) {
    return [{ exact: text, tokensPrefix: `${text}/token:` }];
  }
  return [{ exact: text }];
}

function summaryOf(row: AuditEventRow): string {
  const payload = row.after ?? row.before;
  if (payload === null || payload === undefined) return '';
  const text = JSON.stringify(payload);
  return text.length > SUMMARY_MAX_CHARS ? `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…` : text;
}

async function presentEvents(
  database: Database,
  rows: AuditEventRow[],
  full: boolean,
): Promise<AuditEventView[]> {
  const userIds = new Set<bigint>();
  for (const row of rows) {
    const who = signedInUserOf({ id: row.actor, role: 'system' });
    if (who) userIds.add(who.userId);
  }
  const users = new Map(
    (await findUsersByIds(database.kysely, [...userIds])).map((user) => [user.id, user]),
  );
  return rows.map((row) => {
    const userId = signedInUserOf({ id: row.actor, role: 'system' })?.userId ?? null;
    const user = userId === null ? undefined : users.get(userId);
    const payloadChars = JSON.stringify([row.before ?? null, row.after ?? null]).length;
    const truncated = !full && payloadChars > AUDIT_LIST_PAYLOAD_MAX_CHARS;
    return {
      id: row.id,
      at: row.at,
      actor: {
        id: row.actor,
        role: row.role,
        userId,
        email: user?.email ?? null,
        displayName: user?.display_name ?? null,
        partyId: user?.party_id ?? null,
      },
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      summary: summaryOf(row),
      payloadTruncated: truncated,
      before: truncated ? null : (row.before ?? null),
      after: truncated ? null : (row.after ?? null),
      prevHash: row.prev_hash,
      hash: row.hash,
    };
  });
}

/** The log, newest first, filtered by action, entity, actor and day (UTC, both inclusive). */
export async function listAuditEvents(
  database: Database,
  actor: Actor,
  query: AuditEventQuery = {},
): Promise<Page<AuditEventView>> {
  authorize(actor, 'audit.read');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 1);
  let belowId: bigint | undefined;
  if (cursor) {
    const [id] = cursor;
    if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'cursor is not one this server issued; start again without it.',
        { field: 'cursor' },
      );
    }
    belowId = BigInt(id);
  }
  const from = query.from ? dayStart(query.from, 'from') : undefined;
  const to = query.to ? dayStart(query.to, 'to') : undefined;
  if (from && to && to < from) {
    throw new DomainError('VALIDATION_FAILED', 'to must be on or after from.', { field: 'to' });
  }
  const rows = await listAuditEventRows(database, {
    action: query.action?.trim() || undefined,
    entity: query.entity?.trim() || undefined,
    entityId: query.entityId?.trim() || undefined,
    actors: query.actor?.trim() ? await actorsOf(database, query.actor) : undefined,
    from,
    before: to ? new Date(to.getTime() + 24 * 60 * 60 * 1000) : undefined,
    belowId,
    limit,
  });
  const page = toPage(rows, limit, (row) => [row.id.toString()]);
  return { items: await presentEvents(database, page.items, false), nextCursor: page.nextCursor };
}

/** One event, its payload whole. */
export async function getAuditEvent(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<AuditEventView> {
  authorize(actor, 'audit.read');
  const row = await findAuditEventRow(database, id);
  if (!row) throw new DomainError('NOT_FOUND', `No audit event ${id}.`, { field: 'id' });
  const [event] = await presentEvents(database, [row], true);
  return event!;
}
