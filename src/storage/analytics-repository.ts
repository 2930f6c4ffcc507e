/**
 * SQL of the funding analyses (funnel, burden sharing, coverage, pace): every query reads the
 * recorded amounts a figure is made of — one slim row per record, in its own currency, with its
 * value date — in the caller's snapshot (the services run them in one REPEATABLE READ
 * transaction). Conversion to the reporting currency happens above, record by record, so a figure
 * always equals the sum of its drill-down; what can be done here (joins, the running sums of
 * receipts, the ledger's balances per currency) is done here, in one statement each.
 *
 * Rows carry no restricted text (no line or item descriptions): labels are built from numbers,
 * titles of contributions and party ids, which every operational reader may see.
 *
 * Dates are `YYYY-MM-DD`; a timestamp becomes its UTC calendar day.
 */
import { sql, type RawBuilder } from 'kysely';
import { PACKAGE_TRANSFER_CODES } from '../core/packages.js';
import { assert } from '../core/errors.js';
import type { Database } from './database.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

// ---- Many rows, one value ----

/** How a column travels packed: its text, and what it becomes. */
export type PackedKind = 'bigint' | 'int' | 'text' | 'code' | 'date' | 'bool';

const PACKED_NULL = '~';

/**
 * The rows of `query`, in `orderBy` order, read as ONE text value and unpacked here: the
 * analyses read tens of thousands of slim rows, and both drivers spend far longer per row than
 * per byte (PGlite parses each row's protocol message in JavaScript: ~15× slower at 40,000
 * rows). Each row is one line, its columns separated by commas: numbers, dates and booleans as
 * their text, free text hex-encoded (UTF-8) so no character can break the line, codes (currency,
 * party, package number, area, cycle: letters, digits, `-` and `_` only) as they are, NULL as
 * `~`; a line with another number of columns fails loudly.
 * `columns` names each column of the query (`s."name"`) and its kind; the result has exactly
 * those properties, typed as the plain query would return them (int8 → bigint, date → text).
 */
export async function packedRows<T>(
  db: Executor,
  query: RawBuilder<unknown>,
  columns: { readonly [K in keyof T]: PackedKind },
  /** The rows' order (none: any order, for rows only summed). */
  orderBy?: RawBuilder<unknown>,
): Promise<T[]> {
  const names = Object.keys(columns) as (keyof T & string)[];
  const fields = names.map((name) => {
    const column = sql.ref(`s.${name}`);
    return columns[name] === 'text'
      ? sql`coalesce(encode(convert_to(${column}, 'UTF8'), 'hex'), ${PACKED_NULL})`
      : sql`coalesce(${column}::text, ${PACKED_NULL})`;
  });
  const result = await sql<{ packed: string | null }>`
    SELECT string_agg(concat_ws(',', ${sql.join(fields)}), E'\n'
                      ${orderBy ? sql`ORDER BY ${orderBy}` : sql``}) AS packed
    FROM (${query}) s`.execute(db);
  const packed = result.rows[0]?.packed;
  if (!packed) return [];
  const kinds = names.map((name) => columns[name]);
  return packed.split('\n').map((line) => {
    const values = line.split(',');
    if (values.length !== names.length) {
      throw new Error(`packedRows: a row of ${values.length} columns, not ${names.length}`);
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const text = values[i]!;
      const kind = kinds[i]!;
      row[names[i]!] =
        text === PACKED_NULL && kind !== 'text'
          ? null
          : kind === 'bigint'
            ? BigInt(text)
            : kind === 'int'
              ? Number(text)
              : kind === 'bool'
                ? text === 'true'
                : kind === 'text'
                  ? text === PACKED_NULL
                    ? null
                    : Buffer.from(text, 'hex').toString('utf8')
                  : kind === 'code' && text === PACKED_NULL
                    ? null
                    : text;
    }
    return row as T;
  });
}

// ---- The data version ----

/**
 * The database's data version: the id of the last audit event. Every write the analyses read
 * from appends an audit event in its own transaction, so two reads of the same version see the
 * same data (services/analytics/result-cache.ts). Read first in a snapshot, it is that
 * snapshot's version.
 */
export async function readDataVersion(db: Executor): Promise<bigint> {
  const result = await sql<{ lastId: bigint }>`
    SELECT last_id AS "lastId" FROM audit_head WHERE singleton`.execute(db);
  return BigInt(result.rows[0]?.lastId ?? 0n);
}

/**
 * The data version an analysis depends on: `readDataVersion`, or — when it names tables whose
 * changes cannot change it — the newest version (migration 0025) of every other table, a
 * number that grows with each committed change to any of them and with nothing else.
 */
export async function readAnalysisVersion(
  db: Executor,
  unaffectedBy: readonly string[] | undefined,
): Promise<bigint> {
  if (!unaffectedBy || unaffectedBy.length === 0) return readDataVersion(db);
  const result = await sql<{ version: string | null }>`
    SELECT max(v.value::bigint)::text AS version
    FROM audit_head h, jsonb_each_text(h.table_versions) v
    WHERE h.singleton AND v.key NOT IN (${sql.join(unaffectedBy.map((t) => sql`${t}`))})`.execute(
    db,
  );
  return BigInt(result.rows[0]?.version ?? 0);
}

/**
 * Per versioned table (migration 0025), the audit event id of the last transaction that changed
 * it; a table never changed since is absent.
 */
export async function readTableVersions(db: Executor): Promise<Record<string, string>> {
  const result = await sql<{ versions: string }>`
    SELECT table_versions::text AS versions FROM audit_head WHERE singleton`.execute(db);
  const parsed = JSON.parse(result.rows[0]?.versions ?? '{}') as Record<string, number | string>;
  return Object.fromEntries(Object.entries(parsed).map(([table, id]) => [table, String(id)]));
}

/**
 * The version of the FX rates: the id of the last FX import's audit event (the import is the
 * only writer of `fx_rate` and records one in its transaction); 0 when none.
 */
export async function readFxVersion(db: Executor): Promise<bigint> {
  const result = await sql<{ id: bigint | null }>`
    SELECT max(id) AS id FROM audit_event WHERE entity = 'fx_rate'`.execute(db);
  return BigInt(result.rows[0]?.id ?? 0n);
}

