/**
 * Use cases of requirement lists. Each command: access check (`core/policy.ts`) → input rules
 * (`core/requirements.ts`) → one transaction that locks the list row, checks `If-Match`
 * (`expectedVersion`) and the state machine, writes, and appends one audit event → commit.
 * An illegal command throws before anything is written, so it changes nothing.
 *
 * Versions: every command bumps the list's version (its ETag covers its items and signatures);
 * a command on one item also bumps that item's version, which is what `If-Match` on an item
 * route is compared with.
 *
 * Restricted fields (`RESTRICTED_FIELDS.requirement_item` of `core/redaction.ts`: description,
 * justification, estimated unit cost) leave this service only through `presentRequirementItem`,
 * which redacts them by the rule of `core/redaction.ts`.
 */
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { checkVersion, decodeCursor, pageLimit, toPage, type Page } from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import {
  RESTRICTED_FIELDS,
  dependsOnParties,
  maySeeRestricted,
  redactFields,
  type Restricted,
} from '../core/redaction.js';
import {
  APPROVAL_ROLES,
  REQUIREMENT_LIST_STATUSES,
  checkApprovedQuantity,
  checkCycle,
  checkItemCount,
  checkItemPackaging,
  checkItemPatch,
  checkNewItem,
  checkNewList,
  checkRankFree,
  checkSubmit,
  checkTransition,
  nextRank,
  planApproval,
  planReorder,
  planValidation,
  requirementTotals,
  signerRole,
  type ApprovalRole,
  type NewRequirementItem,
  type NewRequirementList,
  type RequirementApproval,
  type RequirementItem,
  type RequirementItemPatch,
  type RequirementList,
  type RequirementListStatus,
  type RequirementTotals,
} from '../core/requirements.js';
import type { Database } from '../storage/database.js';
import { findItemsFundedBy } from '../storage/packages-repository.js';
import {
  capabilityAreaExists,
  deleteRequirementItem,
  findApprovedRequirementItems,
  findRequirementApprovals,
  findRequirementItem,
  findRequirementItems,
  findRequirementList,
  findRequirementListIdByCycle,
  insertRequirementApproval,
  insertRequirementItem,
  insertRequirementList,
  isPriorityRankConflict,
  listRequirementListRows,
  touchRequirementList,
  updateRequirementItemRow,
  type ApprovedRequirementItem,
  type ListStatusChange,
} from '../storage/requirements-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

export type { ApprovedRequirementItem } from '../storage/requirements-repository.js';

/**
 * An item as it leaves the service: description, justification and estimated unit cost are
 * `{ redacted: true }` for a reader who may not see them (`core/redaction.ts`).
 */
export type PresentedRequirementItem<T extends RequirementItem = RequirementItem> = Omit<
  T,
  'description' | 'justification' | 'estimatedUnitCostUsdMinor'
> & {
  description: Restricted<string | null>;
  justification: Restricted<string | null>;
  estimatedUnitCostUsdMinor: Restricted<bigint>;
};

export interface RequirementListDetail extends RequirementList {
  /** In priority order. */
  items: PresentedRequirementItem[];
  approvals: RequirementApproval[];
  totals: RequirementTotals;
}

export interface RequirementListSummary extends RequirementList {
  itemCount: number;
  totals: RequirementTotals;
  /** The roles that have signed the joint approval (alphabetical); all three once approved. */
  signedRoles: ApprovalRole[];
}

