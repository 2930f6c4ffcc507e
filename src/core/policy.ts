/**
 * The one declared policy table: which roles may call which operation. Services call
 * `authorize` first thing; a denial is a `FORBIDDEN` DomainError (HTTP 403) naming the operation.
 * Party-scoped rules (a contributor's own records) are checked by the service on top of this.
 */
import type { Actor, Role } from './actor.js';
import { DomainError } from './errors.js';

/** Every role, the CLI's `system` included. */
const EVERYONE = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'admin',
  'system',
] as const;
/** Who reads operational records: everyone but the administrators (no operational reads). */
const OPERATIONAL_READERS = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'system',
] as const;
/** Every role a person signs in with (not the CLI's `system`). */
const SIGNED_IN_PEOPLE = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'admin',
] as const;

export const POLICY = {
  'ledger.account.create': ['coordinator', 'supplier', 'system'],
  'ledger.transfer.create': ['coordinator', 'supplier', 'system'],
  'ledger.read': ['coordinator', 'supplier', 'auditor', 'system'],
  'ledger.verify': ['coordinator', 'auditor', 'admin', 'system'],
  'audit.read': ['auditor', 'system'],
  'audit.verify': ['auditor', 'admin', 'system'],
  'fx.import': ['admin', 'system'],
  // Reference data
  'reference.read': EVERYONE,
  'reference.write': ['admin', 'system'],
  // Requirement lists
  'requirements.read': OPERATIONAL_READERS,
  'requirements.write': ['recipient', 'system'],
  'requirements.validate': ['validator', 'system'],
  'requirements.approve': ['recipient', 'coordinator', 'supplier', 'system'],
  'requirements.close': ['coordinator', 'system'],
  'requirements.withdraw': ['recipient', 'coordinator', 'system'],
  // Contributions
  'contributions.read': OPERATIONAL_READERS,
  'contributions.write': ['coordinator', 'contributor', 'system'],
  'contributions.confirm_payment': ['coordinator', 'contributor', 'system'],
  // Packages and allocations
  'packages.read': OPERATIONAL_READERS,
  'packages.write': ['coordinator', 'system'],
  'packages.allocate': ['coordinator', 'system'],
  'packages.authorize': ['supplier', 'system'],
  'packages.disburse': ['coordinator', 'supplier', 'system'],
  'packages.close': ['coordinator', 'system'],
  'shipments.write': ['supplier', 'system'],
  'receipts.write': ['recipient', 'system'],
  'discrepancies.resolve': ['coordinator', 'supplier', 'system'],
  // The allocation planner: plans show every donor's available money and unit costs.
  'plans.compute': ['coordinator', 'system'],
  'plans.accept': ['coordinator', 'system'],
  // Meetings (UDCG and ministerials) and their announcements
  'meetings.read': OPERATIONAL_READERS,
  'meetings.write': ['coordinator', 'system'],
  // Public figures: a coordinator publishes a snapshot of totals (anyone may read the latest,
  // a route of its own without an operation); the history is for coordinators and auditors.
  'public.publish': ['coordinator', 'system'],
  'public.history': ['coordinator', 'auditor', 'system'],
  // Identity: users are administered by admins; every signed-in user manages its own sessions
  // and API tokens (the services scope those to the caller's own).
  'users.manage': ['admin', 'system'],
  'sessions.manage': SIGNED_IN_PEOPLE,
  'tokens.manage': SIGNED_IN_PEOPLE,
  'fx.read': EVERYONE,
  // Analyses, exports and the meeting briefing: every operational reader (redaction applies
  // to every figure's drill-down); importing reference indicators (GDP, population, Kiel).
  'analytics.read': OPERATIONAL_READERS,
  'reports.read': OPERATIONAL_READERS,
  'indicators.import': ['admin', 'system'],
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof POLICY;

export function isAllowed(actor: Actor, operation: Operation): boolean {
  return (POLICY[operation] as readonly Role[]).includes(actor.role);
}

/** The operations that change nothing: all a read-only token may do. */
export const READ_OPERATIONS: ReadonlySet<Operation> = new Set(
  (Object.keys(POLICY) as Operation[]).filter(
    (op) => op.endsWith('.read') || op.endsWith('.verify') || op === 'public.history',
  ),
);

/** Every operation `actor` may perform, as `authorize` decides: what a client may offer. */
export function allowedOperations(actor: Actor): Operation[] {
  return (Object.keys(POLICY) as Operation[]).filter(
    (op) => isAllowed(actor, op) && (!actor.readOnly || READ_OPERATIONS.has(op)),
  );
}

export function authorize(actor: Actor, operation: Operation): void {
  if (actor.readOnly && !READ_OPERATIONS.has(operation)) {
    throw new DomainError('FORBIDDEN', `A read-only token may not ${operation}.`, {
      operation,
      role: actor.role,
      readOnly: true,
    });
  }
  if (!isAllowed(actor, operation)) {
    throw new DomainError('FORBIDDEN', `Role ${actor.role} may not ${operation}.`, {
      operation,
      role: actor.role,
    });
  }
}
