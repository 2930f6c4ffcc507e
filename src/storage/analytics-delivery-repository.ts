/**
 * SQL of the delivery analyses (services/analytics/lead-times.ts, follow-up.ts, context.ts): a
 * few set-based reads, each one statement whatever the number of packages — never a query per
 * package. Every function takes the caller's `Tx` (the analyses read in one REPEATABLE READ
 * snapshot) or the Kysely instance. Dates come back as `YYYY-MM-DD` text, int8 as bigint.
 *
 * Rules held here (and documented again in the services):
 * - A package's milestones are business dates: the funding of its live (not voided) allocations
 *   by value date, the funders' commitment dates, `authorized_on`, the first shipment's
 *   `dispatched_on`, the last receipt's `received_on`. `opened_at` is the one clock time used
 *   (a package has no business date for its opening), as a UTC day.
 * - A line is complete as of a day when what was received in good order by then (received −
 *   damaged − wrong items, on receipts of that day or before) plus the shortfalls settled
 *   without a replacement (credited or written off, `over` excluded) on those receipts covers
 *   its quantity — the rule of services/deliveries-service.ts, bounded by the day.
 * - A receipt's delivered value is its quantity in good order, capped so a line's receipts in
 *   order (received on, then id) never count more than the line's quantity, × the line's unit
 *   price — so the receipts of a line add up to the funnel's delivered value of that line.
 */
import { sql, type RawBuilder } from 'kysely';
import { CHUNK_BITS, contributionJoin, idInChunks, packedRows } from './analytics-repository.js';
import type { Database } from './database.js';
import type { ContributionStatus, PackageStatus } from './schema-funding.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

// ---- Lead times ----

export interface PackageMilestonesRow {
  id: bigint;
  number: string;
  title: string;
  status: PackageStatus;
  currency: string;
  priceMinor: bigint;
  /** The UTC day the package was opened for funding (a clock time; null for a draft). */
  openedOn: string | null;
  /** The earliest value date of its live allocations. */
  firstAllocationOn: string | null;
  /** The latest value date of its live allocations: the day the last of its funding came. */
  lastAllocationOn: string | null;
  /** The latest commitment date of the contributions of its live allocations. */
  lastCommittedOn: string | null;
  /** Σ package-currency amounts of its live allocations with a value date on or before `asOf`. */
  fundedAsOfMinor: bigint;
  authorizedOn: string | null;
  /** The earliest dispatch date of its shipments. */
  firstDispatchOn: string | null;
  /** The latest receipt date of its lines. */
  lastReceiptOn: string | null;
  linesTotal: number;
  /** Lines complete as of `asOf` (see the header). */
  linesReceived: number;
  /** The package's chunk (`CHUNK_BITS.package`). */
  chunk: number;
}

/**
 * Every package past its draft and not cancelled, with its milestones (one statement), of the
 * chunks of packages `only` (all when absent). `asOf` bounds the funding sum and the line
 * progress; the service bounds the dates.
 */