// ---- Contributions and payments ----

export interface ContributionAmountRow {
  id: bigint;
  partyId: string;
  currency: string;
  title: string;
  amountMinor: bigint;
  valueDate: string;
}

/**
 * Pledged: every contribution not cancelled, its pledged amount on its announcement day (a
 * pledge is shown, never counted as funding). Committed: contributions committed, partially
 * paid or paid, their committed amount (after any reduction) on their commitment day.
 */
export async function listContributionAmounts(
  db: Executor,
  measure: 'pledged' | 'committed',
  /** Only the first `limit` dated up to `to` (in `currency`), by date then id. */
  page?: { to: string; currency?: string | undefined; limit: number },
): Promise<ContributionAmountRow[]> {
  const day = measure === 'pledged' ? sql.ref('announced_on') : sql.ref('committed_on');
  const paged = page
    ? sql`AND ${day} <= ${page.to}::date
          ${page.currency === undefined ? sql`` : sql`AND currency = ${page.currency}`}
          ORDER BY ${day}, id LIMIT ${sql.lit(Math.trunc(page.limit))}`
    : sql``;
  const query =
    measure === 'pledged'
      ? sql`
          SELECT id, donor_party_id AS "partyId", currency, title,
                 pledged_minor AS "amountMinor", announced_on AS "valueDate"
          FROM contribution
          WHERE status <> 'cancelled' AND pledged_minor > 0 ${paged}`
      : sql`
          SELECT id, donor_party_id AS "partyId", currency, title,
                 committed_minor AS "amountMinor", committed_on AS "valueDate"
          FROM contribution
          WHERE status IN ('committed', 'partially_paid', 'paid') AND committed_minor > 0
            AND committed_on IS NOT NULL ${paged}`;
  return packedRows<ContributionAmountRow>(
    db,
    query,
    {
      id: 'bigint',
      partyId: 'code',
      currency: 'code',
      title: 'text',
      amountMinor: 'bigint',
      valueDate: 'date',
    },
    sql`s."valueDate", s.id`,
  );
}

export interface PaymentRow {
  id: bigint;
  contributionId: bigint;
  donorPartyId: string;
  currency: string;
  amountMinor: bigint;
  paidOn: string;
}

/**
 * Payments received from donors, by date then id: every one, or those paid in [from, to] of the
 * given contributions (all when `contributionIds` is undefined). The one reader of payments of
 * both the funding and the delivery analyses.
 */
export async function listPayments(
  db: Executor,
  filter: {
    contributionIds?: readonly bigint[];
    from?: string | undefined;
    to?: string;
    /** Only those in this currency. */
    currency?: string | undefined;
    /** Only the first ones, by date then id. */
    limit?: number;
  } = {},
): Promise<PaymentRow[]> {
  const ids = filter.contributionIds;
  if (ids !== undefined && ids.length === 0) return [];
  return packedRows<PaymentRow>(
    db,
    sql`
      SELECT p.id, p.contribution_id AS "contributionId", c.donor_party_id AS "donorPartyId",
             c.currency, p.amount_minor AS "amountMinor", p.paid_on AS "paidOn"
      FROM contribution_payment p
      JOIN contribution c ON c.id = p.contribution_id
      WHERE true
        ${filter.to === undefined ? sql`` : sql`AND p.paid_on <= ${filter.to}::date`}
        ${filter.from === undefined ? sql`` : sql`AND p.paid_on >= ${filter.from}::date`}
        ${ids === undefined ? sql`` : sql`AND p.contribution_id IN (${sql.join(ids)})`}
        ${filter.currency === undefined ? sql`` : sql`AND c.currency = ${filter.currency}`}
        ${
          filter.limit === undefined
            ? sql``
            : sql`ORDER BY p.paid_on, p.id LIMIT ${sql.lit(Math.trunc(filter.limit))}`
        }`,
    {
      id: 'bigint',
      contributionId: 'bigint',
      donorPartyId: 'code',
      currency: 'code',
      amountMinor: 'bigint',
      paidOn: 'date',
    },
    sql`s."paidOn", s.id`,
  );
}

// ---- Allocations, authorisations, disbursements ----

export interface AllocationAmountRow {
  /** The allocation's id. */
  id: bigint;
  packageId: bigint;
  packageNumber: string;
  contributionId: bigint;
  partyId: string;
  /** The package's currency (USD). */
  currency: string;
  /** What reached the package: positive for an allocation, negative for a returned surplus. */
  amountMinor: bigint;
  /** The allocation's value date; a surplus: the day its package closed (UTC). */
  valueDate: string;
  /** `surplus`: funding returned to the contribution when its package closed. */
  surplus: boolean;
}

/**
 * What reached packages from contributions, in the package's currency: every allocation that is
 * not voided (pending or posted), at its package amount and value date; and, negative, every
 * surplus returned from a package's funding when it closed (the ledger's surplus-return
 * transfers out of `package:N:funding`, each naming its allocation in its idempotency key).
 */
