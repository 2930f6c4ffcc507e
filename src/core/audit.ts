/**
 * The audit chain's rules, pure. An event's hash is SHA-256 over the previous event's hash
 * followed by the event's canonical JSON (`auditContent`); the first event follows 64 zeros.
 * The database computes the same hash when it appends (one statement, under the head's lock);
 * `verifyAuditChain` recomputes it here, so the two must stay byte-for-byte the same.
 */
import { createHash } from 'node:crypto';
import type { Actor } from './actor.js';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  entity: string;
  entityId?: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEventContent {
  at: string;
  actor: string;
  role: string;
  entity: string;
  entityId: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

export function auditContent(actor: Actor, input: AuditEventInput, at: Date): AuditEventContent {
  return {
    at: at.toISOString(),
    actor: actor.id,
    role: actor.role,
    entity: input.entity,
    entityId: input.entityId ?? null,
    action: input.action,
    before: input.before ?? null,
    after: input.after ?? null,
  };
}

export function auditHash(prevHash: string, content: AuditEventContent): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(content), 'utf8')
    .digest('hex');
}

export interface StoredAuditEvent {
  id: bigint;
  content: AuditEventContent;
  prevHash: string;
  hash: string;
}

export type AuditProblem =
  | { id: bigint; problem: 'edited'; message: string }
  | { id: bigint; problem: 'reordered'; message: string }
  | { id: bigint; problem: 'deleted'; message: string };

export interface AuditVerification {
  ok: boolean;
  events: number;
  problems: AuditProblem[];
}

/**
 * Walks the events in id order, one page at a time (the chain can be millions of events long).
 * An event whose hash does not match its own content was edited; one whose content is intact
 * but whose previous hash belongs to another event of the chain was moved (reordered); one
 * whose previous hash matches no event, or a gap in the ids, means events were deleted. The
 * head (last id and hash) catches a deletion at the end. `locate` finds which event owns a
 * hash; it is only called when something is already wrong.
 */
export class AuditChainVerifier {
  private readonly problems: AuditProblem[] = [];
  /** Events found out of place: an event chained after one of them is not blamed again. */
  private readonly moved = new Set<bigint>();
  private previousHash = GENESIS_HASH;
  private expectedId = 1n;
  private lastId = 0n;
  private count = 0;

  constructor(private readonly locate: (hash: string) => Promise<bigint | undefined>) {}

  async push(e: StoredAuditEvent): Promise<void> {
    this.count++;
    const recomputed = auditHash(e.prevHash, e.content);
    if (recomputed !== e.hash) {
      this.problems.push({
        id: e.id,
        problem: 'edited',
        message: `event ${e.id} was edited: its hash does not match its content`,
      });
    } else if (e.prevHash !== this.previousHash) {
      const owner = await this.locate(e.prevHash);
      if (owner !== undefined && this.moved.has(owner)) {
        // Intact, and chained after an event already reported as moved: that move explains it.
      } else if (owner !== undefined && owner !== e.id) {
        this.moved.add(e.id);
        this.problems.push({
          id: e.id,
          problem: 'reordered',
          message: `event ${e.id} is out of order: it was chained after event ${owner}`,
        });
      } else {
        this.problems.push({
          id: e.id,
          problem: 'deleted',
          message: `event(s) before ${e.id} were deleted: its previous hash matches no event`,
        });
      }
    } else if (e.id !== this.expectedId) {
      this.problems.push({
        id: e.id,
        problem: 'deleted',
        message: `events ${this.expectedId}..${e.id - 1n} are missing`,
      });
    }
    this.previousHash = e.hash;
    this.expectedId = e.id + 1n;
    this.lastId = e.id;
  }

  finish(head: { lastId: bigint; lastHash: string }): AuditVerification {
    if (head.lastId !== this.lastId || head.lastHash !== this.previousHash) {
      this.problems.push({
        id: head.lastId,
        problem: 'deleted',
        message: `the chain ends at event ${this.lastId} but its head records event ${head.lastId}: events at the end were deleted or the head was altered`,
      });
    }
    return { ok: this.problems.length === 0, events: this.count, problems: this.problems };
  }
}
