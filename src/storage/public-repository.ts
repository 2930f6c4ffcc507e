/**
 * SQL of the public figures: the totals a coordinator publishes (read in the caller's snapshot)
 * and the append-only table of published snapshots.
 */
import { sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
import type { PackageStatus } from './schema-funding.js';
import type { PublicSnapshotTable } from './schema-public.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];
export type PublicSnapshotRow = Selectable<PublicSnapshotTable>;

export interface CommittedByDonorRow {
  party_id: string;
  currency: string;
  committed_minor: bigint;
  contributions: number;
}

/**
 * Committed per donor and currency: contributions committed, partially paid or paid. Pledges
 * are not counted (they are not funding), nor cancellations (their commitment is 0).
 */
export async function committedByDonor(db: Executor): Promise<CommittedByDonorRow[]> {
  const result = await sql<CommittedByDonorRow>`
    SELECT donor_party_id AS party_id, currency,
           sum(committed_minor)::bigint AS committed_minor, count(*)::int AS contributions
    FROM contribution
    WHERE status IN ('committed', 'partially_paid', 'paid') AND committed_minor > 0
    GROUP BY donor_party_id, currency
    ORDER BY donor_party_id, currency`.execute(db);
  return result.rows;
}

export interface PackageStatusRow {
  status: PackageStatus;
  packages: number;
  /** Allocations (pending and posted); a closed package's surplus went back: at most its price. */
  funded_minor: bigint;
  disbursed_minor: bigint;
}

/** Per package status: how many, funded and disbursed (USD minor units). */
export async function packageTotalsByStatus(db: Executor): Promise<PackageStatusRow[]> {
  const result = await sql<PackageStatusRow>`
    SELECT status, count(*)::int AS packages,
           coalesce(sum(CASE WHEN status = 'cancelled' THEN 0
                             WHEN status = 'closed' THEN least(funded_minor, price_minor)
                             ELSE funded_minor END), 0)::bigint AS funded_minor,
           coalesce(sum(disbursed_minor), 0)::bigint AS disbursed_minor
    FROM package
    WHERE currency = 'USD'
    GROUP BY status`.execute(db);
  return result.rows;
}

/**
 * Delivered value (USD minor units): per line of a package that is not cancelled, the quantity
 * received in good order (received − damaged − wrong items, at most the line's quantity) × its
 * unit price.
 */
export async function deliveredValue(db: Executor): Promise<bigint> {
  const result = await sql<{ value: bigint }>`
    SELECT coalesce(sum(least(pl.quantity::bigint, greatest(0, good.quantity)) * pl.unit_price_minor), 0)::bigint AS value
    FROM package_line pl
    JOIN package p ON p.id = pl.package_id AND p.status <> 'cancelled' AND p.currency = 'USD'
    CROSS JOIN LATERAL (
      SELECT coalesce((SELECT sum(r.received_quantity) FROM receipt r
                       WHERE r.package_line_id = pl.id), 0)
           - coalesce((SELECT sum(d.quantity) FROM discrepancy d
                       WHERE d.package_line_id = pl.id AND d.kind IN ('damaged', 'wrong_item')), 0)
             AS quantity
    ) good`.execute(db);
  return result.rows[0]?.value ?? 0n;
}

/** Whether any contribution or package counted is demonstration data. */
export async function includesSyntheticData(db: Executor): Promise<boolean> {
  const result = await sql<{ synthetic: boolean }>`
    SELECT (EXISTS (SELECT 1 FROM contribution WHERE synthetic)
            OR EXISTS (SELECT 1 FROM package WHERE synthetic)) AS synthetic`.execute(db);
  return result.rows[0]?.synthetic ?? false;
}

/** The database's time of the current transaction (the snapshot's moment). */
export async function transactionTime(tx: Tx): Promise<Date> {
  const result = await sql<{ now: Date }>`SELECT now() AS now`.execute(tx);
  return result.rows[0]!.now;
}

export async function insertPublicSnapshot(
  tx: Tx,
  snapshot: { publishedAt: Date; publishedBy: string; figures: unknown; hash: string },
): Promise<PublicSnapshotRow> {
  return tx
    .insertInto('public_snapshot')
    .values({
      published_at: snapshot.publishedAt,
      published_by: snapshot.publishedBy,
      figures: JSON.stringify(snapshot.figures),
      hash: snapshot.hash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLatestPublicSnapshot(
  db: Executor,
): Promise<PublicSnapshotRow | undefined> {
  return db
    .selectFrom('public_snapshot')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Newest first, `limit` rows before `beforeId`. */
export async function listPublicSnapshots(
  db: Executor,
  options: { beforeId?: bigint | undefined; limit: number },
): Promise<PublicSnapshotRow[]> {
  let query = db
    .selectFrom('public_snapshot')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query.execute();
}