export async function listAllocationAmounts(
  db: Executor,
  /**
   * Only a page: those dated up to `to` (in `currency`, of the packages `packageIds`), after
   * `after`, the first `limit` by date, id, then the allocation before its surplus — each branch
   * read by index (`allocation_value_date`), never the whole table sorted.
   */
  page?: AllocationPage,
): Promise<AllocationAmountRow[]> {
  if (page?.packageIds !== undefined && page.packageIds.length === 0) return [];
  const limit = page === undefined ? sql`` : sql`LIMIT ${sql.lit(Math.trunc(page.limit))}`;
  const where = (day: RawBuilder<unknown>, surplus: boolean) =>
    page === undefined
      ? sql``
      : sql`AND ${day} <= ${page.to}::date
            ${page.currency === undefined ? sql`` : sql`AND p.currency = ${page.currency}`}
            ${
              page.packageIds === undefined
                ? sql``
                : sql`AND a.package_id IN (${sql.join(page.packageIds)})`
            }
            ${
              page.exceptPackageIds === undefined || page.exceptPackageIds.length === 0
                ? sql``
                : sql`AND a.package_id NOT IN (${sql.join(page.exceptPackageIds)})`
            }
            ${
              page.after === undefined
                ? sql``
                : sql`AND (${day}, a.id, ${sql.lit(surplus)})
                          > (${page.after.valueDate}::date, ${page.after.id}::bigint,
                             ${sql.lit(page.after.surplus)})`
            }
            ORDER BY ${day}, a.id ${limit}`;
  const surplusDay = sql`(coalesce(p.closed_at, t.created_at) AT TIME ZONE 'UTC')::date`;
  return packedRows<AllocationAmountRow>(
    db,
    sql`
    (SELECT a.id, a.package_id AS "packageId", p.number AS "packageNumber",
           a.contribution_id AS "contributionId", c.donor_party_id AS "partyId",
           p.currency, a.package_amount_minor AS "amountMinor", a.value_date AS "valueDate",
           false AS surplus
    FROM allocation a
    JOIN package p ON p.id = a.package_id
    JOIN contribution c ON c.id = a.contribution_id
    WHERE a.status <> 'voided' ${where(sql`a.value_date`, false)})
    UNION ALL
    (SELECT a.id, a.package_id, p.number, a.contribution_id, c.donor_party_id, p.currency,
           -t.amount, ${surplusDay}, true
    FROM ledger_transfer t
    JOIN ledger_account f ON f.id = t.debit_account_id AND f.reference LIKE 'package:%:funding'
    JOIN allocation a
      ON a.id = substring(t.idempotency_key FROM '^package:[0-9]+:surplus:([0-9]+)')::bigint
    JOIN package p ON p.id = a.package_id
    JOIN contribution c ON c.id = a.contribution_id
    WHERE t.code = ${sql.lit(PACKAGE_TRANSFER_CODES.surplusReturn)} AND t.kind = 'posted'
      ${where(surplusDay, true)})
    ${page === undefined ? sql`` : sql`ORDER BY "valueDate", id, surplus ${limit}`}`,
    {
      id: 'bigint',
      packageId: 'bigint',
      packageNumber: 'code',
      contributionId: 'bigint',
      partyId: 'code',
      currency: 'code',
      amountMinor: 'bigint',
      valueDate: 'date',
      surplus: 'bool',
    },
    sql`s."valueDate", s.id, s.surplus`,
  );
}

/** A page of `listAllocationAmounts`. */
export interface AllocationPage {
  to: string;
  currency?: string | undefined;
  packageIds?: readonly bigint[] | undefined;
  /** Not those of these packages. */
  exceptPackageIds?: readonly bigint[] | undefined;
  after?: Pick<AllocationAmountRow, 'valueDate' | 'id' | 'surplus'> | undefined;
  limit: number;
}

export interface PackageAmountRow {
  id: bigint;
  number: string;
  currency: string;
  amountMinor: bigint;
  valueDate: string;
}

/** Packages authorised or later (authorised, in delivery, delivered, closed): price on authorisation day. */
export async function listAuthorisedPackages(db: Executor): Promise<PackageAmountRow[]> {
  const result = await sql<PackageAmountRow>`
    SELECT id, number, currency, price_minor AS "amountMinor", authorized_on AS "valueDate"
    FROM package
    WHERE status IN ('authorized', 'in_delivery', 'delivered', 'closed')
      AND authorized_on IS NOT NULL AND price_minor > 0
    ORDER BY authorized_on, id`.execute(db);
  return result.rows;
}

export interface DisbursementRow {
  /** The ledger transfer that paid the supplier. */
  transferId: bigint;
  packageId: bigint;
  packageNumber: string;
  currency: string;
  amountMinor: bigint;
  /** The day the supplier was paid, as the command recorded it. */
  valueDate: string;
}

/**
 * Every payment to the supplier, from the audit log of the `disburse` command (append-only and
 * hash-chained; the one place its paid-on date is kept): the amount is the growth of the
 * package's disbursed total, the transfer is the one the command wrote. Independent of the
 * ledger's balances, so the reconciliation compares two records of the same money.
 */
export async function listDisbursements(db: Executor): Promise<DisbursementRow[]> {
  return packedRows<DisbursementRow & { eventId: bigint }>(
    db,
    sql`
      SELECT (e.after->>'transferId')::bigint AS "transferId", p.id AS "packageId",
             p.number AS "packageNumber", p.currency,
             ((e.after->>'disbursedMinor')::bigint - (e.before->>'disbursedMinor')::bigint)
               AS "amountMinor",
             e.after->>'paidOn' AS "valueDate", e.id AS "eventId"
      FROM audit_event e
      JOIN package p ON p.id::text = e.entity_id
      WHERE e.entity = 'package' AND e.action = 'disburse'`,
    {
      transferId: 'bigint',
      packageId: 'bigint',
      packageNumber: 'code',
      currency: 'code',
      amountMinor: 'bigint',
      valueDate: 'text',
      eventId: 'bigint',
    },
    sql`s."valueDate", s."eventId"`,
  );
}

// ---- Receipts, requirements, package lines ----

export interface ReceiptValueRow {
  id: bigint;
  packageId: bigint;
  packageNumber: string;
  packageLineId: bigint;
  requirementItemId: bigint;
  capabilityArea: string;
  /** The cycle of the requirement list the line's item belongs to. */
  cycle: string;
  currency: string;
  /** The quantity this receipt adds to the line's good-order total (see below). */
  quantity: number;
  unitPriceMinor: bigint;
  valueDate: string;
  /** The chunk of its package (`CHUNK_BITS.package`). */
  chunk: number;
}

/**
 * The receipts that add to delivered value (see `listReceiptValues`), of the packages in the
 * chunks `only` (all when absent).
 */
