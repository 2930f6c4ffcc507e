/**
 * Requirement lists, pure: the state machine, the joint approval, item rules, priority ranks
 * and totals. Services call these before writing; the migration (0005) holds what a row or a
 * unique index can hold again.
 *
 * A list is one per cycle (month, `YYYY-MM`):
 *
 *   draft ──submit──▶ submitted ──validate──▶ validated ──approve×3──▶ approved ──close──▶ closed
 *     └──────────────────┴────────────withdraw─────┴──▶ withdrawn
 *
 * - Items are added, edited, removed and reordered only in `draft`; `submit` needs one item.
 * - While `submitted`, the validator may set an item's approved quantity (0 or more; the
 *   requested quantity is kept beside it). `validate` sets every approved quantity still unset to
 *   the requested quantity — the validator only edits the exceptions, and the audit event of the
 *   validation names the items it defaulted.
 * - While `validated`, the recipient, the coordinator and the supplier each sign once (the signer
 *   role is the actor's role); the third signature makes the list `approved`.
 * - `close` (coordinator) needs `approved`; `withdraw` (recipient, coordinator) is possible only
 *   before approval.
 * Any other action is `INVALID_TRANSITION` naming the list's status, the action, the actions its
 * status allows and the statuses the action needs.
 *
 * Packaging (`quantityStep`, `wholeOnly`): how packages may take an item — in multiples of the
 * step, the last part (what is left of the approved quantity) excepted, or only the whole
 * remaining quantity. Edited with the other item fields (draft only); `checkItemPackaging` holds
 * 1 ≤ step ≤ requested quantity here, migration 0024 again in the database. `core/packages.ts`
 * (`checkLineQuantity`) applies the rule to a package line, the planner plans in the same units.
 */
import type { Actor } from './actor.js';
import { DomainError } from './errors.js';

export const REQUIREMENT_LIST_STATUSES = [
  'draft',
  'submitted',
  'validated',
  'approved',
  'closed',
  'withdrawn',
] as const;
export type RequirementListStatus = (typeof REQUIREMENT_LIST_STATUSES)[number];

/** The roles whose signatures together approve a list. */
export const APPROVAL_ROLES = ['recipient', 'coordinator', 'supplier'] as const;
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];

export const REQUIREMENT_LIST_ACTIONS = [
  'add_item',
  'update_item',
  'remove_item',
  'reorder_items',
  'submit',
  'set_approved_quantity',
  'validate',
  'approve',
  'close',
  'withdraw',
] as const;
export type RequirementListAction = (typeof REQUIREMENT_LIST_ACTIONS)[number];

/**
 * The state machine: from which statuses each action is allowed and where it leads (no `to`:
 * the status stays; `approve` leads to `approved` only with the third signature).
 */
export const REQUIREMENT_LIST_TRANSITIONS: Record<
  RequirementListAction,
  { from: readonly RequirementListStatus[]; to?: RequirementListStatus }
> = {
  add_item: { from: ['draft'] },
  update_item: { from: ['draft'] },
  remove_item: { from: ['draft'] },
  reorder_items: { from: ['draft'] },
  submit: { from: ['draft'], to: 'submitted' },
  set_approved_quantity: { from: ['submitted'] },
  validate: { from: ['submitted'], to: 'validated' },
  approve: { from: ['validated'] },
  close: { from: ['approved'], to: 'closed' },
  withdraw: { from: ['draft', 'submitted', 'validated'], to: 'withdrawn' },
};

/** The milestone timestamp set when a list reaches a status. */
export const MILESTONE_OF = {
  submitted: 'submittedAt',
  validated: 'validatedAt',
  approved: 'approvedAt',
  closed: 'closedAt',
  withdrawn: 'withdrawnAt',
} as const satisfies Partial<Record<RequirementListStatus, string>>;

/**
 * Limits of requirement lists. (They belong beside `LIMITS` in `limits.ts`; kept here until that
 * file is next edited.) Exceeding `itemsPerListMax` is `LIMIT_EXCEEDED`; the others are field
 * checks (`VALIDATION_FAILED` naming the field).
 */