export async function listPackageMilestones(
  db: Executor,
  asOf: string,
  only?: readonly number[],
): Promise<PackageMilestonesRow[]> {
  // Each part read for the packages of the chunks only: by key, not a scan of all of them.
  const of = (id: RawBuilder<unknown>) => idInChunks(id, CHUNK_BITS.package, only);
  const result = await sql<PackageMilestonesRow>`
    WITH alloc AS (
      SELECT a.package_id,
             min(a.value_date) AS first_on,
             max(a.value_date) AS last_on,
             max(c.committed_on) AS committed_on,
             coalesce(sum(a.package_amount_minor) FILTER (WHERE a.value_date <= ${asOf}::date), 0)::bigint
               AS funded_as_of
      FROM allocation a
      ${contributionJoin(sql`a.contribution_id`, ['committed_on'], only)}
      WHERE a.status <> 'voided' AND ${of(sql`a.package_id`)}
      GROUP BY a.package_id
    ),
    dispatch AS (
      SELECT package_id, min(dispatched_on) AS first_on
      FROM shipment WHERE dispatched_on IS NOT NULL AND ${of(sql`package_id`)}
      GROUP BY package_id
    ),
    chunk_receipt AS ${only === undefined ? sql`NOT MATERIALIZED` : sql`MATERIALIZED`} (
      SELECT r.* FROM receipt r
      ${only === undefined ? sql`` : sql`JOIN package_line cl ON cl.id = r.package_line_id AND ${of(sql`cl.package_id`)}`}
    ),
    received AS (
      SELECT r.package_line_id, max(r.received_on) AS last_on
      FROM chunk_receipt r
      GROUP BY r.package_line_id
    ),
    received_by AS (
      SELECT r.package_line_id, sum(r.received_quantity)::bigint AS quantity
      FROM chunk_receipt r WHERE r.received_on <= ${asOf}::date
      GROUP BY r.package_line_id
    ),
    discrepancies_by AS (
      SELECT d.package_line_id,
             coalesce(sum(d.quantity) FILTER (WHERE d.kind IN ('damaged', 'wrong_item')), 0)::bigint
               AS unusable,
             coalesce(sum(d.quantity) FILTER (
               WHERE d.kind <> 'over' AND d.resolution IN ('credited', 'written_off')), 0)::bigint
               AS closed
      FROM discrepancy d
      JOIN chunk_receipt r ON r.id = d.receipt_id
      WHERE r.received_on <= ${asOf}::date
      GROUP BY d.package_line_id
    ),
    lines AS (
      SELECT pl.package_id,
             count(*)::int AS total,
             count(*) FILTER (
               WHERE coalesce(rb.quantity, 0) - coalesce(db.unusable, 0) + coalesce(db.closed, 0)
                     >= pl.quantity)::int AS complete,
             max(rc.last_on) AS last_receipt_on
      FROM package_line pl
      LEFT JOIN received rc ON rc.package_line_id = pl.id
      LEFT JOIN received_by rb ON rb.package_line_id = pl.id
      LEFT JOIN discrepancies_by db ON db.package_line_id = pl.id
      WHERE ${of(sql`pl.package_id`)}
      GROUP BY pl.package_id
    )
    SELECT p.id, p.number, p.title, p.status, p.currency, p.price_minor AS "priceMinor",
           (p.opened_at AT TIME ZONE 'UTC')::date AS "openedOn",
           alloc.first_on AS "firstAllocationOn",
           alloc.last_on AS "lastAllocationOn",
           alloc.committed_on AS "lastCommittedOn",
           coalesce(alloc.funded_as_of, 0)::bigint AS "fundedAsOfMinor",
           p.authorized_on AS "authorizedOn",
           dispatch.first_on AS "firstDispatchOn",
           lines.last_receipt_on AS "lastReceiptOn",
           coalesce(lines.total, 0)::int AS "linesTotal",
           coalesce(lines.complete, 0)::int AS "linesReceived",
           (p.id >> ${sql.lit(CHUNK_BITS.package)})::int AS chunk
    FROM package p
    LEFT JOIN alloc ON alloc.package_id = p.id
    LEFT JOIN dispatch ON dispatch.package_id = p.id
    LEFT JOIN lines ON lines.package_id = p.id
    WHERE p.status NOT IN ('draft', 'cancelled') AND ${of(sql`p.id`)}
    ORDER BY p.id`.execute(db);
  return result.rows;
}

// ---- Meeting follow-up ----

/** The meeting held before this one (by date, then id); undefined for the first. */
export async function findPreviousMeetingId(
  db: Executor,
  meetingId: bigint,
): Promise<bigint | undefined> {
  const result = await sql<{ id: bigint }>`
    SELECT p.id
    FROM meeting m
    JOIN meeting p ON (p.held_on, p.id) < (m.held_on, m.id)
    WHERE m.id = ${meetingId}
    ORDER BY p.held_on DESC, p.id DESC
    LIMIT 1`.execute(db);
  return result.rows[0]?.id;
}

export interface FollowUpContributionRow {
  id: bigint;
  donorPartyId: string;
  title: string;
  currency: string;
  status: ContributionStatus;
  committedMinor: bigint;
  paidMinor: bigint;
  committedOn: string | null;
}

/** The contributions linked to any announcement of the meeting, once each, by id. */
export async function listMeetingContributions(
  db: Executor,
  meetingId: bigint,
): Promise<FollowUpContributionRow[]> {
  const result = await sql<FollowUpContributionRow>`
    SELECT c.id, c.donor_party_id AS "donorPartyId", c.title, c.currency, c.status,
           c.committed_minor AS "committedMinor", c.paid_minor AS "paidMinor",
           c.committed_on AS "committedOn"
    FROM contribution c
    WHERE c.id IN (
      SELECT l.contribution_id
      FROM meeting_announcement_contribution l
      JOIN meeting_announcement a ON a.id = l.announcement_id
      WHERE a.meeting_id = ${meetingId})
    ORDER BY c.id`.execute(db);
  return result.rows;
}

// Payments: `listPayments` of analytics-repository.ts (one reader for both repositories).
export { listPayments, type PaymentRow } from './analytics-repository.js';

export interface ReceiptValueRow {
  receiptId: bigint;
  packageId: bigint;
  packageNumber: string;
  packageLineId: bigint;
  receivedOn: string;
  /** Counted quantity: in good order, capped at what the line still lacked (see the header). */
  quantity: number;
  unitPriceMinor: bigint;
  /** quantity × unit price, in the package's currency. */
  valueMinor: bigint;
  currency: string;
}

/**
 * The delivered value of each receipt received in [from, to] of a package (not cancelled) that
 * any of `contributionIds` funds through a live allocation; receipts counting nothing are left
 * out. By date, then receipt id.
 */