function receiptValuesQuery(only?: readonly number[]): RawBuilder<unknown> {
  const inChunks =
    only === undefined
      ? sql``
      : sql`JOIN package_line fl ON fl.id = r.package_line_id
              AND ${idInChunks(sql`fl.package_id`, CHUNK_BITS.package, only)}`;
  return sql`
    WITH unusable AS (
      SELECT d.receipt_id, sum(d.quantity) AS quantity
      FROM discrepancy d WHERE d.kind IN ('damaged', 'wrong_item')
      GROUP BY d.receipt_id
    ), good AS (
      SELECT r.id, r.package_line_id, r.received_on,
             r.received_quantity - coalesce(u.quantity, 0) AS good
      FROM receipt r ${inChunks} LEFT JOIN unusable u ON u.receipt_id = r.id
    ), running AS (
      SELECT g.*, sum(g.good) OVER (PARTITION BY g.package_line_id
                                    ORDER BY g.received_on, g.id) AS total
      FROM good g
    )
    SELECT r.id, p.id AS "packageId", p.number AS "packageNumber", pl.id AS "packageLineId",
           pl.requirement_item_id AS "requirementItemId", pl.capability_area AS "capabilityArea",
           l.cycle::text AS cycle, p.currency,
           (least(pl.quantity, greatest(0, r.total))
             - least(pl.quantity, greatest(0, r.total - r.good)))::int AS quantity,
           pl.unit_price_minor AS "unitPriceMinor", r.received_on AS "valueDate",
           (p.id >> ${sql.lit(CHUNK_BITS.package)})::int AS chunk
    FROM running r
    JOIN package_line pl ON pl.id = r.package_line_id
    JOIN package p ON p.id = pl.package_id AND p.status <> 'cancelled'
    JOIN requirement_item i ON i.id = pl.requirement_item_id
    JOIN requirement_list l ON l.id = i.list_id
    WHERE least(pl.quantity, greatest(0, r.total)) <> least(pl.quantity, greatest(0, r.total - r.good))`;
}

/**
 * Delivered value, one row per receipt that adds to it. A receipt counts its quantity received
 * in good order (received − damaged − wrong items recorded on it); a line's running good-order
 * total (by received day, then receipt id) is held within 0 and the line's quantity, and each
 * receipt counts what it adds to that held total — so the receipts of a line add up to
 * min(quantity, max(0, Σ good)), the delivered quantity of the public figures, and a receipt
 * never depends on a later one. Packages cancelled are left out.
 */
export async function listReceiptValues(
  db: Executor,
  only?: readonly number[],
): Promise<ReceiptValueRow[]> {
  return packedRows<ReceiptValueRow>(
    db,
    receiptValuesQuery(only),
    {
      id: 'bigint',
      packageId: 'bigint',
      packageNumber: 'code',
      packageLineId: 'bigint',
      requirementItemId: 'bigint',
      capabilityArea: 'code',
      cycle: 'code',
      currency: 'code',
      quantity: 'int',
      unitPriceMinor: 'bigint',
      valueDate: 'date',
      chunk: 'int',
    },
    sql`s."valueDate", s.id`,
  );
}

export interface RequirementItemValueRow {
  id: bigint;
  listId: bigint;
  cycle: string;
  capabilityArea: string;
  priorityRank: number;
  requestedQuantity: number;
  /** Null unless the list is approved or closed. */
  approvedQuantity: number | null;
  estimatedUnitCostMinor: bigint;
}

/**
 * Items of requirement lists that are requirements: submitted, validated, approved or closed
 * (a draft is not yet asked for, a withdrawn list no longer is). The approved quantity counts
 * only once the list is approved (or closed after approval).
 */
export async function listRequirementItems(db: Executor): Promise<RequirementItemValueRow[]> {
  return packedRows<RequirementItemValueRow & { cycleOrder: string; areaOrder: string }>(
    db,
    sql`
    SELECT i.id, i.list_id AS "listId", l.cycle::text AS cycle,
           l.cycle AS "cycleOrder", i.capability_area AS "areaOrder",
           i.capability_area AS "capabilityArea", i.priority_rank AS "priorityRank",
           i.requested_quantity AS "requestedQuantity",
           CASE WHEN l.status IN ('approved', 'closed') THEN i.approved_quantity END
             AS "approvedQuantity",
           i.estimated_unit_cost_usd_minor AS "estimatedUnitCostMinor"
    FROM requirement_item i
    JOIN requirement_list l ON l.id = i.list_id
    WHERE l.status IN ('submitted', 'validated', 'approved', 'closed')`,
    {
      id: 'bigint',
      listId: 'bigint',
      cycle: 'code',
      cycleOrder: 'code',
      areaOrder: 'code',
      capabilityArea: 'code',
      priorityRank: 'int',
      requestedQuantity: 'int',
      approvedQuantity: 'int',
      estimatedUnitCostMinor: 'bigint',
    },
    sql`s."cycleOrder", s."areaOrder", s."priorityRank", s.id`,
  );
}

export interface PackageLineValueRow {
  id: bigint;
  packageId: bigint;
  packageNumber: string;
  requirementItemId: bigint;
  capabilityArea: string;
  /** The cycle of the requirement list the line's item belongs to. */
  cycle: string;
  currency: string;
  quantity: number;
  unitPriceMinor: bigint;
  /** The chunk of its package (`CHUNK_BITS.package`). */
  chunk: number;
}

/**
 * Lines of packages that are not cancelled (drafts included: their items are taken), of the
 * packages in the chunks `only` (all when absent).
 */
export async function listPackageLines(
  db: Executor,
  only?: readonly number[],
): Promise<PackageLineValueRow[]> {
  return packedRows<PackageLineValueRow>(
    db,
    sql`
    SELECT pl.id, p.id AS "packageId", p.number AS "packageNumber",
           pl.requirement_item_id AS "requirementItemId", pl.capability_area AS "capabilityArea",
           l.cycle::text AS cycle, p.currency, pl.quantity, pl.unit_price_minor AS "unitPriceMinor",
           (p.id >> ${sql.lit(CHUNK_BITS.package)})::int AS chunk
    FROM package_line pl
    JOIN package p ON p.id = pl.package_id AND p.status <> 'cancelled'
    JOIN requirement_item i ON i.id = pl.requirement_item_id
    JOIN requirement_list l ON l.id = i.list_id
    WHERE ${idInChunks(sql`pl.package_id`, CHUNK_BITS.package, only)}`,
    {
      id: 'bigint',
      packageId: 'bigint',
      packageNumber: 'code',
      requirementItemId: 'bigint',
      capabilityArea: 'code',
      cycle: 'code',
      currency: 'code',
      quantity: 'int',
      unitPriceMinor: 'bigint',
      chunk: 'int',
    },
    sql`s."packageId", s.id`,
  );
}

