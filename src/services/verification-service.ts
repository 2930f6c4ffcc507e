/**
 * The integrity check an auditor runs from the web application: the audit chain (always) and
 * the ledger (when the caller may `ledger.verify` — the auditor may both), in one answer. The
 * CLI's `purl audit verify` and `purl ledger verify` run the same two checks.
 */
import type { Actor } from '../core/actor.js';
import type { AuditProblem } from '../core/audit.js';
import { authorize, isAllowed } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import { verifyAuditChain } from './audit-service.js';
import { verifyLedger } from './ledger-service.js';

/** Problems listed in the answer (the count says how many there are in all). */
const PROBLEMS_SHOWN_MAX = 20;

export interface RecordsVerification {
  ok: boolean;
  checkedAt: Date;
  audit: {
    ok: boolean;
    events: number;
    headId: bigint;
    headHash: string;
    problemCount: number;
    /** The first problems, in chain order: the first is the first broken event. */
    problems: AuditProblem[];
  };
  /** Null when the caller may not verify the ledger. */
  ledger: {
    ok: boolean;
    ledgers: number;
    unbalancedLedgers: string[];
    mismatches: number;
    inconsistencies: number;
  } | null;
}

export async function verifyRecords(
  database: Database,
  actor: Actor,
  now = new Date(),
): Promise<RecordsVerification> {
  authorize(actor, 'audit.verify');
  const chain = await verifyAuditChain(database, actor);
  const mayVerifyLedger = isAllowed(actor, 'ledger.verify');
  const ledger = mayVerifyLedger ? await verifyLedger(database, actor) : null;
  return {
    ok: chain.ok && (ledger?.ok ?? true),
    checkedAt: now,
    audit: {
      ok: chain.ok,
      events: chain.events,
      headId: chain.head.lastId,
      headHash: chain.head.lastHash,
      problemCount: chain.problems.length,
      problems: chain.problems.slice(0, PROBLEMS_SHOWN_MAX),
    },
    ledger: ledger
      ? {
          ok: ledger.ok,
          ledgers: ledger.ledgers.length,
          unbalancedLedgers: ledger.ledgers.filter((l) => !l.balanced).map((l) => l.ledger),
          mismatches: ledger.mismatches.length,
          inconsistencies: ledger.inconsistencies.length,
        }
      : null,
  };
}
