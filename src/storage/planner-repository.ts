/**
 * What the allocation planner reads: the money available (committed contributions' unallocated
 * balances) and which approved list a plan is for. The items come from
 * `findApprovedRequirementItems` (requirements-repository).
 */
import { sql } from 'kysely';
import type { Database } from './database.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export interface AvailableFundingRow {
  contributionId: bigint;
  donorPartyId: string;
  currency: string;
  /** Credits posted − debits posted − debits pending of `contribution:N:available`. */
  availableMinor: bigint;
  earmarkAreas: string[];
  earmarkPackageNumber: string | null;
  fundsPackageAlone: boolean;
}

/** Committed contributions (`c`) joined to their `available` account (`a`) holding money. */
function withAvailableMoney(db: Executor) {
  return db
    .selectFrom('contribution as c')
    .innerJoin('ledger_account as a', (join) =>
      join.on(sql<boolean>`a.reference = 'contribution:' || c.id::text || ':available'`),
    )
    .where('c.status', 'in', ['committed', 'partially_paid', 'paid'])
    .where(sql<boolean>`a.credits_posted - a.debits_posted - a.debits_pending > 0`);
}

/**
 * Committed contributions (paid or not) with money not yet allocated, the most money first
 * (in each one's own currency), at most `limit` rows.
 */
export async function findAvailableFunding(
  db: Executor,
  limit: number,
): Promise<AvailableFundingRow[]> {
  const rows = await withAvailableMoney(db)
    .leftJoin('package as p', 'p.id', 'c.earmark_package_id')
    .select([
      'c.id',
      'c.donor_party_id',
      'c.currency',
      'c.earmark_areas',
      'c.funds_package_alone',
      'p.number as earmark_package_number',
      sql<string>`(a.credits_posted - a.debits_posted - a.debits_pending)::text`.as('available'),
    ])
    .orderBy(sql`a.credits_posted - a.debits_posted - a.debits_pending`, 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    contributionId: BigInt(r.id),
    donorPartyId: r.donor_party_id,
    currency: r.currency,
    availableMinor: BigInt(r.available),
    earmarkAreas: r.earmark_areas,
    earmarkPackageNumber: r.earmark_package_number,
    fundsPackageAlone: r.funds_package_alone,
  }));
}

/** Count of contributions with money available (to say how many a capped plan left out). */
export async function countAvailableFunding(db: Executor): Promise<number> {
  const row = await withAvailableMoney(db)
    .select(sql<string>`count(*)::text`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The approved list a plan is for: the one of `cycle` when given, else the latest approved
 * list that still has approved quantity not yet in a package.
 */
export async function findPlanList(
  db: Executor,
  cycle: string | undefined,
): Promise<{ id: bigint; cycle: string; title: string } | undefined> {
  const packaged = sql<number>`coalesce((SELECT sum(pl.quantity) FROM package_line pl
      JOIN package p ON p.id = pl.package_id
      WHERE pl.requirement_item_id = i.id AND p.status <> 'cancelled'), 0)`;
  let query = db
    .selectFrom('requirement_list as l')
    .select(['l.id', 'l.cycle', 'l.title'])
    .where('l.status', '=', 'approved')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('requirement_item as i')
          .select('i.id')
          .whereRef('i.list_id', '=', 'l.id')
          .where(sql<boolean>`coalesce(i.approved_quantity, 0) > ${packaged}`),
      ),
    )
    .orderBy('l.cycle', 'desc')
    .orderBy('l.id', 'desc')
    .limit(1);
  if (cycle !== undefined) query = query.where('l.cycle', '=', cycle);
  const row = await query.executeTakeFirst();
  return row && { id: BigInt(row.id), cycle: row.cycle, title: row.title };
}