export const REQUIREMENT_LIMITS = {
  /** Items of one list. */
  itemsPerListMax: 1_000,
  /** Requested or approved quantity of one item: a PostgreSQL `integer`. */
  quantityMax: 2_147_483_647,
  /** Estimated unit cost: 10^15 minor units (10 trillion dollars). */
  unitCostMaxMinor: 10n ** 15n,
  titleMaxChars: 200,
  sourceNoteMaxChars: 2_000,
  categoryMaxChars: 200,
  unitMaxChars: 50,
  /** Description and justification. */
  restrictedTextMaxChars: 4_000,
} as const;

/**
 * The restricted fields of a requirement item: shown only to roles allowed to see them. Every
 * read passes items through the service's one redaction hook (`presentRequirementItem`), which
 * names these fields.
 */
export const REQUIREMENT_ITEM_RESTRICTED_FIELDS = ['description', 'justification'] as const;

export interface RequirementList {
  id: bigint;
  cycle: string;
  title: string;
  status: RequirementListStatus;
  synthetic: boolean;
  sourceNote: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  validatedAt: Date | null;
  approvedAt: Date | null;
  closedAt: Date | null;
  withdrawnAt: Date | null;
}

export interface RequirementItem {
  id: bigint;
  listId: bigint;
  capabilityArea: string;
  category: string;
  lethal: boolean;
  requestedQuantity: number;
  approvedQuantity: number | null;
  unit: string;
  estimatedUnitCostUsdMinor: bigint;
  priorityRank: number;
  /** Restricted. */
  description: string | null;
  /** Restricted. */
  justification: string | null;
  /** Packages take the item in multiples of this, the last part excepted (1: any quantity). */
  quantityStep: number;
  /** Packages take only the whole remaining quantity of the item. */
  wholeOnly: boolean;
  synthetic: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RequirementApproval {
  role: ApprovalRole;
  actorId: string;
  signedAt: Date;
}

export interface RequirementTotals {
  /** Σ requested quantity × estimated unit cost, USD minor units. */
  requestedUsdMinor: bigint;
  /** Σ approved quantity × estimated unit cost (items without an approved quantity count 0). */
  approvedUsdMinor: bigint;
}

// ---------------------------------------------------------------------------------------------
// The state machine

export function allowedActions(status: RequirementListStatus): RequirementListAction[] {
  return REQUIREMENT_LIST_ACTIONS.filter((action) =>
    REQUIREMENT_LIST_TRANSITIONS[action].from.includes(status),
  );
}

export function invalidTransition(
  status: RequirementListStatus,
  action: RequirementListAction,
  reason?: string,
): DomainError {
  const needs = REQUIREMENT_LIST_TRANSITIONS[action].from;
  return new DomainError(
    'INVALID_TRANSITION',
    reason ??
      `A ${status} requirement list does not allow ${action}; it needs ${needs.join(' or ')}.`,
    {
      entity: 'requirement_list',
      from: status,
      action,
      allowed: allowedActions(status),
      allowedFrom: [...needs],
      ...(reason ? { reason } : {}),
    },
  );
}

/** Throws `INVALID_TRANSITION` unless `action` is allowed in `status`; returns the next status. */
export function checkTransition(
  status: RequirementListStatus,
  action: RequirementListAction,
): RequirementListStatus {
  const rule = REQUIREMENT_LIST_TRANSITIONS[action];
  if (!rule.from.includes(status)) throw invalidTransition(status, action);
  return rule.to ?? status;
}

/** `submit`: a draft with at least one item. */
export function checkSubmit(status: RequirementListStatus, itemCount: number): 'submitted' {
  checkTransition(status, 'submit');
  if (itemCount < 1) {
    throw invalidTransition(status, 'submit', 'A requirement list needs one item to be submitted.');
  }
  return 'submitted';
}

/**
 * `validate`: every item gets an approved quantity; the ones the validator left unset take the
 * requested quantity. Returns those defaults (the items to write).
 */
export function planValidation(
  status: RequirementListStatus,
  items: readonly Pick<RequirementItem, 'id' | 'requestedQuantity' | 'approvedQuantity'>[],
): { id: bigint; approvedQuantity: number }[] {
  checkTransition(status, 'validate');
  return items
    .filter((item) => item.approvedQuantity === null)
    .map((item) => ({ id: item.id, approvedQuantity: item.requestedQuantity }));
}

/**
 * The role a signature is given in: the actor's own role. `system` (the CLI, the demo loader)
 * signs as the role it names in `signAs`; nobody else may sign for another role.
 */
export function signerRole(actor: Actor, signAs?: ApprovalRole): ApprovalRole {
  if (actor.role === 'system') {
    if (signAs && (APPROVAL_ROLES as readonly string[]).includes(signAs)) return signAs;
    throw new DomainError('VALIDATION_FAILED', 'A system signature names the role it signs as.', {
      field: 'signAs',
    });
  }
  const own = (APPROVAL_ROLES as readonly string[]).includes(actor.role)
    ? (actor.role as ApprovalRole)
    : undefined;
  if (!own || (signAs !== undefined && signAs !== own)) {
    throw new DomainError(
      'FORBIDDEN',
      `Only the recipient, the coordinator and the supplier sign a requirement list, each in their own role.`,
      { operation: 'requirements.approve', role: actor.role },
    );
  }
  return own;
}

/** One signature of the joint approval: `complete` when it is the last missing one. */
export function planApproval(
  status: RequirementListStatus,
  signed: readonly ApprovalRole[],
  role: ApprovalRole,
): { complete: boolean; status: RequirementListStatus; missing: ApprovalRole[] } {
  checkTransition(status, 'approve');
  if (signed.includes(role)) {
    throw new DomainError('APPROVAL_ALREADY_SIGNED', undefined, {
      entity: 'requirement_list',
      role,
    });
  }
  const after = new Set([...signed, role]);
  const missing = APPROVAL_ROLES.filter((r) => !after.has(r));
  const complete = missing.length === 0;
  return { complete, status: complete ? 'approved' : status, missing };
}

// ---------------------------------------------------------------------------------------------
// Input rules

const CYCLE = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

function checkText(
  value: unknown,
  field: string,
  max: number,
  options: { optional?: boolean } = {},
): void {
  if (options.optional && (value === undefined || value === null)) return;
  if (typeof value !== 'string') throw invalid(field, 'expected text.');
  if (value.trim().length === 0) throw invalid(field, 'must not be empty.');
  if (value.length > max) throw invalid(field, `at most ${max} characters.`);
}

function checkQuantity(value: unknown, field: string, min: number): void {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > REQUIREMENT_LIMITS.quantityMax
  ) {
    throw invalid(field, `must be an integer from ${min} to ${REQUIREMENT_LIMITS.quantityMax}.`);
  }
}

