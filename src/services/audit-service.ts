/**
 * Use cases of the audit log: record an event in the caller's transaction, verify the chain.
 */
import type { Actor } from '../core/actor.js';
import {
  AuditChainVerifier,
  auditContent,
  type AuditEventInput,
  type AuditVerification,
} from '../core/audit.js';
import { authorize } from '../core/policy.js';
import {
  appendAuditEvent,
  findAuditEventIdByHash,
  readAuditEvents,
  readAuditHead,
} from '../storage/audit-repository.js';
import type { Database } from '../storage/database.js';
import type { Tx } from '../storage/transaction.js';

/** Writes the event of a command, inside that command's transaction. */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditEventInput, at = new Date()) {
  return appendAuditEvent(tx, auditContent(actor, input, at));
}

export async function verifyAudit(database: Database, actor: Actor): Promise<AuditVerification> {
  authorize(actor, 'audit.verify');
  // Read the head first: events appended while we walk are beyond it and are not judged.
  const head = await readAuditHead(database);
  const verifier = new AuditChainVerifier((hash) => findAuditEventIdByHash(database, hash));
  for await (const event of readAuditEvents(database)) {
    if (event.id > head.lastId) break;
    await verifier.push(event);
  }
  return verifier.finish(head);
}
