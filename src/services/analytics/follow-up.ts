/**
 * Meeting follow-up in the reporting currency (PRODUCT.md "Analysis"): for a meeting, each
 * announcement → its amount → what the contributions it became committed → paid → delivered
 * since, with the announcement's status and the meeting's totals — and the meeting held before
 * it, so a briefing can show what the previous meeting's announcements became.
 *
 * The rules (the unconverted follow-up is `getMeetingFollowUp` in services/meetings-service.ts;
 * the links, statuses and the count-once rule are the same):
 * - **announced**: the announced amount, converted at the meeting date (`announcement` record).
 *   An announcement without an amount has none (null). Nothing is announced as of a day before
 *   the meeting.
 * - **committed**: each linked contribution's commitment as it stands (after any reduction),
 *   converted at its commitment date, if committed on or before `asOf` (`contribution` record).
 *   It counts whenever it was committed: the announcement became that contribution.
 * - **paid**: each payment of a linked contribution paid on or before `asOf`, converted at its
 *   payment date (`payment` record).
 * - **delivered**: the value of each receipt (quantity in good order × the line's unit price,
 *   capped at the line's quantity — storage/analytics-delivery-repository.ts) received on or
 *   after the meeting date and on or before `asOf`, of a package a linked contribution funds,
 *   attributed to each contribution pro rata to its share of the package's funding (Σ of its
 *   live allocations in the package currency) by the largest-remainder split of core/split.ts
 *   over every funder of the package — so the funders' parts add up to the receipt's value
 *   exactly — converted at the receipt date (`receipt` record with the contribution's part).
 * - **status**: `followUpStatus` of core/meetings.ts, on the contributions as they are now.
 * - A contribution linked to two announcements counts in each, and once in the meeting's totals.
 * - Redaction: a receipt's value reveals a unit price (restricted, core/redaction.ts): in a
 *   drill-down, receipts of packages the reader's party does not fund are folded into
 *   `redacted` records. The figures themselves are totals and stay.
 *
 * Figure keys: `followUp.<measure>:<meetingId>` (the meeting) and
 * `followUp.<measure>:<meetingId>:<announcementId>`; measures announced, committed, paid,
 * delivered.
 */
