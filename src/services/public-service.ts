/**
 * Public figures. A coordinator publishes a snapshot of totals — committed per donor (in each
 * contribution's currency), funded, disbursed and delivered value of packages (USD), packages
 * by status — computed in one REPEATABLE READ snapshot at the moment of publishing, stored as
 * published (the table is append-only) with a SHA-256 of its canonical JSON, and audited.
 * Anyone, signed in or not, reads the latest; coordinators and auditors read the history.
 *
 * Totals only: no package contents, no contribution records, no names of people. Pledges never
 * count: only committed money (and what was allocated from it) is funding.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../core/actor.js';
import { canonicalJson } from '../core/canonical-json.js';
import { DomainError } from '../core/errors.js';
import { PACKAGE_STATUSES, type PackageStatus } from '../core/packages.js';
import {
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import {
  committedByDonor,
  deliveredValue,
  findLatestPublicSnapshot,
  includesSyntheticData,
  insertPublicSnapshot,
  listPublicSnapshots,
  packageTotalsByStatus,
  transactionTime,
  type PublicSnapshotRow,
} from '../storage/public-repository.js';
import { inTransaction } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

/** Money in the figures: minor units as a decimal string beside its currency. */
export interface PublicAmount {
  amountMinor: string;
  currency: string;
}

export interface PublicFigures {
  /** Committed per donor and currency (pledges excluded), by party then currency. */
  committedByDonor: { partyId: string; committed: PublicAmount; contributions: number }[];
  /** Allocated to packages (a closed package's returned surplus excluded), USD. */
  funded: PublicAmount;
  /** Paid to the supplier, USD. */
  disbursed: PublicAmount;
  /** Received in good order × unit price, USD. */
  deliveredValue: PublicAmount;
  /** Every package status, with 0 where there is none. */
  packagesByStatus: Record<PackageStatus, number>;
  packageCount: number;
  /** True when any record counted is demonstration data. */
  includesSyntheticData: boolean;
}

export interface PublicSummary {
  id: bigint;
  publishedAt: Date;
  figures: PublicFigures;
  /** SHA-256 (hex) of the canonical JSON of { figures, publishedAt, publishedBy }. */
  hash: string;
}

export interface PublicSnapshot extends PublicSummary {
  publishedBy: string;
}

const usd = (amountMinor: bigint): PublicAmount => ({
  amountMinor: amountMinor.toString(),
  currency: 'USD',
});

/** The hash a snapshot is stored with; anyone holding the three can recompute it. */
export function publicSnapshotHash(
  figures: PublicFigures,
  publishedAt: Date,
  publishedBy: string,
): string {
  return createHash('sha256')
    .update(canonicalJson({ figures, publishedAt, publishedBy }))
    .digest('hex');
}

function toSnapshot(row: PublicSnapshotRow): PublicSnapshot {
  return {
    id: row.id,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    figures: row.figures as PublicFigures,
    hash: row.hash.trim(),
  };
}

/** Computes the figures now, in one snapshot, stores them and audits the publication. */
export async function publishPublicSnapshot(
  database: Database,
  actor: Actor,
): Promise<PublicSnapshot> {
  authorize(actor, 'public.publish');
  return inTransaction(
    database,
    async (tx) => {
      const publishedAt = await transactionTime(tx);
      const donors = await committedByDonor(tx);
      const byStatus = await packageTotalsByStatus(tx);
      const delivered = await deliveredValue(tx);
      const synthetic = await includesSyntheticData(tx);
      const packagesByStatus = Object.fromEntries(PACKAGE_STATUSES.map((s) => [s, 0])) as Record<
        PackageStatus,
        number
      >;
      let funded = 0n;
      let disbursed = 0n;
      for (const row of byStatus) {
        packagesByStatus[row.status] = row.packages;
        funded += row.funded_minor;
        disbursed += row.disbursed_minor;
      }
      const figures: PublicFigures = {
        committedByDonor: donors.map((d) => ({
          partyId: d.party_id,
          committed: { amountMinor: d.committed_minor.toString(), currency: d.currency },
          contributions: d.contributions,
        })),
        funded: usd(funded),
        disbursed: usd(disbursed),
        deliveredValue: usd(delivered),
        packagesByStatus,
        packageCount: byStatus.reduce((n, row) => n + row.packages, 0),
        includesSyntheticData: synthetic,
      };
      const hash = publicSnapshotHash(figures, publishedAt, actor.id);
      const row = await insertPublicSnapshot(tx, {
        publishedAt,
        publishedBy: actor.id,
        figures,
        hash,
      });
      await recordAudit(tx, actor, {
        entity: 'public_snapshot',
        entityId: String(row.id),
        action: 'publish',
        after: { id: row.id, publishedAt, hash, figures },
      });
      return toSnapshot(row);
    },
    { isolation: 'repeatable read' },
  );
}

/**
 * The latest published figures, for anyone (no actor: the route is public). Before the first
 * publication: `NOT_FOUND` saying so.
 */
export async function getPublicSummary(database: Database): Promise<PublicSummary> {
  const row = await findLatestPublicSnapshot(database.kysely);
  if (!row) {
    throw new DomainError(
      'NOT_FOUND',
      'No figures have been published yet: a coordinator publishes them (POST /api/v1/public/snapshots).',
      { entity: 'public_snapshot' },
    );
  }
  const { publishedBy: _publishedBy, ...summary } = toSnapshot(row);
  return summary;
}

/** Every publication, newest first (coordinators and auditors). */
export async function listPublicSnapshotHistory(
  database: Database,
  actor: Actor,
  query: PageRequest = {},
): Promise<Page<PublicSnapshot>> {
  authorize(actor, 'public.history');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 1);
  const before = cursor?.[0];
  if (cursor && (typeof before !== 'string' || !/^[0-9]{1,19}$/.test(before))) {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not one this server issued.', {
      field: 'cursor',
    });
  }
  const rows = await listPublicSnapshots(database.kysely, {
    beforeId: before !== undefined ? BigInt(before) : undefined,
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (r) => [r.id.toString()]);
  return { items: page.items.map(toSnapshot), nextCursor: page.nextCursor };
}