export interface VersionCheck {
  /** From `If-Match`: the version the caller last read; stale → `PRECONDITION_FAILED`. */
  expectedVersion?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Restricted fields: the one hook

/**
 * Every item leaves the service through here: the restricted fields are redacted unless the
 * actor may see them (`core/redaction.ts`). `fundingParties`: the parties funding a package
 * that holds the item, as far as they matter to this actor (see `presentRequirementItems`).
 */
export function presentRequirementItem<T extends RequirementItem>(
  actor: Actor,
  item: T,
  fundingParties: readonly string[] = [],
): PresentedRequirementItem<T> {
  const visible = maySeeRestricted(actor, 'requirement_item', { fundingParties });
  return redactFields(
    item,
    RESTRICTED_FIELDS.requirement_item,
    visible,
  ) as PresentedRequirementItem<T>;
}

/**
 * Items for one reader. Only when the rule depends on the reader's party (a contributor) are
 * the items its party funds looked up — once for all of them, in the caller's snapshot.
 */
async function presentRequirementItems<T extends RequirementItem>(
  db: Tx | Database['kysely'],
  actor: Actor,
  items: readonly T[],
): Promise<PresentedRequirementItem<T>[]> {
  const party = actor.partyId;
  const funded =
    dependsOnParties(actor, 'requirement_item') && party !== undefined
      ? await findItemsFundedBy(
          db,
          party,
          items.map((i) => i.id),
        )
      : new Set<bigint>();
  return items.map((item) =>
    presentRequirementItem(actor, item, party !== undefined && funded.has(item.id) ? [party] : []),
  );
}

async function presentItem(
  db: Tx | Database['kysely'],
  actor: Actor,
  item: RequirementItem,
): Promise<PresentedRequirementItem> {
  return (await presentRequirementItems(db, actor, [item]))[0]!;
}

interface RequirementListContents extends RequirementList {
  items: RequirementItem[];
  approvals: RequirementApproval[];
  totals: RequirementTotals;
}

async function presentDetail(
  db: Tx | Database['kysely'],
  actor: Actor,
  detail: RequirementListContents,
): Promise<RequirementListDetail> {
  return { ...detail, items: await presentRequirementItems(db, actor, detail.items) };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs a command in one transaction; a rank clash caught at commit is PRIORITY_RANK_TAKEN. */
async function command<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(database, fn);
  } catch (error) {
    if (isPriorityRankConflict(error)) {
      throw new DomainError('PRIORITY_RANK_TAKEN', undefined, { field: 'priorityRank' });
    }
    throw error;
  }
}

function listNotFound(listId: bigint): DomainError {
  return new DomainError('NOT_FOUND', `No requirement list ${listId}.`, {
    entity: 'requirement_list',
    listId,
  });
}

function itemNotFound(listId: bigint, itemId: bigint): DomainError {
  return new DomainError('NOT_FOUND', `No item ${itemId} in requirement list ${listId}.`, {
    entity: 'requirement_item',
    listId,
    itemId,
  });
}

/** Locks the list row (the one lock of every requirements command) and checks it exists. */
async function lockList(tx: Tx, listId: bigint): Promise<RequirementList> {
  const list = await findRequirementList(tx, listId, { forUpdate: true });
  if (!list) throw listNotFound(listId);
  return list;
}

async function lockItem(
  tx: Tx,
  listId: bigint,
  itemId: bigint,
  expectedVersion: number | undefined,
): Promise<{ list: RequirementList; item: RequirementItem }> {
  const list = await lockList(tx, listId);
  const item = await findRequirementItem(tx, listId, itemId);
  if (!item) throw itemNotFound(listId, itemId);
  checkVersion('requirement_item', item.version, expectedVersion);
  return { list, item };
}

async function loadDetail(
  db: Tx | Database['kysely'],
  list: RequirementList,
): Promise<RequirementListContents> {
  const [items, approvals] = await Promise.all([
    findRequirementItems(db, list.id),
    findRequirementApprovals(db, list.id),
  ]);
  return { ...list, items, approvals, totals: requirementTotals(items) };
}

/** A list as audit data (the before/after of list commands). */
function listFacts(list: RequirementList) {
  return {
    id: list.id,
    cycle: list.cycle,
    title: list.title,
    status: list.status,
    synthetic: list.synthetic,
    sourceNote: list.sourceNote,
    version: list.version,
  };
}