// ---- Sums of a stage's records, grouped in SQL ----

/**
 * The stages read by chunk of ids of their one source table: an analysis after a write re-reads
 * only the chunks whose revision changed (services/analytics/stage-memo.ts). Contributions in
 * chunks of 2^10 ids; payments (220,000 at scale 1) of 2^11; ledger accounts (103,000; the
 * funnel's balances, `fundingLedgerBalances`) of 2^10; packages (5,000) of 2^5 — the allocated
 * and authorised stages by their package (migration 0027: every write of a package's allocations
 * updates its row). Migrations 0026 and 0027's triggers keep the chunks' revisions with these
 * same bits (a test compares them): a migration changes both.
 */
export const STAGE_CHUNKS: Partial<Record<FundingStage, ChunkedTable>> = {
  pledged: 'contribution',
  committed: 'contribution',
  paid: 'contribution_payment',
  allocated: 'package',
  authorised: 'package',
};
export type ChunkedTable = 'contribution' | 'contribution_payment' | 'ledger_account' | 'package';
export const CHUNK_BITS: Record<ChunkedTable, number> = {
  contribution: 10,
  contribution_payment: 11,
  ledger_account: 10,
  package: 5,
};

/**
 * Chunk revisions that move with some writes of a table only, in its chunks (migration 0028):
 * `package_shape` moves when a package is created, deleted, cancelled or restored, or its number
 * or currency changes — not when an allocation updates its funded amount — so what its lines and
 * receipts give is kept across allocations.
 */
export const SHAPE_CHUNKS = { package_shape: 'package' } as const satisfies Record<
  string,
  ChunkedTable
>;
/** What chunk revisions are kept of: a chunked table, or the shape of one. */
export type ChunkRevisions = ChunkedTable | keyof typeof SHAPE_CHUNKS;

export interface TableChunk {
  chunk: number;
  /**
   * The chunk's revision (migration 0026): the audit event id of the last committed transaction
   * that inserted, updated or deleted a row of the chunk, kept transactionally by the table's
   * `<table>_touch_chunks_*` triggers — so it changes with every change of the chunk's rows, in
   * commit order, and never repeats.
   */
  revision: string;
}

/**
 * `id` in one of the chunks `only` (every row when absent): id ranges, so the table's primary
 * key finds the chunks' rows.
 */
export function idInChunks(
  id: RawBuilder<unknown>,
  bits: number,
  only: readonly number[] | undefined,
): RawBuilder<unknown> {
  if (only === undefined) return sql`true`;
  if (only.length === 0) return sql`false`;
  return sql`(${sql.join(
    only.map((c) => {
      const from = BigInt(Math.trunc(c)) << BigInt(bits);
      const to = (BigInt(Math.trunc(c)) + 1n) << BigInt(bits);
      return sql`(${id} >= ${sql.lit(from.toString())}::bigint
                  AND ${id} < ${sql.lit(to.toString())}::bigint)`;
    }),
    sql` OR `,
  )})`;
}

/** Every chunk of the table with its revision: one indexed read, no scan of the table. */
export async function listTableChunks(db: Executor, table: ChunkRevisions): Promise<TableChunk[]> {
  const result = await sql<{ chunk: number; revision: string }>`
    SELECT chunk, revision::text AS revision
    FROM table_chunk WHERE table_name = ${table} ORDER BY chunk`.execute(db);
  return result.rows.map((r) => ({ chunk: Number(r.chunk), revision: r.revision }));
}

/** The stages of the funding funnel whose records the sums below read. */
export type FundingStage =
  'pledged' | 'committed' | 'paid' | 'allocated' | 'authorised' | 'disbursed' | 'delivered';

/** Chunks read with each record's contribution found by its key (`contributionJoin`), up to this many. */
const CHUNKS_BY_KEY_MAX = 4;

/**
 * The join of each record to its contribution, as `c` with `columns`: for a few chunks (after a
 * write) each contribution found by its key — `OFFSET 0` keeps the planner from hashing all
 * 50,000 contributions for a chunk's records (payments 25 → 2 ms, a chunk of packages'
 * allocations 20 → 5 ms) — for more (a first computation) as the planner likes.
 */
export function contributionJoin(
  contributionId: RawBuilder<unknown>,
  columns: readonly string[],
  only: readonly number[] | undefined,
): RawBuilder<unknown> {
  return only === undefined || only.length > CHUNKS_BY_KEY_MAX
    ? sql`JOIN contribution c ON c.id = ${contributionId}`
    : sql`CROSS JOIN LATERAL (SELECT ${sql.join(columns.map((c) => sql.ref(c)))}
                              FROM contribution WHERE id = ${contributionId} OFFSET 0) c`;
}

/**
 * Each stage's records as one slim row each — `currency`, `valueDate` (text), `amountMinor`,
 * `partyId` (null for package-side records) — the same records as the list functions above.
 */
