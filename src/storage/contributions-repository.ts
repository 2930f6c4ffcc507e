/** SQL of contributions and their payments. */
import { sql, type Selectable } from 'kysely';
import { assert } from '../core/errors.js';
import type { Database } from './database.js';
import { bulkColumn, reserveIdentityValues, runBulkStatements } from './ledger-repository.js';
import type {
  ContributionTable,
  ContributionPaymentTable,
  ContributionStatus,
} from './schema-funding.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export type ContributionRow = Selectable<ContributionTable>;
export type ContributionPaymentRow = Selectable<ContributionPaymentTable>;

export interface NewContribution {
  donorPartyId: string;
  currency: string;
  pledgedMinor: bigint;
  announcedOn: string;
  title: string;
  earmarkAreas: string[];
  earmarkPackageId: bigint | null;
  fundsPackageAlone?: boolean | undefined;
  internalNote: string | null;
  sourceNote: string | null;
  synthetic: boolean;
}

export async function insertContribution(tx: Tx, c: NewContribution): Promise<ContributionRow> {
  return tx
    .insertInto('contribution')
    .values({
      donor_party_id: c.donorPartyId,
      currency: c.currency,
      status: 'pledged',
      pledged_minor: c.pledgedMinor,
      announced_on: c.announcedOn,
      title: c.title,
      earmark_areas: c.earmarkAreas,
      earmark_package_id: c.earmarkPackageId,
      funds_package_alone: c.fundsPackageAlone ?? false,
      internal_note: c.internalNote,
      source_note: c.sourceNote,
      synthetic: c.synthetic,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Reads a contribution; `lock` takes its row lock for a command (before any ledger lock). */
export async function findContribution(
  db: Executor,
  id: bigint,
  lock = false,
): Promise<ContributionRow | undefined> {
  let query = db.selectFrom('contribution').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface ContributionChanges {
  status?: ContributionStatus;
  pledged_minor?: bigint;
  committed_minor?: bigint;
  paid_minor?: bigint;
  committed_on?: string;
  status_reason?: string | null;
  funds_package_alone?: boolean;
}

/** Applies changes and bumps the version; the caller checked the version under the row lock. */
export async function updateContribution(
  tx: Tx,
  id: bigint,
  changes: ContributionChanges,
): Promise<ContributionRow> {
  return tx
    .updateTable('contribution')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertPayment(
  tx: Tx,
  p: {
    contributionId: bigint;
    amountMinor: bigint;
    paidOn: string;
    transferId: bigint;
    reference: string | null;
  },
): Promise<ContributionPaymentRow> {
  return tx
    .insertInto('contribution_payment')
    .values({
      contribution_id: p.contributionId,
      amount_minor: p.amountMinor,
      paid_on: p.paidOn,
      transfer_id: p.transferId,
      reference: p.reference,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPayments(
  db: Executor,
  contributionId: bigint,
): Promise<ContributionPaymentRow[]> {
  return db
    .selectFrom('contribution_payment')
    .selectAll()
    .where('contribution_id', '=', contributionId)
    .orderBy('id')
    .execute();
}

export interface ContributionFilter {
  status?: ContributionStatus | undefined;
  donorPartyId?: string | undefined;
  currency?: string | undefined;
  capabilityArea?: string | undefined;
  announcedFrom?: string | undefined;
  announcedTo?: string | undefined;
  /** Only contributions with money not yet allocated (available balance > 0). */
  available?: boolean | undefined;
  /** Only contributions whose earmarks let them fund this package (`earmarkAllowsPackage`). */
  eligibleFor?: bigint | undefined;
  afterId?: bigint | undefined;
  limit: number;
}

/** Statuses with an `available` ledger account: committed money, paid or not. */
const FUNDING_STATUSES = ['committed', 'partially_paid', 'paid'] as const;

/**
 * The contribution (of the enclosing query's `contribution` row) has money not yet allocated:
 * its `contribution:N:available` account (`core/contributions.ts` `contributionAccounts`) holds
 * credits posted − debits posted − debits pending > 0 (`core/ledger.ts` `availableMinor`).
 * A pledge has no such account; a cancellation empties it.
 */
function hasAvailableMoney() {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM ledger_account a
    WHERE a.reference = 'contribution:' || contribution.id::text || ':available'
      AND a.credits_posted - a.debits_posted - a.debits_pending > 0)`;
}

/**
 * The SQL form of core `earmarkVerdict` (packages.ts) — the two must agree, and a test on both
 * engines holds them together: no earmark; or earmarked to this very package; or earmark areas
 * holding every capability area of the package's lines (a package without lines is within any
 * earmark). The package's areas are read once (an uncorrelated sub-select).
 */
export function earmarkAllowsPackage(packageId: bigint) {
  return sql<boolean>`(
    (contribution.earmark_package_id IS NULL OR contribution.earmark_package_id = ${packageId})
    AND (cardinality(contribution.earmark_areas) = 0
      OR contribution.earmark_areas @> ARRAY(
        SELECT l.capability_area FROM package_line l WHERE l.package_id = ${packageId})))`;
}

/** Newest first is what people want; paging by id descending keeps pages stable. */
export async function listContributions(
  db: Executor,
  f: ContributionFilter,
): Promise<ContributionRow[]> {
  let query = db
    .selectFrom('contribution')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.donorPartyId) query = query.where('donor_party_id', '=', f.donorPartyId);
  if (f.currency) query = query.where('currency', '=', f.currency);
  if (f.capabilityArea) query = query.where(sql<boolean>`${f.capabilityArea} = ANY(earmark_areas)`);
  if (f.announcedFrom) query = query.where('announced_on', '>=', f.announcedFrom);
  if (f.announcedTo) query = query.where('announced_on', '<=', f.announcedTo);
  if (f.available) {
    query = query.where('status', 'in', [...FUNDING_STATUSES]).where(hasAvailableMoney());
  }
  if (f.eligibleFor !== undefined) query = query.where(earmarkAllowsPackage(f.eligibleFor));
  if (f.afterId !== undefined) query = query.where('id', '<', f.afterId);
  return query.execute();
}

export async function partyKind(db: Executor, partyId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('party')
    .select('kind')
    .where('id', '=', partyId)
    .executeTakeFirst();
  return row?.kind;
}

export async function capabilityAreasExist(
  db: Executor,
  codes: readonly string[],
): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('capability_area')
    .select('code')
    .where('code', 'in', codes as never[])
    .execute();
  const known = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !known.has(c as never));
}

// ---- Bulk creation (imports) ----

/** Rows per multi-row statement of a bulk import: bounded parameter size, few round trips. */
export const CONTRIBUTION_BULK_ROWS = 5_000;

export interface NewContributionRecord extends NewContribution {
  /** Reserved with `reserveContributionIds`. */
  id: bigint;
  status: 'pledged' | 'committed';
  committedMinor: bigint;
  committedOn: string | null;
  externalId: string | null;
}

/** Draws `count` ids from the contribution id sequence, so a bulk insert knows each row's id. */
export async function reserveContributionIds(tx: Tx, count: number): Promise<bigint[]> {
  return reserveIdentityValues(tx, 'contribution', count);
}

/**
 * Inserts contributions with their reserved ids, `CONTRIBUTION_BULK_ROWS` per statement (one
 * `INSERT … SELECT FROM unnest(…)` each). The columns whose values cannot hold a comma (ids,
 * party ids, codes, amounts, dates, `;`-joined area codes) travel as ONE comma-joined text each,
 * split by `string_to_array` (an empty element is NULL) — much cheaper for both drivers to send
 * and for the server to parse than a text array of as many elements; free text (title, notes,
 * external id) travels the same way when no value holds a comma, else as a text array
 * (`bulkColumn`).
 */
export async function insertContributions(
  tx: Tx,
  rows: readonly NewContributionRecord[],
  onBatch?: (rowsDone: number) => void,
): Promise<void> {
  // Each statement is built while the server runs the one before (`runBulkStatements`).
  await runBulkStatements(
    tx,
    rows.length,
    (start, end) => contributionsStatement(rows.slice(start, end)),
    { rowsPer: CONTRIBUTION_BULK_ROWS, ...(onBatch ? { onRows: onBatch } : {}) },
  );
}

/** One `INSERT … SELECT FROM unnest(…)` of a batch (see `insertContributions`). */
function contributionsStatement(batch: readonly NewContributionRecord[]) {
  /** The values comma-joined and split back into a `type` array; null is an empty element. */
  const joined = (type: string, pick: (r: NewContributionRecord) => string | bigint | null) => {
    const texts = batch.map((r) => {
      const value = pick(r);
      if (value === null) return '';
      const text = String(value);
      assert(text !== '' && !text.includes(','), 'a joined value is not empty, has no comma');
      return text;
    });
    return sql`string_to_array(${texts.join(',')}, ',', '')::${sql.raw(type)}[]`;
  };
  return sql`
    INSERT INTO contribution (id, donor_party_id, currency, status, pledged_minor,
                              committed_minor, announced_on, committed_on, earmark_areas,
                              earmark_package_id, title, internal_note, source_note, synthetic,
                              external_id)
    OVERRIDING SYSTEM VALUE
    SELECT id, donor, currency, status, pledged, committed, announced_on, committed_on,
           CASE WHEN areas IS NULL THEN '{}'::text[] ELSE string_to_array(areas, ';') END,
           package_id, title, internal_note, source_note, synthetic, external_id
    FROM unnest(
      ${joined('int8', (r) => r.id)},
      ${joined('text', (r) => r.donorPartyId)},
      ${joined('char(3)', (r) => r.currency)},
      ${joined('text', (r) => r.status)},
      ${joined('int8', (r) => r.pledgedMinor)},
      ${joined('int8', (r) => r.committedMinor)},
      ${joined('date', (r) => r.announcedOn)},
      ${joined('date', (r) => r.committedOn)},
      ${joined('text', (r) => (r.earmarkAreas.length > 0 ? r.earmarkAreas.join(';') : null))},
      ${joined('int8', (r) => r.earmarkPackageId)},
      ${bulkColumn(batch, 'text', (r) => r.title)},
      ${bulkColumn(batch, 'text', (r) => r.internalNote)},
      ${bulkColumn(batch, 'text', (r) => r.sourceNote)},
      ${joined('boolean', (r) => (r.synthetic ? 't' : 'f'))},
      ${bulkColumn(batch, 'text', (r) => r.externalId)}
    ) AS i (id, donor, currency, status, pledged, committed, announced_on, committed_on, areas,
            package_id, title, internal_note, source_note, synthetic, external_id)
    ORDER BY id`;
}

/** A contribution found by an import's duplicate checks: what it was created with. */
export interface ContributionKeyMatch {
  id: bigint;
  donorPartyId: string;
  externalId: string | null;
  title: string;
  currency: string;
  pledgedMinor: bigint;
  announcedOn: string;
}

function toKeyMatch(row: {
  id: bigint;
  donor_party_id: string;
  external_id: string | null;
  title: string;
  currency: string;
  pledged_minor: bigint;
  announced_on: string;
}): ContributionKeyMatch {
  return {
    id: row.id,
    donorPartyId: row.donor_party_id,
    externalId: row.external_id,
    title: row.title,
    currency: row.currency,
    pledgedMinor: row.pledged_minor,
    announcedOn: row.announced_on,
  };
}

const KEY_COLUMNS = sql`c.id, c.donor_party_id, c.external_id, c.title, c.currency, c.pledged_minor,
  c.announced_on`;

/**
 * Of these donors, which have any contribution recorded, and which have one recorded with an
 * external id: an import looks its rows up only among those (the first import of a donor's file
 * then sends no keys at all). One index probe per donor.
 */
export async function donorsWithContributions(
  db: Executor,
  partyIds: readonly string[],
): Promise<{ any: Set<string>; withExternalId: Set<string> }> {
  const found = { any: new Set<string>(), withExternalId: new Set<string>() };
  for (let start = 0; start < partyIds.length; start += CONTRIBUTION_BULK_ROWS) {
    const result = await sql<{ donor: string; with_external_id: boolean }>`
      SELECT d.donor,
             EXISTS (SELECT 1 FROM contribution c
                     WHERE c.donor_party_id = d.donor AND c.external_id IS NOT NULL)
               AS with_external_id
      FROM unnest(${partyIds.slice(start, start + CONTRIBUTION_BULK_ROWS)}::text[]) AS d (donor)
      WHERE EXISTS (SELECT 1 FROM contribution c WHERE c.donor_party_id = d.donor)`.execute(db);
    for (const r of result.rows) {
      found.any.add(r.donor);
      if (r.with_external_id) found.withExternalId.add(r.donor);
    }
  }
  return found;
}

/** The contributions holding any of these (donor, external id) pairs. */
export async function findContributionsByExternalIds(
  db: Executor,
  keys: readonly { donorPartyId: string; externalId: string }[],
): Promise<ContributionKeyMatch[]> {
  const found: ContributionKeyMatch[] = [];
  for (let start = 0; start < keys.length; start += CONTRIBUTION_BULK_ROWS) {
    const batch = keys.slice(start, start + CONTRIBUTION_BULK_ROWS);
    const result = await sql<Parameters<typeof toKeyMatch>[0]>`
      SELECT ${KEY_COLUMNS}
      FROM contribution c
      JOIN unnest(${bulkColumn(batch, 'text', (k) => k.donorPartyId)},
                  ${bulkColumn(batch, 'text', (k) => k.externalId)}) AS k (donor, external_id)
        ON c.donor_party_id = k.donor AND c.external_id = k.external_id`.execute(db);
    found.push(...result.rows.map(toKeyMatch));
  }
  return found;
}

export interface ContributionNaturalKey {
  donorPartyId: string;
  title: string;
  currency: string;
  pledgedMinor: bigint;
  announcedOn: string;
}

/** The contributions with the same donor, title, currency, pledged amount and announcement day. */
export async function findContributionsByNaturalKeys(
  db: Executor,
  keys: readonly ContributionNaturalKey[],
): Promise<ContributionKeyMatch[]> {
  const found: ContributionKeyMatch[] = [];
  for (let start = 0; start < keys.length; start += CONTRIBUTION_BULK_ROWS) {
    const batch = keys.slice(start, start + CONTRIBUTION_BULK_ROWS);
    const result = await sql<Parameters<typeof toKeyMatch>[0]>`
      SELECT ${KEY_COLUMNS}
      FROM contribution c
      JOIN unnest(${batch.map((k) => k.donorPartyId)}::text[],
                  ${batch.map((k) => k.title)}::text[],
                  ${batch.map((k) => k.currency)}::char(3)[],
                  ${batch.map((k) => k.pledgedMinor.toString())}::int8[],
                  ${batch.map((k) => k.announcedOn)}::date[])
             AS k (donor, title, currency, pledged, announced_on)
        ON c.donor_party_id = k.donor AND c.title = k.title AND c.currency = k.currency
       AND c.pledged_minor = k.pledged AND c.announced_on = k.announced_on`.execute(db);
    found.push(...result.rows.map(toKeyMatch));
  }
  return found;
}

/** The kind of each of these parties that exists (`ally`, `partner`, …), by id. */
export async function partyKinds(
  db: Executor,
  partyIds: readonly string[],
): Promise<Map<string, string>> {
  const kinds = new Map<string, string>();
  // A file may name any number of (mostly unknown) donors: ask in bounded chunks.
  for (let start = 0; start < partyIds.length; start += CONTRIBUTION_BULK_ROWS) {
    const rows = await db
      .selectFrom('party')
      .select(['id', 'kind'])
      .where('id', 'in', partyIds.slice(start, start + CONTRIBUTION_BULK_ROWS))
      .execute();
    for (const r of rows) kinds.set(r.id, r.kind);
  }
  return kinds;
}

/** Arbitrary constant naming the contribution-import lock. */
const CONTRIBUTION_IMPORT_LOCK_KEY = 7_261_105;

/**
 * Serialises contribution imports (a transaction-scoped advisory lock): two imports of the same
 * file then never both find a row new and insert it twice.
 */
export async function lockContributionImports(tx: Tx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CONTRIBUTION_IMPORT_LOCK_KEY}::bigint)`.execute(tx);
}