export function checkCycle(cycle: unknown, field = 'cycle'): void {
  if (typeof cycle !== 'string' || !CYCLE.test(cycle)) {
    throw invalid(field, 'must be a month as YYYY-MM, such as 2025-08.');
  }
}

export interface NewRequirementList {
  cycle: string;
  title: string;
  synthetic?: boolean | undefined;
  sourceNote?: string | null | undefined;
}

export function checkNewList(input: NewRequirementList): void {
  checkCycle(input.cycle);
  checkText(input.title, 'title', REQUIREMENT_LIMITS.titleMaxChars);
  checkText(input.sourceNote, 'sourceNote', REQUIREMENT_LIMITS.sourceNoteMaxChars, {
    optional: true,
  });
  if (input.synthetic !== undefined && typeof input.synthetic !== 'boolean') {
    throw invalid('synthetic', 'expected true or false.');
  }
}

/** The editable fields of an item. */
export interface RequirementItemFields {
  capabilityArea: string;
  category: string;
  lethal: boolean;
  requestedQuantity: number;
  unit: string;
  estimatedUnitCostUsdMinor: bigint;
  priorityRank: number;
  description: string | null;
  justification: string | null;
  quantityStep: number;
  wholeOnly: boolean;
}

export interface NewRequirementItem extends Omit<
  RequirementItemFields,
  'priorityRank' | 'description' | 'justification' | 'quantityStep' | 'wholeOnly'