function stageAmountsQuery(stage: FundingStage, only?: readonly number[]): RawBuilder<unknown> {
  // A chunked stage's chunks `only`.
  const inChunks = (id: RawBuilder<unknown>) =>
    idInChunks(id, CHUNK_BITS[STAGE_CHUNKS[stage] ?? 'contribution'], only);
  const packageBits = sql.lit(CHUNK_BITS.package);
  switch (stage) {
    case 'pledged':
      return sql`
        SELECT currency, announced_on::text AS "valueDate", pledged_minor AS "amountMinor",
               donor_party_id AS "partyId", (id >> ${sql.lit(CHUNK_BITS.contribution)})::int AS chunk,
               id AS "rowId"
        FROM contribution
        WHERE status <> 'cancelled' AND pledged_minor > 0 AND ${inChunks(sql`id`)}`;
    case 'committed':
      return sql`
        SELECT currency, committed_on::text AS "valueDate", committed_minor AS "amountMinor",
               donor_party_id AS "partyId", (id >> ${sql.lit(CHUNK_BITS.contribution)})::int AS chunk,
               id AS "rowId"
        FROM contribution
        WHERE status IN ('committed', 'partially_paid', 'paid') AND committed_minor > 0
          AND committed_on IS NOT NULL AND ${inChunks(sql`id`)}`;
    case 'paid':
      return sql`
        SELECT c.currency, p.paid_on::text AS "valueDate", p.amount_minor AS "amountMinor",
               c.donor_party_id AS "partyId",
               (p.id >> ${sql.lit(CHUNK_BITS.contribution_payment)})::int AS chunk,
               p.id AS "rowId"
        FROM contribution_payment p
        ${contributionJoin(sql`p.contribution_id`, ['currency', 'donor_party_id'], only)}
        WHERE ${inChunks(sql`p.id`)}`;
    case 'allocated':
      return sql`
        SELECT p.currency, a.value_date::text AS "valueDate",
               a.package_amount_minor AS "amountMinor", c.donor_party_id AS "partyId",
               a.package_id AS "packageId", (a.package_id >> ${packageBits})::int AS chunk
        FROM allocation a
        JOIN package p ON p.id = a.package_id
        ${contributionJoin(sql`a.contribution_id`, ['donor_party_id'], only)}
        WHERE a.status <> 'voided' AND ${inChunks(sql`a.package_id`)}
        UNION ALL
        SELECT p.currency,
               to_char(coalesce(p.closed_at, t.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
               -t.amount, c.donor_party_id, a.package_id, (a.package_id >> ${packageBits})::int
        FROM ledger_transfer t
        JOIN ledger_account f ON f.id = t.debit_account_id AND f.reference LIKE 'package:%:funding'
        JOIN allocation a
          ON a.id = substring(t.idempotency_key FROM '^package:[0-9]+:surplus:([0-9]+)')::bigint
        JOIN package p ON p.id = a.package_id
        JOIN contribution c ON c.id = a.contribution_id
        WHERE t.code = ${sql.lit(PACKAGE_TRANSFER_CODES.surplusReturn)} AND t.kind = 'posted'
          AND ${inChunks(sql`a.package_id`)}`;
    case 'authorised':
      return sql`
        SELECT currency, authorized_on::text AS "valueDate", price_minor AS "amountMinor",
               NULL::text AS "partyId", (id >> ${packageBits})::int AS chunk
        FROM package
        WHERE status IN ('authorized', 'in_delivery', 'delivered', 'closed')
          AND authorized_on IS NOT NULL AND price_minor > 0 AND ${inChunks(sql`id`)}`;
    case 'disbursed':
      return sql`
        SELECT p.currency, e.after->>'paidOn' AS "valueDate",
               ((e.after->>'disbursedMinor')::bigint - (e.before->>'disbursedMinor')::bigint)
                 AS "amountMinor",
               NULL::text AS "partyId"
        FROM audit_event e
        JOIN package p ON p.id::text = e.entity_id
        WHERE e.entity = 'package' AND e.action = 'disburse'`;
    case 'delivered':
      return sql`
        SELECT r.currency, r."valueDate"::text AS "valueDate",
               r.quantity::bigint * r."unitPriceMinor" AS "amountMinor", NULL::text AS "partyId"
        FROM (${receiptValuesQuery()}) r`;
  }
}

/**
 * The versioned tables (migration 0025) whose changes can change a stage's rows
 * (`stageAmountsQuery`). Not listed, because they never change a row already read: a
 * contribution's currency and donor (fixed at the pledge: `ContributionChanges` cannot set them),
 * so `paid` and `allocated` need not follow `contribution`; the surplus returns' ledger
 * transfers, posted in the transaction that closes their package (deliveries-service), which
 * versions `package`; the disbursements' audit events, followed by `STAGE_EVENTS`.
 */
export const STAGE_TABLES: Record<FundingStage, readonly string[]> = {
  pledged: ['contribution'],
  committed: ['contribution'],
  paid: ['contribution_payment'],
  allocated: ['allocation', 'package'],
  authorised: ['package'],
  // None: its rows are the disbursement audit events (`STAGE_EVENTS`) and their package's
  // currency, which never changes — so an allocation, which updates its package's row, leaves it
  // kept (the 23,875 events of scale 1 took 160 ms to read again).
  disbursed: [],
  // Not `package`: a receipt's row reads its package's currency and number (never changed:
  // `PackageChanges` cannot set them) and that it is not cancelled — and a package with a
  // receipt never is (it shipped, so it was authorised; core/packages.ts cancels only draft,
  // open and funded packages). So allocations, which update their package's row, leave it kept.
  delivered: ['receipt', 'discrepancy', 'package_line', 'requirement_item', 'requirement_list'],
};

/**
 * Stages read from audit events (append-only, ids in commit order under the chain's head lock):
 * kept under the id of the newest such event (`readLastEventId`) besides their tables' versions.
 */
export const STAGE_EVENTS: Partial<Record<FundingStage, { entity: string; action: string }>> = {
  disbursed: { entity: 'package', action: 'disburse' },
};

/** The id of the newest audit event of this entity and action ('0': none), by index. */
export async function readLastEventId(
  db: Executor,
  event: { entity: string; action: string },
): Promise<string> {
  const result = await sql<{ id: string }>`
    SELECT coalesce(max(id), 0)::text AS id FROM audit_event
    WHERE action = ${event.action} AND entity = ${event.entity}`.execute(db);
  return result.rows[0]?.id ?? '0';
}

export interface AllocatedAmountRow {
  packageId: bigint;
  currency: string;
  amountMinor: bigint;
  valueDate: string;
  /** The chunk of its package (`CHUNK_BITS.package`). */
  chunk: number;
}

/**
 * The funnel's allocated records dated on or before `asOf`, as slim rows (the package, the
 * amount, its day) in any order: what coverage splits over each package's areas — of the
 * packages in the chunks `only` (all when absent).
 */
export async function listAllocatedAmounts(
  db: Executor,
  asOf: string,
  only?: readonly number[],
): Promise<AllocatedAmountRow[]> {
  return packedRows<AllocatedAmountRow>(
    db,
    sql`
      SELECT r."packageId", r.currency, r."amountMinor", r."valueDate", r.chunk
      FROM (${stageAmountsQuery('allocated', only)}) r
      WHERE r."valueDate" <= ${asOf}`,
    {
      packageId: 'bigint',
      currency: 'code',
      amountMinor: 'bigint',
      valueDate: 'date',
      chunk: 'int',
    },
  );
}