/** An item as audit data: every field (the audit log is read by auditors only). */
function itemFacts(item: RequirementItem) {
  return {
    id: item.id,
    listId: item.listId,
    capabilityArea: item.capabilityArea,
    category: item.category,
    lethal: item.lethal,
    requestedQuantity: item.requestedQuantity,
    approvedQuantity: item.approvedQuantity,
    unit: item.unit,
    estimatedUnitCostUsdMinor: item.estimatedUnitCostUsdMinor,
    priorityRank: item.priorityRank,
    description: item.description,
    justification: item.justification,
    quantityStep: item.quantityStep,
    wholeOnly: item.wholeOnly,
    synthetic: item.synthetic,
    version: item.version,
  };
}

async function checkCapabilityArea(tx: Tx, code: string | undefined): Promise<void> {
  if (code !== undefined && !(await capabilityAreaExists(tx, code))) {
    throw new DomainError('NOT_FOUND', `No capability area ${code}.`, {
      field: 'capabilityArea',
      capabilityArea: code,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Lists

/** A draft list for a cycle (one per cycle: `DUPLICATE` naming `cycle` otherwise). */
export async function createRequirementList(
  database: Database,
  actor: Actor,
  input: NewRequirementList,
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.write');
  checkNewList(input);
  return command(database, async (tx) => {
    const list = await insertRequirementList(tx, {
      cycle: input.cycle,
      title: input.title,
      synthetic: input.synthetic ?? false,
      sourceNote: input.sourceNote ?? null,
    });
    if (!list) {
      throw new DomainError('DUPLICATE', `A requirement list for ${input.cycle} already exists.`, {
        field: 'cycle',
        cycle: input.cycle,
        listId: await findRequirementListIdByCycle(tx, input.cycle),
      });
    }
    await recordAudit(tx, actor, {
      entity: 'requirement_list',
      entityId: String(list.id),
      action: 'create',
      after: listFacts(list),
    });
    return presentDetail(tx, actor, await loadDetail(tx, list));
  });
}

export async function getRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.read');
  // One snapshot: the list, its items and signatures agree with each other.
  return inTransaction(
    database,
    async (tx) => {
      const list = await findRequirementList(tx, listId);
      if (!list) throw listNotFound(listId);
      return presentDetail(tx, actor, await loadDetail(tx, list));
    },
    { isolation: 'repeatable read' },
  );
}

export interface ListRequirementListsQuery {
  status?: RequirementListStatus | undefined;
  cycle?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Lists, newest cycle first, with item counts and totals; cursor-paginated. */
export async function listRequirementLists(
  database: Database,
  actor: Actor,
  query: ListRequirementListsQuery = {},
): Promise<Page<RequirementListSummary>> {
  authorize(actor, 'requirements.read');
  const limit = pageLimit(query.limit);
  if (
    query.status !== undefined &&
    !(REQUIREMENT_LIST_STATUSES as readonly string[]).includes(query.status)
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `status must be one of ${REQUIREMENT_LIST_STATUSES.join(', ')}.`,
      {
        field: 'status',
      },
    );
  }
  if (query.cycle !== undefined) checkCycle(query.cycle);
  const key = decodeCursor(query.cursor, 2);
  let after: { cycle: string; id: bigint } | undefined;
  if (key) {
    const [cycle, id] = key;
    if (typeof cycle !== 'string' || typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
      throw new DomainError('VALIDATION_FAILED', 'cursor is not one this server issued.', {
        field: 'cursor',
      });
    }
    after = { cycle, id: BigInt(id) };
  }
  const rows = await listRequirementListRows(database.kysely, {
    status: query.status,
    cycle: query.cycle,
    after,
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (row) => [row.list.cycle, String(row.list.id)]);
  return {
    items: page.items.map((row) => ({
      ...row.list,
      itemCount: row.itemCount,
      totals: row.totals,
      signedRoles: row.signedRoles,
    })),
    nextCursor: page.nextCursor,
  };
}

// ---------------------------------------------------------------------------------------------
// Items (draft only)

export async function addRequirementItem(
  database: Database,
  actor: Actor,
  listId: bigint,
  input: NewRequirementItem,
  /** `expectedVersion` is the list's. */
  options: VersionCheck = {},
): Promise<PresentedRequirementItem> {
  authorize(actor, 'requirements.write');
  checkNewItem(input);
  return command(database, async (tx) => {
    const list = await lockList(tx, listId);
    checkVersion('requirement_list', list.version, options.expectedVersion);
    checkTransition(list.status, 'add_item');
    const items = await findRequirementItems(tx, listId);
    checkItemCount(items.length);
    const priorityRank = input.priorityRank ?? nextRank(items);
    checkRankFree(items, priorityRank);
    await checkCapabilityArea(tx, input.capabilityArea);
    const item = await insertRequirementItem(tx, {
      listId,
      capabilityArea: input.capabilityArea,
      category: input.category,
      lethal: input.lethal,
      requestedQuantity: input.requestedQuantity,
      unit: input.unit,
      estimatedUnitCostUsdMinor: input.estimatedUnitCostUsdMinor,
      priorityRank,
      description: input.description ?? null,
      justification: input.justification ?? null,
      quantityStep: input.quantityStep ?? 1,
      wholeOnly: input.wholeOnly ?? false,
      synthetic: input.synthetic ?? list.synthetic,
    });
    await touchRequirementList(tx, listId);
    await recordAudit(tx, actor, {
      entity: 'requirement_item',
      entityId: String(item.id),
      action: 'create',
      after: itemFacts(item),
    });
    return presentItem(tx, actor, item);
  });
}

export async function updateRequirementItem(
  database: Database,
  actor: Actor,
  listId: bigint,
  itemId: bigint,
  patch: RequirementItemPatch,
  options: VersionCheck = {},
): Promise<PresentedRequirementItem> {
  authorize(actor, 'requirements.write');
  checkItemPatch(patch);
  return command(database, async (tx) => {
    const { list, item } = await lockItem(tx, listId, itemId, options.expectedVersion);
    checkTransition(list.status, 'update_item');
    // The step against the requested quantity, either of which the patch may change.
    checkItemPackaging({
      quantityStep: patch.quantityStep ?? item.quantityStep,
      requestedQuantity: patch.requestedQuantity ?? item.requestedQuantity,
    });
    if (patch.priorityRank !== undefined) {
      checkRankFree(await findRequirementItems(tx, listId), patch.priorityRank, itemId);
    }
    await checkCapabilityArea(tx, patch.capabilityArea);
    const updated = await updateRequirementItemRow(tx, itemId, patch);
    await touchRequirementList(tx, listId);
    await recordAudit(tx, actor, {
      entity: 'requirement_item',
      entityId: String(itemId),
      action: 'update',
      before: itemFacts(item),
      after: itemFacts(updated),
    });
    return presentItem(tx, actor, updated);
  });
}

export async function removeRequirementItem(
  database: Database,
  actor: Actor,
  listId: bigint,
  itemId: bigint,
  options: VersionCheck = {},
): Promise<void> {
  authorize(actor, 'requirements.write');
  await command(database, async (tx) => {
    const { list, item } = await lockItem(tx, listId, itemId, options.expectedVersion);
    checkTransition(list.status, 'remove_item');
    await deleteRequirementItem(tx, itemId);
    await touchRequirementList(tx, listId);
    await recordAudit(tx, actor, {
      entity: 'requirement_item',
      entityId: String(itemId),
      action: 'delete',
      before: itemFacts(item),
    });
  });
}

/**
 * Sets the priorities: `itemIds` names every item of the list once, most important first; they
 * get ranks 1..n (the rank constraint is checked at commit, so ranks may be swapped).
 */
export async function reorderRequirementItems(
  database: Database,
  actor: Actor,
  listId: bigint,
  itemIds: readonly bigint[],
  options: VersionCheck = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.write');
  return command(database, async (tx) => {
    const list = await lockList(tx, listId);
    checkVersion('requirement_list', list.version, options.expectedVersion);
    checkTransition(list.status, 'reorder_items');
    const items = await findRequirementItems(tx, listId);
    const changes = planReorder(items, itemIds);
    for (const change of changes) {
      await updateRequirementItemRow(tx, change.id, { priorityRank: change.to });
    }
    const updated = await touchRequirementList(tx, listId);
    await recordAudit(tx, actor, {
      entity: 'requirement_list',
      entityId: String(listId),
      action: 'reorder_items',
      before: {
        version: list.version,
        ranks: items.map((i) => ({ id: i.id, rank: i.priorityRank })),
      },
      after: {
        version: updated.version,
        ranks: itemIds.map((id, index) => ({ id, rank: index + 1 })),
      },
    });
    return presentDetail(tx, actor, await loadDetail(tx, updated));
  });
}

/** The validator's approved quantity of an item (0 or more), while the list is submitted. */
export async function setApprovedQuantity(
  database: Database,
  actor: Actor,
  listId: bigint,
  itemId: bigint,
  approvedQuantity: number,
  options: VersionCheck = {},
): Promise<PresentedRequirementItem> {
  authorize(actor, 'requirements.validate');
  checkApprovedQuantity(approvedQuantity);
  return command(database, async (tx) => {
    const { list, item } = await lockItem(tx, listId, itemId, options.expectedVersion);
    checkTransition(list.status, 'set_approved_quantity');
    checkApprovedQuantity(approvedQuantity, item.requestedQuantity);
    const updated = await updateRequirementItemRow(tx, itemId, { approvedQuantity });
    await touchRequirementList(tx, listId);
    await recordAudit(tx, actor, {
      entity: 'requirement_item',
      entityId: String(itemId),
      action: 'set_approved_quantity',
      before: { version: item.version, approvedQuantity: item.approvedQuantity },
      after: {
        version: updated.version,
        approvedQuantity: updated.approvedQuantity,
        requestedQuantity: updated.requestedQuantity,
      },
    });
    return presentItem(tx, actor, updated);
  });
}

// ---------------------------------------------------------------------------------------------
// Transitions

/** A list transition: lock, If-Match, rule, write, audit — returns the list as it now is. */
async function transition(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: VersionCheck,
  action: string,
  apply: (
    tx: Tx,
    list: RequirementList,
  ) => Promise<{ change: ListStatusChange; before?: object; after?: object }>,
): Promise<RequirementListDetail> {
  return command(database, async (tx) => {
    const list = await lockList(tx, listId);
    checkVersion('requirement_list', list.version, options.expectedVersion);
    const { change, before, after } = await apply(tx, list);
    const updated = await touchRequirementList(tx, listId, change);
    await recordAudit(tx, actor, {
      entity: 'requirement_list',
      entityId: String(listId),
      action,
      before: { ...listFacts(list), ...before },
      after: { ...listFacts(updated), ...after },
    });
    return presentDetail(tx, actor, await loadDetail(tx, updated));
  });
}

/** draft → submitted (recipient); the list needs one item. */
export async function submitRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: VersionCheck = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.write');
  return transition(database, actor, listId, options, 'submit', async (tx, list) => {
    const items = await findRequirementItems(tx, listId);
    return { change: { status: checkSubmit(list.status, items.length), submittedAt: true } };
  });
}

/**
 * submitted → validated (validator). Items whose approved quantity the validator did not set
 * are approved as requested; the audit event names them (`defaultedItems`).
 */
export async function validateRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: VersionCheck = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.validate');
  return transition(database, actor, listId, options, 'validate', async (tx, list) => {
    const defaults = planValidation(list.status, await findRequirementItems(tx, listId));
    for (const item of defaults) {
      await updateRequirementItemRow(tx, item.id, { approvedQuantity: item.approvedQuantity });
    }
    return {
      change: { status: 'validated', validatedAt: true },
      after: { defaultedItems: defaults },
    };
  });
}

export interface ApproveOptions extends VersionCheck {
  /** Only for the `system` actor (the CLI, the demo loader): the role it signs as. */
  signAs?: ApprovalRole | undefined;
}

/**
 * One signature of the joint approval, in the actor's own role (recipient, coordinator or
 * supplier), while the list is validated. The third signature makes the list approved, in the
 * same transaction.
 */
export async function approveRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: ApproveOptions = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.approve');
  const role = signerRole(actor, options.signAs);
  return transition(database, actor, listId, options, 'approve', async (tx, list) => {
    const signed = (await findRequirementApprovals(tx, listId)).map((a) => a.role);
    const plan = planApproval(list.status, signed, role);
    const signature = await insertRequirementApproval(tx, listId, role, actor.id);
    return {
      change: plan.complete ? { status: 'approved', approvedAt: true } : {},
      before: { signedRoles: signed },
      after: {
        signature,
        signedRoles: APPROVAL_ROLES.filter((r) => r === role || signed.includes(r)),
        missingRoles: plan.missing,
      },
    };
  });
}

/** approved → closed (coordinator). */
export async function closeRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: VersionCheck = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.close');
  return transition(database, actor, listId, options, 'close', async (_tx, list) => ({
    change: { status: checkTransition(list.status, 'close'), closedAt: true },
  }));
}