> {
  /** Default: after the last item. */
  priorityRank?: number | undefined;
  description?: string | null | undefined;
  justification?: string | null | undefined;
  /** Default: 1 (any quantity). */
  quantityStep?: number | undefined;
  /** Default: false. */
  wholeOnly?: boolean | undefined;
  synthetic?: boolean | undefined;
}

export type RequirementItemPatch = Partial<RequirementItemFields>;

function checkItemField(name: keyof RequirementItemFields, value: unknown): void {
  switch (name) {
    case 'capabilityArea':
      if (typeof value !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(value)) {
        throw invalid(name, 'must be a capability area code such as artillery.');
      }
      return;
    case 'category':
      return checkText(value, name, REQUIREMENT_LIMITS.categoryMaxChars);
    case 'unit':
      return checkText(value, name, REQUIREMENT_LIMITS.unitMaxChars);
    case 'lethal':
    case 'wholeOnly':
      if (typeof value !== 'boolean') throw invalid(name, 'expected true or false.');
      return;
    case 'requestedQuantity':
      return checkQuantity(value, name, 1);
    case 'priorityRank':
    case 'quantityStep':
      return checkQuantity(value, name, 1);
    case 'estimatedUnitCostUsdMinor':
      if (typeof value !== 'bigint' || value < 0n || value > REQUIREMENT_LIMITS.unitCostMaxMinor) {
        throw invalid(
          name,
          `must be 0 to ${REQUIREMENT_LIMITS.unitCostMaxMinor} minor units (cents) of USD.`,
        );
      }
      return;
    case 'description':
    case 'justification':
      return checkText(value, name, REQUIREMENT_LIMITS.restrictedTextMaxChars, { optional: true });
  }
}

const ITEM_FIELDS = [
  'capabilityArea',
  'category',
  'lethal',
  'requestedQuantity',
  'unit',
  'estimatedUnitCostUsdMinor',
  'priorityRank',
  'description',
  'justification',
  'quantityStep',
  'wholeOnly',
] as const satisfies readonly (keyof RequirementItemFields)[];

/** Fields a new item may leave out (each has a default). */
const OPTIONAL_NEW_ITEM_FIELDS: ReadonlySet<keyof RequirementItemFields> = new Set([
  'priorityRank',
  'quantityStep',
  'wholeOnly',
]);

export function checkNewItem(input: NewRequirementItem): void {
  for (const name of ITEM_FIELDS) {
    if (OPTIONAL_NEW_ITEM_FIELDS.has(name) && input[name] === undefined) continue;
    checkItemField(name, input[name]);
  }
  if (input.synthetic !== undefined && typeof input.synthetic !== 'boolean') {
    throw invalid('synthetic', 'expected true or false.');
  }
  checkItemPackaging({
    quantityStep: input.quantityStep ?? 1,
    requestedQuantity: input.requestedQuantity,
  });
}

/**
 * A patch names at least one field; each named field is checked like a new item's. Whether the
 * step fits the requested quantity needs the item as stored: `checkItemPackaging` on the result.
 */
export function checkItemPatch(patch: RequirementItemPatch): void {
  const named = ITEM_FIELDS.filter((name) => patch[name] !== undefined);
  if (named.length === 0) throw invalid('body', 'name at least one field to change.');
  for (const name of named) checkItemField(name, patch[name]);
}

/**
 * The packaging of an item as it will be stored: a step from 1 to the requested quantity (a
 * larger step could never be packaged in steps). Migration 0024 holds it again.
 */