export interface StageAmountRow {
  currency: string;
  /**
   * A group of the records dated on or before `asOf` (`total: false`), or — `total: true` — every
   * record of the currency whatever its date (the ledger's side of the funnel has no dates).
   */
  total: boolean;
  /** The value date of the group; null in a total, or when not grouped by day. */
  valueDate: string | null;
  /** The donor of the group; null in a total, when not grouped by party, or none. */
  partyId: string | null;
  /**
   * Outside the summed currency, each record is a row of its own (`records` 1) and this is its
   * amount, converted on its own above. Null for a sum in the summed currency and in totals.
   */
  unitMinor: bigint | null;
  /** Σ of the group's amounts (original currency). */
  amountMinor: bigint;
  records: number;
  /** In a total: the earliest value date on or before `asOf` (null: none). */
  firstDate: string | null;
  /** Read by chunk (`sumStageAmounts` `chunks`): the chunk of its source table; else null. */
  chunk: number | null;
}

/**
 * A stage's records for figures: those dated on or before `asOf` in `summedCurrency` summed in
 * SQL per group (currency, and day and party when asked); those in another currency one row
 * each (they are converted one by one above: the rows say currency, day, party and amount, nothing
 * else); and one total per currency over every date. Two statements: the sums (one scan, few
 * groups), then the other currencies' records only when the sums show there are any.
 */
export async function sumStageAmounts(
  db: Executor,
  stage: FundingStage,
  options: {
    asOf: string;
    summedCurrency: string;
    byDay: boolean;
    byParty: boolean;
    /**
     * A stage of `STAGE_CHUNKS` only: its rows per chunk (`chunk` set on each row, totals per
     * currency and chunk), of these chunks only (all when absent).
     */
    chunks?: { only?: readonly number[] };
    /** Only the totals (the first statement's few groups; no record is read one by one). */
    totalsOnly?: boolean;
  },
): Promise<StageAmountRow[]> {
  const { asOf, summedCurrency } = options;
  const chunked = options.chunks !== undefined;
  assert(!chunked || STAGE_CHUNKS[stage] !== undefined, 'only a chunked stage is read by chunk');
  const only = options.chunks?.only;
  const source = stageAmountsQuery(stage, only);
  const chunk = chunked ? sql`r.chunk` : sql`NULL::int`;
  const summed = sql`r.currency = ${summedCurrency} AND r."valueDate" <= ${asOf}`;
  const day = options.byDay ? sql`CASE WHEN ${summed} THEN r."valueDate" END` : sql`NULL::text`;
  const party = options.byParty ? sql`CASE WHEN ${summed} THEN r."partyId" END` : sql`NULL::text`;
  const sums = await packedRows<{
    currency: string;
    current: boolean;
    valueDate: string | null;
    partyId: string | null;
    amountMinor: bigint;
    records: number;
    firstDate: string;
    chunk: number | null;
  }>(
    db,
    sql`
      SELECT r.currency, r."valueDate" <= ${asOf} AS current, ${day} AS "valueDate",
             ${party} AS "partyId", sum(r."amountMinor") AS "amountMinor", count(*) AS records,
             min(r."valueDate") AS "firstDate", ${chunk} AS chunk
      FROM (${source}) r
      GROUP BY 1, 2, 3, 4, 8`,
    {
      currency: 'code',
      current: 'bool',
      valueDate: 'date',
      partyId: 'code',
      amountMinor: 'bigint',
      records: 'int',
      firstDate: 'date',
      chunk: 'int',
    },
  );
  const rows: StageAmountRow[] = [];
  const totals = new Map<string, StageAmountRow>();
  let others = false;
  for (const g of sums) {
    const totalKey = `${g.currency}|${g.chunk ?? ''}`;
    let total = totals.get(totalKey);
    if (!total) {
      totals.set(
        totalKey,
        (total = {
          currency: g.currency,
          total: true,
          valueDate: null,
          partyId: null,
          unitMinor: null,
          amountMinor: 0n,
          records: 0,
          firstDate: null,
          chunk: g.chunk,
        }),
      );
    }
    total.amountMinor += g.amountMinor;
    total.records += g.records;
    if (!g.current) continue;
    if (total.firstDate === null || g.firstDate < total.firstDate) total.firstDate = g.firstDate;
    if (options.totalsOnly) continue;
    if (g.currency !== summedCurrency) {
      others = true;
      continue;
    }
    rows.push({
      currency: g.currency,
      total: false,
      valueDate: g.valueDate,
      partyId: g.partyId,
      unitMinor: null,
      amountMinor: g.amountMinor,
      records: g.records,
      firstDate: null,
      chunk: g.chunk,
    });
  }
  if (others) {
    const records = await packedRows<{
      currency: string;
      valueDate: string;
      partyId: string | null;
      amountMinor: bigint;
      chunk: number | null;
    }>(
      db,
      sql`
        SELECT r.currency, r."valueDate",
               ${options.byParty ? sql`r."partyId"` : sql`NULL::text`} AS "partyId",
               r."amountMinor", ${chunk} AS chunk
        FROM (${source}) r
        WHERE r.currency <> ${summedCurrency} AND r."valueDate" <= ${asOf}`,
      {
        currency: 'code',
        valueDate: 'date',
        partyId: 'code',
        amountMinor: 'bigint',
        chunk: 'int',
      },
    );
    for (const r of records) {
      rows.push({
        currency: r.currency,
        total: false,
        valueDate: r.valueDate,
        partyId: r.partyId,
        unitMinor: r.amountMinor,
        amountMinor: r.amountMinor,
        records: 1,
        firstDate: null,
        chunk: r.chunk,
      });
    }
  }
  rows.push(
    ...[...totals.values()].sort((a, b) =>
      a.currency !== b.currency
        ? a.currency < b.currency
          ? -1
          : 1
        : (a.chunk ?? 0) - (b.chunk ?? 0),
    ),
  );
  return rows;
}

// ---- Who funds what (redaction), names ----

export interface PackageFunderRow {
  packageId: bigint;
  partyId: string;
  /** The package's chunk (`CHUNK_BITS.package`). */
  chunk: number;
}

