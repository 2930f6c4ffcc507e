/**
 * SQL of requirement lists, their items and approval signatures. Writers pass the transaction
 * and lock the list row first (`findRequirementList(tx, id, { forUpdate: true })`): every command
 * on a list or its items is serialised on that one row, then the audit head is locked last.
 * Every write bumps `version` (and `updated_at`) of what it changes.
 */
import { sql } from 'kysely';
import type {
  ApprovalRole,
  RequirementApproval,
  RequirementItem,
  RequirementList,
  RequirementListStatus,
  RequirementTotals,
} from '../core/requirements.js';
import type { Database } from './database.js';
import type { RequirementItemTable, RequirementListTable } from './schema-requirements.js';
import { sqlState, type Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

/** The deferred unique constraint on (list_id, priority_rank). */
const RANK_CONSTRAINT = 'requirement_item_rank_unique';
const CYCLE_CONSTRAINT = 'requirement_list_cycle_key';

interface ListRow {
  id: bigint;
  cycle: string;
  title: string;
  status: RequirementListStatus;
  synthetic: boolean;
  source_note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  validated_at: Date | null;
  approved_at: Date | null;
  closed_at: Date | null;
  withdrawn_at: Date | null;
}

interface ItemRow {
  id: bigint;
  list_id: bigint;
  capability_area: string;
  category: string;
  lethal: boolean;
  requested_quantity: number;
  approved_quantity: number | null;
  unit: string;
  estimated_unit_cost_usd_minor: bigint;
  priority_rank: number;
  description: string | null;
  justification: string | null;
  quantity_step: number;
  whole_only: boolean;
  synthetic: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function toRequirementList(row: ListRow): RequirementList {
  return {
    id: row.id,
    cycle: row.cycle,
    title: row.title,
    status: row.status,
    synthetic: row.synthetic,
    sourceNote: row.source_note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    validatedAt: row.validated_at,
    approvedAt: row.approved_at,
    closedAt: row.closed_at,
    withdrawnAt: row.withdrawn_at,
  };
}

export function toRequirementItem(row: ItemRow): RequirementItem {
  return {
    id: row.id,
    listId: row.list_id,
    capabilityArea: row.capability_area,
    category: row.category,
    lethal: row.lethal,
    requestedQuantity: row.requested_quantity,
    approvedQuantity: row.approved_quantity,
    unit: row.unit,
    estimatedUnitCostUsdMinor: row.estimated_unit_cost_usd_minor,
    priorityRank: row.priority_rank,
    description: row.description,
    justification: row.justification,
    quantityStep: row.quantity_step,
    wholeOnly: row.whole_only,
    synthetic: row.synthetic,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** True for a violation of "one rank per list" (reported at commit: the constraint is deferred). */
export function isPriorityRankConflict(error: unknown): boolean {
  return (
    sqlState(error) === '23505' &&
    (error as { constraint?: unknown }).constraint === RANK_CONSTRAINT
  );
}

// ---------------------------------------------------------------------------------------------
// Lists

export interface NewListRow {
  cycle: string;
  title: string;
  synthetic: boolean;
  sourceNote: string | null;
}

/** Inserts a draft list; `undefined` when a list of that cycle exists. */
export async function insertRequirementList(
  tx: Tx,
  list: NewListRow,
): Promise<RequirementList | undefined> {
  const row = await tx
    .insertInto('requirement_list')
    .values({
      cycle: list.cycle,
      title: list.title,
      synthetic: list.synthetic,
      source_note: list.sourceNote,
    })
    .onConflict((oc) => oc.constraint(CYCLE_CONSTRAINT).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toRequirementList(row as ListRow) : undefined;
}

export async function findRequirementList(
  db: Executor,
  id: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<RequirementList | undefined> {
  let query = db.selectFrom('requirement_list').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRequirementList(row as ListRow) : undefined;
}

export async function findRequirementListIdByCycle(
  db: Executor,
  cycle: string,
): Promise<bigint | undefined> {
  const row = await db
    .selectFrom('requirement_list')
    .select('id')
    .where('cycle', '=', cycle)
    .executeTakeFirst();
  return row?.id;
}

export interface ListStatusChange {
  status?: RequirementListStatus;
  submittedAt?: true;
  validatedAt?: true;
  approvedAt?: true;
  closedAt?: true;
  withdrawnAt?: true;
}

/**
 * Bumps the list's version (every change to a list or its items does), optionally moving its
 * status and stamping milestones with the transaction's time. Returns the list as written.
 */
export async function touchRequirementList(
  tx: Tx,
  id: bigint,
  change: ListStatusChange = {},
): Promise<RequirementList> {
  const now = sql<Date>`now()`;
  const set: Partial<Record<keyof RequirementListTable, unknown>> = {
    version: sql`version + 1`,
    updated_at: now,
  };
  if (change.status) set.status = change.status;
  if (change.submittedAt) set.submitted_at = now;
  if (change.validatedAt) set.validated_at = now;
  if (change.approvedAt) set.approved_at = now;
  if (change.closedAt) set.closed_at = now;
  if (change.withdrawnAt) set.withdrawn_at = now;
  const row = await tx
    .updateTable('requirement_list')
    .set(set as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRequirementList(row as ListRow);
}

export interface RequirementListSummaryRow {
  list: RequirementList;
  itemCount: number;
  totals: RequirementTotals;
  /** The roles that have signed its joint approval, in alphabetical order. */
  signedRoles: ApprovalRole[];
}

/** A page of lists, newest cycle first, after the cursor `(cycle, id)`; `limit` rows at most. */
export async function listRequirementListRows(
  db: Executor,
  filter: {
    status?: RequirementListStatus | undefined;
    cycle?: string | undefined;
    after?: { cycle: string; id: bigint } | undefined;
    limit: number;
  },
): Promise<RequirementListSummaryRow[]> {
  let query = db
    .selectFrom('requirement_list as l')
    .leftJoin('requirement_item as i', 'i.list_id', 'l.id')
    .selectAll('l')
    .select([
      sql<bigint>`count(i.id)`.as('item_count'),
      sql<string>`coalesce(sum(i.requested_quantity::numeric * i.estimated_unit_cost_usd_minor), 0)`.as(
        'requested_usd_minor',
      ),
      sql<string>`coalesce(sum(coalesce(i.approved_quantity, 0)::numeric * i.estimated_unit_cost_usd_minor), 0)`.as(
        'approved_usd_minor',
      ),
      // One index probe per list of the page (primary key (list_id, role)).
      sql<ApprovalRole[]>`ARRAY(
        SELECT a.role FROM requirement_approval a WHERE a.list_id = l.id ORDER BY a.role)`.as(
        'signed_roles',
      ),
    ])
    .groupBy('l.id')
    .orderBy('l.cycle', 'desc')
    .orderBy('l.id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('l.status', '=', filter.status);
  if (filter.cycle) query = query.where('l.cycle', '=', filter.cycle);
  if (filter.after) {
    const { cycle, id } = filter.after;
    query = query.where(sql<boolean>`(l.cycle, l.id) < (${cycle}::char(7), ${id}::bigint)`);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    list: toRequirementList(row as unknown as ListRow),
    itemCount: Number(row.item_count),
    totals: {
      requestedUsdMinor: BigInt(row.requested_usd_minor),
      approvedUsdMinor: BigInt(row.approved_usd_minor),
    },
    signedRoles: row.signed_roles,
  }));
}

// ---------------------------------------------------------------------------------------------
// Items

/** The items of a list in priority order. */
export async function findRequirementItems(
  db: Executor,
  listId: bigint,
): Promise<RequirementItem[]> {
  const rows = await db
    .selectFrom('requirement_item')
    .selectAll()
    .where('list_id', '=', listId)
    .orderBy('priority_rank')
    .orderBy('id')
    .execute();
  return rows.map((row) => toRequirementItem(row as ItemRow));
}

export async function findRequirementItem(
  db: Executor,
  listId: bigint,
  itemId: bigint,
): Promise<RequirementItem | undefined> {
  const row = await db
    .selectFrom('requirement_item')
    .selectAll()
    .where('list_id', '=', listId)
    .where('id', '=', itemId)
    .executeTakeFirst();
  return row ? toRequirementItem(row as ItemRow) : undefined;
}

export async function capabilityAreaExists(db: Executor, code: string): Promise<boolean> {
  const result = await sql<{
    found: number;
  }>`SELECT 1 AS found FROM capability_area WHERE code = ${code}`.execute(db);
  return result.rows.length > 0;
}

export interface NewItemRow {
  listId: bigint;
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
  synthetic: boolean;
}

export async function insertRequirementItem(tx: Tx, item: NewItemRow): Promise<RequirementItem> {
  const row = await tx
    .insertInto('requirement_item')
    .values({
      list_id: item.listId,
      capability_area: item.capabilityArea,
      category: item.category,
      lethal: item.lethal,
      requested_quantity: item.requestedQuantity,
      unit: item.unit,
      estimated_unit_cost_usd_minor: item.estimatedUnitCostUsdMinor,
      priority_rank: item.priorityRank,
      description: item.description,
      justification: item.justification,
      quantity_step: item.quantityStep,
      whole_only: item.wholeOnly,
      synthetic: item.synthetic,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRequirementItem(row as ItemRow);
}

export interface ItemChange {
  capabilityArea?: string;
  category?: string;
  lethal?: boolean;
  requestedQuantity?: number;
  approvedQuantity?: number | null;
  unit?: string;
  estimatedUnitCostUsdMinor?: bigint;
  priorityRank?: number;
  description?: string | null;
  justification?: string | null;
  quantityStep?: number;
  wholeOnly?: boolean;
}

const ITEM_COLUMNS = {
  capabilityArea: 'capability_area',
  category: 'category',
  lethal: 'lethal',
  requestedQuantity: 'requested_quantity',
  approvedQuantity: 'approved_quantity',
  unit: 'unit',
  estimatedUnitCostUsdMinor: 'estimated_unit_cost_usd_minor',
  priorityRank: 'priority_rank',
  description: 'description',
  justification: 'justification',
  quantityStep: 'quantity_step',
  wholeOnly: 'whole_only',
} as const satisfies Record<keyof ItemChange, keyof RequirementItemTable>;

/** Writes the named fields of an item and bumps its version. */
export async function updateRequirementItemRow(
  tx: Tx,
  itemId: bigint,
  change: ItemChange,
): Promise<RequirementItem> {
  const set: Partial<Record<keyof RequirementItemTable, unknown>> = {
    version: sql`version + 1`,
    updated_at: sql`now()`,
  };
  for (const [field, column] of Object.entries(ITEM_COLUMNS) as [
    keyof ItemChange,
    keyof RequirementItemTable,
  ][]) {
    if (change[field] !== undefined) set[column] = change[field];
  }
  const row = await tx
    .updateTable('requirement_item')
    .set(set as never)
    .where('id', '=', itemId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRequirementItem(row as ItemRow);
}

export async function deleteRequirementItem(tx: Tx, itemId: bigint): Promise<void> {
  await tx.deleteFrom('requirement_item').where('id', '=', itemId).execute();
}

// ---------------------------------------------------------------------------------------------
// Approvals

export async function findRequirementApprovals(
  db: Executor,
  listId: bigint,
): Promise<RequirementApproval[]> {
  const rows = await db
    .selectFrom('requirement_approval')
    .select(['role', 'actor_id', 'signed_at'])
    .where('list_id', '=', listId)
    .orderBy('signed_at')
    .orderBy('role')
    .execute();
  return rows.map((row) => ({ role: row.role, actorId: row.actor_id, signedAt: row.signed_at }));
}

export async function insertRequirementApproval(
  tx: Tx,
  listId: bigint,
  role: ApprovalRole,
  actorId: string,
): Promise<RequirementApproval> {
  const row = await tx
    .insertInto('requirement_approval')
    .values({ list_id: listId, role, actor_id: actorId })
    .returning(['role', 'actor_id', 'signed_at'])
    .executeTakeFirstOrThrow();
  return { role: row.role, actorId: row.actor_id, signedAt: row.signed_at };
}

// ---------------------------------------------------------------------------------------------
// For the package composer

export interface ApprovedRequirementItem extends RequirementItem {
  /** Never null here: only items with an approved quantity > 0 are returned. */
  approvedQuantity: number;
  cycle: string;
  listTitle: string;
  /** Of the approved quantity, what packages that are not cancelled already hold. */
  packagedQuantity: number;
}

export interface ApprovedItemsFilter {
  listId?: bigint | undefined;
  itemIds?: readonly bigint[] | undefined;
  capabilityArea?: string | undefined;
  /** Only items with part of their approved quantity not yet packaged. */
  remainingOnly?: boolean | undefined;
  /** Keyset: the items after this (cycle, priority rank, id). */
  after?: { cycle: string; rank: number; id: bigint } | undefined;
  limit?: number | undefined;
}

/**
 * Items of lists in status `approved` whose approved quantity is above 0, by cycle and priority,
 * with what packages (not cancelled) already hold of each. Pass the package transaction and
 * `itemIds` to check the items a package line names.
 */
export async function findApprovedRequirementItems(
  db: Executor,
  filter: ApprovedItemsFilter = {},
): Promise<ApprovedRequirementItem[]> {
  if (filter.itemIds && filter.itemIds.length === 0) return [];
  const packaged = sql<number>`coalesce((SELECT sum(pl.quantity) FROM package_line pl
      JOIN package p ON p.id = pl.package_id
      WHERE pl.requirement_item_id = i.id AND p.status <> 'cancelled'), 0)::int`;
  let query = db
    .selectFrom('requirement_item as i')
    .innerJoin('requirement_list as l', 'l.id', 'i.list_id')
    .selectAll('i')
    .select(['l.cycle', 'l.title as list_title', packaged.as('packaged_quantity')])
    .where('l.status', '=', 'approved')
    .where('i.approved_quantity', '>', 0)
    .orderBy('l.cycle')
    .orderBy('i.priority_rank')
    .orderBy('i.id');
  if (filter.listId !== undefined) query = query.where('i.list_id', '=', filter.listId);
  if (filter.itemIds) query = query.where('i.id', 'in', [...filter.itemIds]);
  if (filter.capabilityArea !== undefined) {
    query = query.where('i.capability_area', '=', filter.capabilityArea);
  }
  if (filter.remainingOnly) query = query.where(sql<boolean>`i.approved_quantity > ${packaged}`);
  if (filter.after) {
    const { cycle, rank, id } = filter.after;
    query = query.where(
      sql<boolean>`(l.cycle, i.priority_rank, i.id) > (${cycle}::char(7), ${rank}::int, ${id}::bigint)`,
    );
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...toRequirementItem(row as ItemRow),
    approvedQuantity: row.approved_quantity!,
    cycle: row.cycle,
    listTitle: row.list_title,
    packagedQuantity: Number(row.packaged_quantity),
  }));
}