export function checkItemPackaging(
  item: Pick<RequirementItemFields, 'quantityStep' | 'requestedQuantity'>,
): void {
  checkQuantity(item.quantityStep, 'quantityStep', 1);
  if (item.quantityStep > item.requestedQuantity) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `quantityStep may not exceed the requested quantity (${item.requestedQuantity}): packages take the item in steps of at most what is asked for.`,
      { field: 'quantityStep', max: item.requestedQuantity },
    );
  }
}

export function checkApprovedQuantity(value: unknown, requestedQuantity?: number): void {
  checkQuantity(value, 'approvedQuantity', 0);
  if (requestedQuantity !== undefined && (value as number) > requestedQuantity) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `approvedQuantity may not exceed the requested quantity (${requestedQuantity}): the validator approves what was asked for, or less.`,
      { field: 'approvedQuantity', max: requestedQuantity },
    );
  }
}

export function checkItemCount(count: number): void {
  if (count >= REQUIREMENT_LIMITS.itemsPerListMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `A requirement list holds at most ${REQUIREMENT_LIMITS.itemsPerListMax} items.`,
      {
        field: 'items',
        limit: 'requirementItemsPerListMax',
        max: REQUIREMENT_LIMITS.itemsPerListMax,
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Priority ranks

type Ranked = Pick<RequirementItem, 'id' | 'priorityRank'>;

/** `PRIORITY_RANK_TAKEN` if another item of the list (not `itemId`) holds `rank`. */
export function checkRankFree(items: readonly Ranked[], rank: number, itemId?: bigint): void {
  const holder = items.find((item) => item.priorityRank === rank && item.id !== itemId);
  if (holder) {
    throw new DomainError(
      'PRIORITY_RANK_TAKEN',
      `Priority rank ${rank} is already held by item ${holder.id}; choose a free rank or reorder the list.`,
      { field: 'priorityRank', priorityRank: rank, heldBy: holder.id },
    );
  }
}

/** The rank a new item gets by default: after the last one. */
export function nextRank(items: readonly Ranked[]): number {
  return items.reduce((max, item) => Math.max(max, item.priorityRank), 0) + 1;
}

/**
 * A reorder names every item of the list exactly once, in priority order; item i gets rank i+1.
 * Returns the items whose rank changes.
 */
export function planReorder(
  items: readonly Ranked[],
  order: readonly bigint[],
): { id: bigint; from: number; to: number }[] {
  const current = new Map(items.map((item) => [item.id, item.priorityRank]));
  const seen = new Set<bigint>();
  order.forEach((id, index) => {
    if (!current.has(id)) {
      throw new DomainError('VALIDATION_FAILED', `itemIds: item ${id} is not in this list.`, {
        field: `itemIds.${index}`,
      });
    }
    if (seen.has(id)) {
      throw new DomainError('VALIDATION_FAILED', `itemIds: item ${id} is named twice.`, {
        field: `itemIds.${index}`,
      });
    }
    seen.add(id);
  });
  const missing = items.filter((item) => !seen.has(item.id)).map((item) => item.id);
  if (missing.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'itemIds: name every item of the list once.', {
      field: 'itemIds',
      missing,
    });
  }
  return order
    .map((id, index) => ({ id, from: current.get(id)!, to: index + 1 }))
    .filter((change) => change.from !== change.to);
}

// ---------------------------------------------------------------------------------------------
// Totals

export function requirementTotals(
  items: readonly Pick<
    RequirementItem,
    'requestedQuantity' | 'approvedQuantity' | 'estimatedUnitCostUsdMinor'
  >[],
): RequirementTotals {
  let requestedUsdMinor = 0n;
  let approvedUsdMinor = 0n;
  for (const item of items) {
    requestedUsdMinor += BigInt(item.requestedQuantity) * item.estimatedUnitCostUsdMinor;
    approvedUsdMinor += BigInt(item.approvedQuantity ?? 0) * item.estimatedUnitCostUsdMinor;
  }
  return { requestedUsdMinor, approvedUsdMinor };
}