/** draft | submitted | validated → withdrawn (recipient or coordinator). */
export async function withdrawRequirementList(
  database: Database,
  actor: Actor,
  listId: bigint,
  options: VersionCheck = {},
): Promise<RequirementListDetail> {
  authorize(actor, 'requirements.withdraw');
  return transition(database, actor, listId, options, 'withdraw', async (_tx, list) => ({
    change: { status: checkTransition(list.status, 'withdraw'), withdrawnAt: true },
  }));
}

// ---------------------------------------------------------------------------------------------
// For the package composer

/**
 * Items of approved lists with an approved quantity above 0, by cycle and priority, each with
 * what packages already hold of it: what a package can be composed from. By default only the
 * items with approved quantity left to package; paged like every list.
 */
export async function listApprovedItems(
  database: Database,
  actor: Actor,
  query: {
    listId?: bigint | undefined;
    capabilityArea?: string | undefined;
    remainingOnly?: boolean | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  } = {},
): Promise<Page<PresentedRequirementItem<ApprovedRequirementItem>>> {
  authorize(actor, 'requirements.read');
  const limit = pageLimit(query.limit);
  const key = decodeCursor(query.cursor, 3);
  let after: { cycle: string; rank: number; id: bigint } | undefined;
  if (key) {
    const [cycle, rank, id] = key;
    if (
      typeof cycle !== 'string' ||
      typeof rank !== 'number' ||
      typeof id !== 'string' ||
      !/^[0-9]{1,19}$/.test(id)
    ) {
      throw new DomainError('VALIDATION_FAILED', 'cursor is not one this server issued.', {
        field: 'cursor',
      });
    }
    after = { cycle, rank, id: BigInt(id) };
  }
  return inTransaction(
    database,
    async (tx) => {
      const rows = await findApprovedRequirementItems(tx, {
        listId: query.listId,
        capabilityArea: query.capabilityArea,
        remainingOnly: query.remainingOnly ?? true,
        after,
        limit: limit + 1,
      });
      const page = toPage(rows, limit, (row) => [row.cycle, row.priorityRank, String(row.id)]);
      return {
        items: await presentRequirementItems(tx, actor, page.items),
        nextCursor: page.nextCursor,
      };
    },
    { isolation: 'repeatable read' },
  );
}