/**
 * Each package's funders — the parties with an allocation to it that is not voided — of the
 * packages in the chunks `only` (all when absent).
 */
export async function listPackageFunders(
  db: Executor,
  only?: readonly number[],
): Promise<PackageFunderRow[]> {
  return packedRows<PackageFunderRow>(
    db,
    sql`
      SELECT DISTINCT a.package_id AS "packageId", c.donor_party_id AS "partyId",
             (a.package_id >> ${sql.lit(CHUNK_BITS.package)})::int AS chunk
      FROM allocation a
      ${contributionJoin(sql`a.contribution_id`, ['donor_party_id'], only)}
      WHERE a.status <> 'voided' AND ${idInChunks(sql`a.package_id`, CHUNK_BITS.package, only)}`,
    { packageId: 'bigint', partyId: 'code', chunk: 'int' },
  );
}

export interface PackageItemRow {
  packageId: bigint;
  itemId: bigint;
  /** The package's chunk (`CHUNK_BITS.package`). */
  chunk: number;
}

/** The requirement items of each package's lines, of the packages in the chunks `only`. */
export async function listPackageItems(
  db: Executor,
  only?: readonly number[],
): Promise<PackageItemRow[]> {
  return packedRows<PackageItemRow>(
    db,
    sql`
      SELECT package_id AS "packageId", requirement_item_id AS "itemId",
             (package_id >> ${sql.lit(CHUNK_BITS.package)})::int AS chunk
      FROM package_line
      WHERE ${idInChunks(sql`package_id`, CHUNK_BITS.package, only)}`,
    { packageId: 'bigint', itemId: 'bigint', chunk: 'int' },
  );
}

/** Packages the party funds: an allocation from one of its contributions that is not voided. */
export async function listPackagesFundedBy(db: Executor, partyId: string): Promise<bigint[]> {
  const result = await sql<{ id: bigint }>`
    SELECT DISTINCT a.package_id AS id
    FROM allocation a JOIN contribution c ON c.id = a.contribution_id
    WHERE c.donor_party_id = ${partyId} AND a.status <> 'voided'`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Requirement items with a line in a package the party funds. */
export async function listItemsFundedBy(db: Executor, partyId: string): Promise<bigint[]> {
  const result = await sql<{ id: bigint }>`
    SELECT DISTINCT pl.requirement_item_id AS id
    FROM package_line pl
    JOIN allocation a ON a.package_id = pl.package_id AND a.status <> 'voided'
    JOIN contribution c ON c.id = a.contribution_id
    WHERE c.donor_party_id = ${partyId}`.execute(db);
  return result.rows.map((r) => r.id);
}

export interface NamesRow {
  id: string;
  en: string;
  fr: string;
  uk: string;
}

export async function listPartyNames(db: Executor): Promise<NamesRow[]> {
  const result = await sql<NamesRow>`
    SELECT id, name_en AS en, name_fr AS fr, name_uk AS uk FROM party ORDER BY id`.execute(db);
  return result.rows;
}

export async function listCapabilityAreaNames(
  db: Executor,
): Promise<(NamesRow & { sortOrder: number })[]> {
  const result = await sql<NamesRow & { sortOrder: number }>`
    SELECT code AS id, name_en AS en, name_fr AS fr, name_uk AS uk, sort_order AS "sortOrder"
    FROM capability_area ORDER BY sort_order, code`.execute(db);
  return result.rows;
}

// ---- The ledger side of the funnel's reconciliation ----

export interface FundingLedgerBalances {
  /** The ledger (ISO 4217 code). */
  ledger: string;
  /** Σ `contribution:N:receivable` debits − credits (posted): committed, not yet paid. */
  receivableMinor: bigint;
  /** `fund:CUR:cash` debits − credits (posted): received from donors. */
  cashMinor: bigint;
  /** Σ `package:N:funding` credits − debits (pending and posted): allocated, not yet paid out. */
  packageFundingMinor: bigint;
  /** Σ `supplier:P:CUR:paid` credits − debits (posted): paid to the supplier. */
  supplierPaidMinor: bigint;
}

/** The balances of the funding accounts, summed per ledger (currency). */
/** The chunked table `fundingLedgerBalances` reads (its answer changes with it only). */
export const FUNDING_LEDGER_TABLE: ChunkedTable = 'ledger_account';

/**
 * The funnel's ledger balances per ledger and chunk of accounts (`CHUNK_BITS.ledger_account`),
 * of the chunks `only` (all when absent): the balances of all accounts are the chunks' sums.
 */
export async function fundingLedgerBalances(
  db: Executor,
  only?: readonly number[],
): Promise<(FundingLedgerBalances & { chunk: number })[]> {
  const bits = sql.lit(CHUNK_BITS.ledger_account);
  const result = await sql<{
    ledger: string;
    chunk: number;
    receivable: string;
    cash: string;
    funding: string;
    supplier: string;
  }>`
    SELECT ledger, (id >> ${bits})::int AS chunk,
           coalesce(sum(CASE WHEN reference LIKE 'contribution:%:receivable'
                             THEN debits_posted - credits_posted END), 0)::text AS receivable,
           coalesce(sum(CASE WHEN reference = 'fund:' || ledger || ':cash'
                             THEN debits_posted - credits_posted END), 0)::text AS cash,
           coalesce(sum(CASE WHEN reference LIKE 'package:%:funding'
                             THEN credits_pending + credits_posted - debits_pending - debits_posted
                        END), 0)::text AS funding,
           coalesce(sum(CASE WHEN reference LIKE 'supplier:%:paid'
                             THEN credits_posted - debits_posted END), 0)::text AS supplier
    FROM ledger_account
    WHERE ${idInChunks(sql`id`, CHUNK_BITS.ledger_account, only)}
    GROUP BY 1, 2
    ORDER BY 1, 2`.execute(db);
  return result.rows.map((r) => ({
    ledger: r.ledger,
    chunk: Number(r.chunk),
    receivableMinor: BigInt(r.receivable),
    cashMinor: BigInt(r.cash),
    packageFundingMinor: BigInt(r.funding),
    supplierPaidMinor: BigInt(r.supplier),
  }));
}
