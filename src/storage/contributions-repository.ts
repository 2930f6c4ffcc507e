/** SQL of contributions and their payments. */
import { sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
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
  afterId?: bigint | undefined;
  limit: number;
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