export async function listReceiptValues(
  db: Executor,
  contributionIds: readonly bigint[],
  from: string,
  to: string,
): Promise<ReceiptValueRow[]> {
  if (contributionIds.length === 0) return [];
  const result = await sql<ReceiptValueRow>`
    WITH packages AS (
      SELECT DISTINCT package_id FROM allocation
      WHERE status <> 'voided' AND contribution_id IN (${sql.join(contributionIds)})
    ),
    unusable AS (
      SELECT d.receipt_id, sum(d.quantity) AS quantity
      FROM discrepancy d WHERE d.kind IN ('damaged', 'wrong_item')
      GROUP BY d.receipt_id
    ),
    good AS (
      SELECT r.id, r.package_line_id, r.received_on,
             (r.received_quantity - coalesce(u.quantity, 0))::bigint AS quantity
      FROM receipt r
      JOIN package_line pl ON pl.id = r.package_line_id
      JOIN packages ON packages.package_id = pl.package_id
      LEFT JOIN unusable u ON u.receipt_id = r.id
    ),
    counted AS (
      SELECT g.id, g.package_line_id, g.received_on, pl.package_id, pl.unit_price_minor,
             greatest(0, least(g.quantity, pl.quantity - coalesce(sum(g.quantity) OVER (
               PARTITION BY g.package_line_id ORDER BY g.received_on, g.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))::bigint AS quantity
      FROM good g
      JOIN package_line pl ON pl.id = g.package_line_id
    )
    SELECT c.id AS "receiptId", c.package_id AS "packageId", p.number AS "packageNumber",
           c.package_line_id AS "packageLineId", c.received_on AS "receivedOn",
           c.quantity::int AS quantity, c.unit_price_minor AS "unitPriceMinor",
           (c.quantity * c.unit_price_minor)::bigint AS "valueMinor", p.currency
    FROM counted c
    JOIN package p ON p.id = c.package_id
    WHERE c.received_on >= ${from}::date AND c.received_on <= ${to}::date
      AND c.quantity > 0 AND p.status <> 'cancelled'
    ORDER BY c.received_on, c.id`.execute(db);
  return result.rows;
}

export interface FundingShareRow {
  packageId: bigint;
  contributionId: bigint;
  donorPartyId: string;
  /** Σ package-currency amounts of the contribution's live allocations to the package. */
  fundedMinor: bigint;
}

/** Who funds each of the packages, per contribution (live allocations), by package then id. */
export async function listFundingShares(
  db: Executor,
  packageIds: readonly bigint[],
): Promise<FundingShareRow[]> {
  if (packageIds.length === 0) return [];
  const result = await sql<FundingShareRow>`
    SELECT a.package_id AS "packageId", a.contribution_id AS "contributionId",
           c.donor_party_id AS "donorPartyId", sum(a.package_amount_minor)::bigint AS "fundedMinor"
    FROM allocation a
    JOIN contribution c ON c.id = a.contribution_id
    WHERE a.status <> 'voided' AND a.package_id IN (${sql.join(packageIds)})
    GROUP BY a.package_id, a.contribution_id, c.donor_party_id
    ORDER BY a.package_id, a.contribution_id`.execute(db);
  return result.rows;
}

// ---- Context ----

export interface CommittedContributionRow {
  id: bigint;
  donorPartyId: string;
  title: string;
  currency: string;
  committedMinor: bigint;
  committedOn: string;
}

/**
 * Contributions committed in [from, to] (`from` optional) with a commitment above zero (a
 * cancellation's is 0; pledges have none), by donor then id.
 */
export async function listCommittedContributions(
  db: Executor,
  filter: { from?: string | undefined; to: string },
): Promise<CommittedContributionRow[]> {
  return packedRows<CommittedContributionRow>(
    db,
    sql`
      SELECT c.id, c.donor_party_id AS "donorPartyId", c.title, c.currency,
             c.committed_minor AS "committedMinor", c.committed_on AS "committedOn"
      FROM contribution c
      WHERE c.committed_on IS NOT NULL AND c.committed_minor > 0
        AND c.committed_on <= ${filter.to}::date
        ${filter.from === undefined ? sql`` : sql`AND c.committed_on >= ${filter.from}::date`}`,
    {
      id: 'bigint',
      donorPartyId: 'code',
      title: 'text',
      currency: 'code',
      committedMinor: 'bigint',
      committedOn: 'date',
    },
    sql`s."donorPartyId", s.id`,
  );
}

export interface PartyNameRow {
  id: string;
  nameEn: string;
  nameFr: string;
  nameUk: string;
}

/** The names of the parties among `ids` (unknown ids are left out). */
export async function listPartyNames(
  db: Executor,
  ids: readonly string[],
): Promise<PartyNameRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('party')
    .select(['id', 'name_en as nameEn', 'name_fr as nameFr', 'name_uk as nameUk'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}
