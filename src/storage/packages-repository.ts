/** SQL of packages, their lines and allocations. */
import { sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
import type {
  AllocationTable,
  PackageLineTable,
  PackageStatus,
  PackageTable,
} from './schema-funding.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];
export type PackageRow = Selectable<PackageTable>;
export type PackageLineRow = Selectable<PackageLineTable>;
export type AllocationRow = Selectable<AllocationTable>;

export async function insertPackage(
  tx: Tx,
  p: {
    number: string;
    cycle: string;
    title: string;
    targetMinor: bigint;
    synthetic: boolean;
    sourceNote: string | null;
  },
): Promise<PackageRow> {
  return tx
    .insertInto('package')
    .values({
      number: p.number,
      cycle: p.cycle,
      title: p.title,
      target_minor: p.targetMinor,
      synthetic: p.synthetic,
      source_note: p.sourceNote,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Held by the transaction that numbers a new package until it commits. */
const PACKAGE_NUMBER_LOCK_KEY = 7_261_201;

/**
 * The next free `PURL-NNN` number. Takes a transaction lock first, so packages created at the
 * same moment (by any server) are numbered one after the other instead of colliding on the
 * unique number and retrying: under 16 concurrent clients the retries ran out (503).
 */
export async function nextPackageNumber(tx: Tx): Promise<string> {
  await sql`SELECT pg_advisory_xact_lock(${PACKAGE_NUMBER_LOCK_KEY}::bigint)`.execute(tx);
  const row = await sql<{ n: number | null }>`
    SELECT max(substring(number FROM 6)::int) AS n FROM package`.execute(tx);
  const next = (row.rows[0]?.n ?? 0) + 1;
  return `PURL-${String(next).padStart(3, '0')}`;
}

export async function findPackage(
  db: Executor,
  id: bigint,
  lock = false,
): Promise<PackageRow | undefined> {
  let query = db.selectFrom('package').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface PackageChanges {
  status?: PackageStatus;
  price_minor?: bigint;
  funded_minor?: bigint;
  disbursed_minor?: bigint;
  authorization_reference?: string;
  authorized_on?: string;
  status_reason?: string | null;
  opened_at?: Date;
  funded_at?: Date | null;
  authorized_at?: Date;
  cancelled_at?: Date;
  closed_at?: Date;
}

export async function updatePackage(
  tx: Tx,
  id: bigint,
  changes: PackageChanges,
): Promise<PackageRow> {
  return tx
    .updateTable('package')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLines(db: Executor, packageId: bigint): Promise<PackageLineRow[]> {
  return db
    .selectFrom('package_line')
    .selectAll()
    .where('package_id', '=', packageId)
    .orderBy('id')
    .execute();
}

export async function insertLine(
  tx: Tx,
  l: Omit<PackageLineRow, 'id' | 'created_at' | 'synthetic'> & { synthetic: boolean },
): Promise<PackageLineRow> {
  return tx.insertInto('package_line').values(l).returningAll().executeTakeFirstOrThrow();
}

export async function deleteLine(tx: Tx, packageId: bigint, lineId: bigint): Promise<boolean> {
  const result = await tx
    .deleteFrom('package_line')
    .where('package_id', '=', packageId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface ApprovedItemRow {
  id: bigint;
  list_id: bigint;
  list_status: string;
  capability_area: string;
  category: string;
  lethal: boolean;
  approved_quantity: number | null;
  unit: string;
  estimated_unit_cost_usd_minor: bigint;
  description: string | null;
  /** Packages take the item in multiples of this, the last part excepted (migration 0024). */
  quantity_step: number;
  /** Packages take only the whole remaining quantity (0024). */
  whole_only: boolean;
  synthetic: boolean;
  /** Quantity of this item already in packages that are not cancelled. */
  packaged_quantity: number;
}

export async function findItemForPackaging(
  tx: Tx,
  itemId: bigint,
): Promise<ApprovedItemRow | undefined> {
  const result = await sql<ApprovedItemRow>`
    SELECT i.id, i.list_id, l.status AS list_status, i.capability_area, i.category, i.lethal, i.approved_quantity,
           i.unit, i.estimated_unit_cost_usd_minor, i.description, i.quantity_step, i.whole_only,
           i.synthetic,
           coalesce((SELECT sum(pl.quantity) FROM package_line pl JOIN package p ON p.id = pl.package_id
                     WHERE pl.requirement_item_id = i.id AND p.status <> 'cancelled'), 0)::int AS packaged_quantity
    FROM requirement_item i JOIN requirement_list l ON l.id = i.list_id
    WHERE i.id = ${itemId}
    FOR UPDATE OF i`.execute(tx);
  return result.rows[0];
}

export async function insertAllocation(
  tx: Tx,
  a: Omit<AllocationRow, 'id' | 'created_at' | 'resolved_at' | 'synthetic'> & {
    synthetic: boolean;
  },
) {
  return tx.insertInto('allocation').values(a).returningAll().executeTakeFirstOrThrow();
}

export async function findAllocations(db: Executor, packageId: bigint): Promise<AllocationRow[]> {
  return db
    .selectFrom('allocation')
    .selectAll()
    .where('package_id', '=', packageId)
    .orderBy('id')
    .execute();
}

export async function resolveAllocations(
  tx: Tx,
  packageId: bigint,
  from: 'pending',
  to: 'posted' | 'voided',
): Promise<void> {
  await tx
    .updateTable('allocation')
    .set({ status: to, resolved_at: sql<Date>`now()` })
    .where('package_id', '=', packageId)
    .where('status', '=', from)
    .execute();
}

export interface PackageFilter {
  status?: PackageStatus | undefined;
  cycle?: string | undefined;
  /** Packages with at least one line in this capability area. */
  capabilityArea?: string | undefined;
  /** Packages funded (pending or posted) by a contribution of this party. */
  donorPartyId?: string | undefined;
  /** Created on or after / on or before (YYYY-MM-DD). */
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  afterId?: bigint | undefined;
  limit: number;
}

export async function listPackages(db: Executor, f: PackageFilter): Promise<PackageRow[]> {
  let query = db
    .selectFrom('package')
    .selectAll()
    .orderBy('id')
    .limit(f.limit + 1);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.cycle) query = query.where('cycle', '=', f.cycle);
  if (f.capabilityArea) {
    const area = f.capabilityArea;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('package_line')
          .select('package_line.id')
          .whereRef('package_line.package_id', '=', 'package.id')
          .where('package_line.capability_area', '=', area),
      ),
    );
  }
  if (f.donorPartyId) {
    const donor = f.donorPartyId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('allocation')
          .innerJoin('contribution', 'contribution.id', 'allocation.contribution_id')
          .select('allocation.id')
          .whereRef('allocation.package_id', '=', 'package.id')
          .where('allocation.status', '<>', 'voided')
          .where('contribution.donor_party_id', '=', donor),
      ),
    );
  }
  if (f.createdFrom) query = query.where('created_at', '>=', sql<Date>`${f.createdFrom}::date`);
  if (f.createdTo) query = query.where('created_at', '<', sql<Date>`${f.createdTo}::date + 1`);
  if (f.afterId !== undefined) query = query.where('id', '>', f.afterId);
  return query.execute();
}

export async function packageOfLine(db: Executor, lineId: bigint): Promise<bigint> {
  const row = await db
    .selectFrom('package_line')
    .select('package_id')
    .where('id', '=', lineId)
    .executeTakeFirstOrThrow();
  return row.package_id;
}

/** Parties with an allocation to the package that is not voided (for redaction). */
export async function findFundingParties(db: Executor, packageId: bigint): Promise<string[]> {
  const rows = await db
    .selectFrom('allocation')
    .innerJoin('contribution', 'contribution.id', 'allocation.contribution_id')
    .select('contribution.donor_party_id')
    .distinct()
    .where('allocation.package_id', '=', packageId)
    .where('allocation.status', '<>', 'voided')
    .execute();
  return rows.map((r) => r.donor_party_id);
}

/**
 * Of `itemIds`, those with a line in a package the party funds (an allocation from one of its
 * contributions that is not voided) — for redaction.
 */
export async function findItemsFundedBy(
  db: Executor,
  partyId: string,
  itemIds: readonly bigint[],
): Promise<Set<bigint>> {
  if (itemIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('package_line')
    .innerJoin('allocation', 'allocation.package_id', 'package_line.package_id')
    .innerJoin('contribution', 'contribution.id', 'allocation.contribution_id')
    .select('package_line.requirement_item_id')
    .distinct()
    .where('package_line.requirement_item_id', 'in', [...itemIds])
    .where('allocation.status', '<>', 'voided')
    .where('contribution.donor_party_id', '=', partyId)
    .execute();
  return new Set(rows.map((r) => r.requirement_item_id));
}
