/**
 * Field-level redaction: the one rule of who may see the restricted fields of which record.
 * Pure; the services call it from their presentation functions (every record leaves a service
 * through one), so the rule holds for the API, the CLI and anything else that calls a service.
 *
 * A redacted field is never silently missing: it is replaced by `{ redacted: true }`.
 *
 * | record                  | restricted fields                                   | seen by |
 * | ----------------------- | --------------------------------------------------- | ------- |
 * | package line            | description, unitPriceMinor, lineTotalMinor         | coordinator, recipient, supplier, auditor; a contributor whose party funds the package |
 * | requirement item        | description, justification, estimatedUnitCostUsdMinor | coordinator, recipient, validator, supplier, auditor; a contributor whose party funds a package holding the item |
 * | contribution            | internalNote                                        | coordinator, auditor; a contributor of the donor party |
 *
 * "Funds": the party's contribution has an allocation to the package that is not voided.
 * Decisions:
 * - The validator sees requirement items (it validates them) but not priced package contents:
 *   PRODUCT.md names coordinator, recipient, supplier, auditor and funding donors only.
 * - A requirement item's estimated unit cost is a unit price (PRODUCT.md: "unit prices" are
 *   restricted), and it is the default price of the package line made from it: redacting one
 *   without the other would leak it.
 * - Package totals (price, funded, gap, disbursed) stay visible: donors need them to fund.
 * - `admin` sees no contents (it has no operational reads at all); `system` (the CLI) sees all.
 */
import type { Actor, Role } from './actor.js';

/** What a restricted field becomes for a reader who may not see it. */
export interface Redacted {
  redacted: true;
}

/** A restricted field as it leaves a service: the value, or `{ redacted: true }`. */
export type Restricted<T> = T | Redacted;

export const REDACTED: Readonly<Redacted> = Object.freeze({ redacted: true });

export function isRedacted(value: unknown): value is Redacted {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { redacted?: unknown }).redacted === true &&
    Object.keys(value).length === 1
  );
}

/** The kinds of record with restricted fields. */
export type RestrictedRecordKind = 'package' | 'requirement_item' | 'contribution';

/** The restricted fields of each kind (package: of each of its lines). */
export const RESTRICTED_FIELDS = {
  package: ['description', 'unitPriceMinor', 'lineTotalMinor'],
  requirement_item: ['description', 'justification', 'estimatedUnitCostUsdMinor'],
  contribution: ['internalNote'],
} as const satisfies Record<RestrictedRecordKind, readonly string[]>;

/** Roles that see the restricted fields of every record of a kind. */
export const RESTRICTED_FIELD_READERS = {
  package: ['coordinator', 'recipient', 'supplier', 'auditor', 'system'],
  requirement_item: ['coordinator', 'recipient', 'validator', 'supplier', 'auditor', 'system'],
  contribution: ['coordinator', 'auditor', 'system'],
} as const satisfies Record<RestrictedRecordKind, readonly Role[]>;

/** The parties a record belongs to, as far as the rule needs them. */
export interface RecordParties {
  /**
   * package: parties with a non-voided allocation to it; requirement item: parties with a
   * non-voided allocation to a package holding a line of it.
   */
  fundingParties?: readonly string[];
  /** contribution: the donor party. */
  ownerParty?: string;
}

/**
 * Whether the answer for this actor depends on the record's parties. When it does not, a
 * service need not look them up (most readers: the role alone decides).
 */
export function dependsOnParties(actor: Actor, kind: RestrictedRecordKind): boolean {
  return (
    !(RESTRICTED_FIELD_READERS[kind] as readonly Role[]).includes(actor.role) &&
    actor.role === 'contributor' &&
    actor.partyId !== undefined
  );
}

/** May `actor` see the restricted fields of this record? */
export function maySeeRestricted(
  actor: Actor,
  kind: RestrictedRecordKind,
  parties: RecordParties = {},
): boolean {
  if ((RESTRICTED_FIELD_READERS[kind] as readonly Role[]).includes(actor.role)) return true;
  if (actor.role !== 'contributor' || actor.partyId === undefined) return false;
  switch (kind) {
    case 'package':
    case 'requirement_item':
      return (parties.fundingParties ?? []).includes(actor.partyId);
    case 'contribution':
      return parties.ownerParty === actor.partyId;
  }
}

/**
 * `record` with each of `fields` replaced by `{ redacted: true }` unless `visible`. The result
 * type says which fields may be redacted.
 */
export function redactFields<T extends object, K extends keyof T>(
  record: T,
  fields: readonly K[],
  visible: boolean,
): Omit<T, K> & { [P in K]: Restricted<T[P]> } {
  if (visible) return record;
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) copy[field as string] = { ...REDACTED };
  return copy as Omit<T, K> & { [P in K]: Restricted<T[P]> };
}