import type { Actor } from '../../core/actor.js';
import {
  FigureBook,
  figureKey,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillRecord,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { followUpStatus, type FollowUpStatus, type MeetingKind } from '../../core/meetings.js';
import { maySeeRestricted } from '../../core/redaction.js';
import { splitByWeights } from '../../core/split.js';
import {
  findPreviousMeetingId,
  listFundingShares,
  listMeetingContributions,
  listPayments,
  listReceiptValues,
  type FollowUpContributionRow,
  type FundingShareRow,
  type ReceiptValueRow,
} from '../../storage/analytics-delivery-repository.js';
import type { Database } from '../../storage/database.js';
import {
  findAnnouncements,
  findLinkedContributions,
  findMeeting,
} from '../../storage/meetings-repository.js';
import type { ContributionStatus } from '../../storage/schema-funding.js';
import type { Tx } from '../../storage/transaction.js';
import { runAnalysis, type CheckedOptions } from './figures.js';
import { openReporting, type Reporting } from './reporting.js';
import { toLinked } from '../meetings-service.js';

export const FOLLOW_UP_MEASURES = ['announced', 'committed', 'paid', 'delivered'] as const;
export type FollowUpMeasure = (typeof FOLLOW_UP_MEASURES)[number];

/** Amounts in the reporting currency, each the sum of its figure's records. */
export interface FollowUpAmounts {
  /** Null when no amount was announced (as of `asOf`). */
  announcedMinor: bigint | null;
  committedMinor: bigint;
  paidMinor: bigint;
  deliveredMinor: bigint;
  /** The figure key of each measure, for the drill-down. */
  figures: Record<FollowUpMeasure, string>;
}

export interface FollowUpContribution {
  contributionId: bigint;
  partyId: string;
  title: string;
  /** Now. */
  status: ContributionStatus;
  currency: string;
  committedOn: string | null;
  /** In the contribution's currency: committed (as of `asOf`) and paid by `asOf`. */
  originalCommittedMinor: bigint;
  originalPaidMinor: bigint;
  /** In the reporting currency. */
  committedMinor: bigint;
  paidMinor: bigint;
  deliveredMinor: bigint;
}

export interface FollowUpAnnouncement extends FollowUpAmounts {
  announcementId: bigint;
  partyId: string;
  text: string;
  originalAmountMinor: bigint | null;
  originalCurrency: string | null;
  status: FollowUpStatus;
  contributions: FollowUpContribution[];
}

export interface FollowUpMeeting {
  id: bigint;
  number: number;
  kind: MeetingKind;
  heldOn: string;
  place: string;
  title: string | null;
}

export interface FollowUp {
  basis: AnalyticsBasis;
  meeting: FollowUpMeeting;
  /** The meeting held before this one (by date, then id); null for the first. */
  previousMeetingId: bigint | null;
  announcements: FollowUpAnnouncement[];
  /** The whole meeting; a contribution linked to two announcements counts once. */
  totals: FollowUpAmounts;
}

export interface FollowUpComputation {
  result: FollowUp;
  book: FigureBook;
  /** Records the reader may not see in full (folded in drill-downs). */
  hidden: Set<DrillRecord>;
}

function figuresOf(...dimensions: bigint[]): Record<FollowUpMeasure, string> {
  return {
    announced: figureKey('followUp', 'announced', ...dimensions),
    committed: figureKey('followUp', 'committed', ...dimensions),
    paid: figureKey('followUp', 'paid', ...dimensions),
    delivered: figureKey('followUp', 'delivered', ...dimensions),
  };
}

function amountsOf(
  book: FigureBook,
  figures: Record<FollowUpMeasure, string>,
  announced: boolean,
): FollowUpAmounts {
  return {
    announcedMinor: announced ? book.total(figures.announced) : null,
    committedMinor: book.total(figures.committed),
    paidMinor: book.total(figures.paid),
    deliveredMinor: book.total(figures.delivered),
    figures,
  };
}

function sum(records: readonly DrillRecord[], pick: (r: DrillRecord) => bigint): bigint {
  return records.reduce((s, r) => s + pick(r), 0n);
}

/** Each funder's part of each receipt's value (largest remainder over its funding share). */
export function receiptParts(
  receipts: readonly ReceiptValueRow[],
  shares: readonly FundingShareRow[],
): Map<ReceiptValueRow, { share: FundingShareRow; partMinor: bigint }[]> {
  const byPackage = new Map<bigint, FundingShareRow[]>();
  for (const s of shares) {
    const list = byPackage.get(s.packageId);
    if (list) list.push(s);
    else byPackage.set(s.packageId, [s]);
  }
  const parts = new Map<ReceiptValueRow, { share: FundingShareRow; partMinor: bigint }[]>();
  for (const r of receipts) {
    const funders = (byPackage.get(r.packageId) ?? []).filter((s) => s.fundedMinor > 0n);
    if (funders.length === 0) continue;
    const split = splitByWeights(
      r.valueMinor,
      funders.map((s) => s.fundedMinor),
    );
    parts.set(
      r,
      funders.map((share, i) => ({ share, partMinor: split[i]! })),
    );
  }
  return parts;
}

/** Everything the follow-up reads, in the caller's snapshot (a handful of statements). */
async function readFollowUp(tx: Tx, meetingId: bigint, asOf: string) {
  const meeting = await findMeeting(tx, meetingId);
  if (!meeting) throw new DomainError('NOT_FOUND', 'No such meeting.', { field: 'id' });
  const announcements = await findAnnouncements(tx, meetingId);
  const links = await findLinkedContributions(tx, meetingId);
  const contributions = await listMeetingContributions(tx, meetingId);
  const ids = contributions.map((c) => c.id);
  const payments = await listPayments(tx, { contributionIds: ids, to: asOf });
  const receipts =
    meeting.held_on <= asOf ? await listReceiptValues(tx, ids, meeting.held_on, asOf) : [];
  const shares = await listFundingShares(tx, [...new Set(receipts.map((r) => r.packageId))]);
  const previous = await findPreviousMeetingId(tx, meetingId);
  return { meeting, announcements, links, contributions, payments, receipts, shares, previous };
}

/** Computes the follow-up in the caller's snapshot (no access check: callers check). */
export async function computeFollowUp(
  tx: Tx,
  actor: Actor,
  meetingId: bigint,
  options: CheckedOptions,
): Promise<FollowUpComputation> {
  const { asOf } = options;
  const { meeting, announcements, links, contributions, payments, receipts, shares, previous } =
    await readFollowUp(tx, meetingId, asOf);
  const dates = [
    meeting.held_on,
    ...contributions.map((c) => c.committedOn).filter((d): d is string => d !== null),
    ...payments.map((p) => p.paidOn),
  ];
  const reporting = await openReporting(tx, options, {
    currencies: new Set([
      ...announcements.flatMap((a) => (a.currency ? [a.currency] : [])),
      ...contributions.map((c) => c.currency),
      ...receipts.map((r) => r.currency),
    ]),
    from: dates.reduce((a, b) => (a < b ? a : b)),
    to: asOf,
  });

  // The records of each contribution, made once (a contribution linked twice is one record).
  const hidden = new Set<DrillRecord>();
  const recordsOf = contributionRecords(reporting, contributions, payments, asOf);
  const parts = receiptParts(receipts, shares);
  for (const [receipt, funders] of parts) {
    const visible = maySeeRestricted(actor, 'package', {
      fundingParties: funders.map((f) => f.share.donorPartyId),
    });
    for (const { share, partMinor } of funders) {
      const mine = recordsOf.get(share.contributionId);
      if (!mine || partMinor === 0n) continue;
      const record = deliveredRecord(reporting, receipt, share, partMinor);
      mine.delivered.push(record);
      if (!visible) hidden.add(record);
    }
  }

  const book = new FigureBook();
  const meetingFigures = figuresOf(meetingId);
  const announcedOn = meeting.held_on <= asOf;
  let anyAnnounced = false;
  const rows: FollowUpAnnouncement[] = announcements.map((a) => {
    const figures = figuresOf(meetingId, a.id);
    const counted = announcedOn && a.amount_minor !== null && a.currency !== null;
    if (counted) {
      anyAnnounced = true;
      const record = reporting.record(
        {
          kind: 'announcement',
          id: a.id,
          label: `${a.party_id} at meeting ${meeting.number}: ${a.text.slice(0, 120)}`,
          date: meeting.held_on,
          partyId: a.party_id,
          packageId: null,
          contributionId: null,
          quantity: null,
          days: null,
        },
        a.amount_minor!,
        a.currency!,
        meeting.held_on,
      );
      book.add(figures.announced, record);
      book.add(meetingFigures.announced, record);
    }
    const linked = links.filter((l) => l.announcement_id === a.id);
    const detail: FollowUpContribution[] = [];
    for (const link of linked) {
      const own = recordsOf.get(link.contribution_id)!;
      for (const [measure, records] of [
        ['committed', own.committed],
        ['paid', own.paid],
        ['delivered', own.delivered],
      ] as const) {
        for (const r of records) book.add(figures[measure], r);
      }
      detail.push(own.summary());
    }
    return {
      announcementId: a.id,
      partyId: a.party_id,
      text: a.text,
      originalAmountMinor: a.amount_minor,
      originalCurrency: a.currency,
      status: followUpStatus(linked.map(toLinked)),
      contributions: detail,
      ...amountsOf(book, figures, counted),
    };
  });
  for (const own of recordsOf.values()) {
    for (const r of own.committed) book.add(meetingFigures.committed, r);
    for (const r of own.paid) book.add(meetingFigures.paid, r);
    for (const r of own.delivered) book.add(meetingFigures.delivered, r);
  }

  const result: FollowUp = {
    basis: reporting.basis(),
    meeting: {
      id: meeting.id,
      number: meeting.number,
      kind: meeting.kind,
      heldOn: meeting.held_on,
      place: meeting.place,
      title: meeting.title,
    },
    previousMeetingId: previous ?? null,
    announcements: rows,
    totals: amountsOf(book, meetingFigures, anyAnnounced),
  };
  return { result, book, hidden };
}

interface ContributionRecords {
  committed: DrillRecord[];
  paid: DrillRecord[];
  delivered: DrillRecord[];
  summary(): FollowUpContribution;
}

/** Committed and paid records of each linked contribution, keyed by contribution id. */
function contributionRecords(
  reporting: Reporting,
  contributions: readonly FollowUpContributionRow[],
  payments: readonly { id: bigint; contributionId: bigint; amountMinor: bigint; paidOn: string }[],
  asOf: string,
): Map<bigint, ContributionRecords> {
  const map = new Map<bigint, ContributionRecords>();
  for (const c of contributions) {
    const label = `${c.donorPartyId} contribution ${c.id} — ${c.title}`;
    const base = {
      partyId: c.donorPartyId,
      packageId: null,
      contributionId: c.id,
      quantity: null,
      days: null,
    };
    const committed =
      c.committedOn !== null && c.committedOn <= asOf && c.committedMinor > 0n
        ? [
            reporting.record(
              { ...base, kind: 'contribution', id: c.id, label, date: c.committedOn },
              c.committedMinor,
              c.currency,
              c.committedOn,
            ),
          ]
        : [];
    const paid = payments
      .filter((p) => p.contributionId === c.id)
      .map((p) =>
        reporting.record(
          { ...base, kind: 'payment', id: p.id, label: `Payment of ${label}`, date: p.paidOn },
          p.amountMinor,
          c.currency,
          p.paidOn,
        ),
      );
    const own: ContributionRecords = {
      committed,
      paid,
      delivered: [],
      summary: () => ({
        contributionId: c.id,
        partyId: c.donorPartyId,
        title: c.title,
        status: c.status,
        currency: c.currency,
        committedOn: c.committedOn,
        originalCommittedMinor: sum(own.committed, (r) => r.originalAmountMinor),
        originalPaidMinor: sum(own.paid, (r) => r.originalAmountMinor),
        committedMinor: sum(own.committed, (r) => r.amountMinor),
        paidMinor: sum(own.paid, (r) => r.amountMinor),
        deliveredMinor: sum(own.delivered, (r) => r.amountMinor),
      }),
    };
    map.set(c.id, own);
  }
  return map;
}

function deliveredRecord(
  reporting: Reporting,
  receipt: ReceiptValueRow,
  share: FundingShareRow,
  partMinor: bigint,
): DrillRecord {
  return reporting.record(
    {
      kind: 'receipt',
      id: receipt.receiptId,
      label: `Receipt ${receipt.receiptId} of ${receipt.packageNumber}, package line ${receipt.packageLineId}: contribution ${share.contributionId}'s pro-rata share`,
      date: receipt.receivedOn,
      partyId: share.donorPartyId,
      packageId: receipt.packageId,
      contributionId: share.contributionId,
      quantity: receipt.quantity,
      days: null,
    },
    partMinor,
    receipt.currency,
    receipt.receivedOn,
  );
}

/**
 * The follow-up of a meeting in the reporting currency, in one REPEATABLE READ snapshot;
 * NOT_FOUND for an unknown meeting.
 */
export async function getFollowUp(
  database: Database,
  actor: Actor,
  meetingId: bigint,
  options: AnalyticsOptions,
): Promise<FollowUp> {
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      return (await computeFollowUp(tx, actor, meetingId, context.options)).result;
    },
    { analysis: 'followUp', inputs: [meetingId] },
  );
}
