/**
 * Lead times and stalled packages (PRODUCT.md "Analysis"): how many days packages take from one
 * milestone to the next — the median and 90th percentile (nearest rank) per stage — and which
 * packages have waited too long in the stage they are in, as of a day.
 *
 * Milestones are business dates, never clock times, so a demo loaded today or a backdated
 * record gives the days the records say:
 * - **committed** — the latest commitment date of the contributions allocated to the package
 *   (live allocations): the package could not be fully funded before its last funder committed;
 * - **funded** — the latest value date of its live allocations (the allocation that closed the
 *   gap), for a package that is funded or further now. A package re-opened by a re-price is not
 *   funded (it waits for funding again). `funded_at` is a clock time, so it is not used;
 * - **authorised** — `authorized_on`, the supplier's authorisation date;
 * - **first dispatch** — the earliest `dispatched_on` of its shipments;
 * - **fully received** — for a package delivered (or closed) now, its last receipt's
 *   `received_on` (a shortfall settled later has only a clock time, so the last receipt stands).
 * A milestone after `asOf` has not happened as of `asOf`; each needs the one before it. A stage's
 * days are `end − start`; a start recorded after its end (a value date before the commitment)
 * counts 0 days. Cancelled packages are left out (their funding was voided), drafts too (not in
 * the pipeline yet).
 *
 * **Stalled**: a package not closed whose current stage — waiting for funding (since it opened,
 * or its first allocation's value date if earlier: `opened_at` is a clock time and may postdate
 * backdated records), for authorisation (since funded), for first dispatch (since authorised),
 * in delivery (since first dispatch) — has lasted more than `stalledAfterDays` (one threshold
 * for every stage, default 30) as of `asOf`. A package opened after `asOf` is not in the
 * pipeline as of `asOf`.
 *
 * Figures and records: `leadTimes.<stage>` sums the price of each package measured (a `package`
 * record with its `days`, the price converted at the stage's end date); `leadTimes.stalled:<N>`
 * sums the price of each package stalled past N days, converted at `asOf` — or at the last day
 * with imported rates if that is earlier, so a reading as of today does not fail for want of
 * today's rates (the record states its rate day). Package prices are
 * not restricted (core/redaction.ts), so nothing is redacted here.
 */
import type { Actor } from '../../core/actor.js';
import {
  FigureBook,
  figureKey,
  nearestRankQuantile,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillRecord,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { daysBetween } from '../../core/fx.js';
import { authorize } from '../../core/policy.js';
import {
  listPackageMilestones,
  type PackageMilestonesRow,
} from '../../storage/analytics-delivery-repository.js';
import type { Database } from '../../storage/database.js';
import type { PackageStatus } from '../../storage/schema-funding.js';
import type { Tx } from '../../storage/transaction.js';
import { waitingForText } from './delivery-tables.js';
import { CONTRIBUTION_SIDE_TABLES, runAnalysis, type CheckedOptions } from './figures.js';
import { openReporting, type ConversionCounts, type Reporting } from './reporting.js';
import { keepInBasis, readKeptChunkParts } from './stage-memo.js';

export const LEAD_TIME_STAGES = [
  'committed_to_funded',
  'funded_to_authorized',
  'authorized_to_dispatched',
  'dispatched_to_delivered',
] as const;
export type LeadTimeStage = (typeof LEAD_TIME_STAGES)[number];

/** What a package in the pipeline waits for. */
export const WAITING_STAGES = ['funding', 'authorisation', 'first_dispatch', 'delivery'] as const;
export type WaitingStage = (typeof WAITING_STAGES)[number];

export const STALLED_AFTER_DAYS_DEFAULT = 30;
export const STALLED_AFTER_DAYS_MAX = 3650;

export interface LeadTimeStageFigures {
  stage: LeadTimeStage;
  /** `leadTimes.<stage>`: drill down to the packages and their days. */
  figure: string;
  /** Packages that completed the stage as of `asOf`. */
  packages: number;
  medianDays: number | null;
  p90Days: number | null;
  /** Σ prices of those packages in the reporting currency (the figure's drill-down total). */
  valueMinor: bigint;
}

export interface StalledPackage {
  packageId: bigint;
  number: string;
  title: string;
  /** The package's status now. */
  status: PackageStatus;
  stage: WaitingStage;
  /** The day the current stage began. */
  since: string;
  /** Days from `since` to `asOf`. */
  days: number;
  /** Price in the reporting currency at `asOf` (or the last day with rates before it). */
  priceMinor: bigint;
  /** Price − funding with a value date by `asOf` (0 once funded), converted like the price. */
  gapMinor: bigint;
  linesReceived: number;
  linesTotal: number;
  /** In English, e.g. "waiting for funding: gap USD 1,234.00"; exports word it per language. */
  waitingFor: string;
  figure: string;
}

export interface LeadTimes {
  basis: AnalyticsBasis;
  stalledAfterDays: number;
  stages: LeadTimeStageFigures[];
  /** Packages in the pipeline as of `asOf` by what they wait for (stalled or not). */
  waiting: { stage: WaitingStage; packages: number }[];
  /** `leadTimes.stalled:<stalledAfterDays>`: Σ price of the stalled packages. */
  stalledFigure: string;
  stalledValueMinor: bigint;
  /** Longest wait first. */
  stalled: StalledPackage[];
}

export type LeadTimesOptions = AnalyticsOptions & { stalledAfterDays?: number | undefined };

const FUNDED: ReadonlySet<PackageStatus> = new Set([
  'funded',
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
]);
const AUTHORIZED: ReadonlySet<PackageStatus> = new Set([
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
]);
const DELIVERED: ReadonlySet<PackageStatus> = new Set(['delivered', 'closed']);

/** The package's milestones as of `asOf` (null: not reached by then). */
export interface Milestones {
  inPipelineSince: string | null;
  committed: string | null;
  funded: string | null;
  authorized: string | null;
  dispatched: string | null;
  delivered: string | null;
}

function upTo(date: string | null, asOf: string): string | null {
  return date !== null && date <= asOf ? date : null;
}

/** Milestones of one package as of `asOf`; each needs the one before it. Pure. */
export function milestonesOf(row: PackageMilestonesRow, asOf: string): Milestones {
  const starts = [row.openedOn, row.firstAllocationOn].filter(
    (d): d is string => d !== null && d <= asOf,
  );
  const inPipelineSince = starts.length > 0 ? starts.sort()[0]! : null;
  const funded = FUNDED.has(row.status) ? upTo(row.lastAllocationOn, asOf) : null;
  const authorized =
    funded !== null && AUTHORIZED.has(row.status) ? upTo(row.authorizedOn, asOf) : null;
  const dispatched = authorized !== null ? upTo(row.firstDispatchOn, asOf) : null;
  const delivered =
    dispatched !== null && DELIVERED.has(row.status) ? upTo(row.lastReceiptOn, asOf) : null;
  return {
    inPipelineSince,
    committed: row.lastCommittedOn,
    funded,
    authorized,
    dispatched,
    delivered,
  };
}

/** The start and end of each stage the package completed. */
function completedStages(m: Milestones): [LeadTimeStage, string, string][] {
  const stages: [LeadTimeStage, string | null, string | null][] = [
    ['committed_to_funded', m.committed, m.funded],
    ['funded_to_authorized', m.funded, m.authorized],
    ['authorized_to_dispatched', m.authorized, m.dispatched],
    ['dispatched_to_delivered', m.dispatched, m.delivered],
  ];
  return stages.filter((s): s is [LeadTimeStage, string, string] => s[1] !== null && s[2] !== null);
}

/** What the package waits for as of `asOf`, since when; null when delivered or not yet open. */
export function currentStage(m: Milestones): { stage: WaitingStage; since: string } | null {
  if (m.delivered !== null) return null;
  if (m.dispatched !== null) return { stage: 'delivery', since: m.dispatched };
  if (m.authorized !== null) return { stage: 'first_dispatch', since: m.authorized };
  if (m.funded !== null) return { stage: 'authorisation', since: m.funded };
  if (m.inPipelineSince !== null) return { stage: 'funding', since: m.inPipelineSince };
  return null;
}

/** Days from `start` to `end`, 0 when recorded the wrong way round. */
function stageDays(start: string, end: string): number {
  return Math.max(0, daysBetween(start, end));
}

/** Checks `stalledAfterDays`; VALIDATION_FAILED naming it. */
export function checkStalledAfterDays(value: unknown): number {
  if (value === undefined) return STALLED_AFTER_DAYS_DEFAULT;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > STALLED_AFTER_DAYS_MAX
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `stalledAfterDays: a whole number of days from 1 to ${STALLED_AFTER_DAYS_MAX} (default ${STALLED_AFTER_DAYS_DEFAULT}).`,
      { field: 'stalledAfterDays' },
    );
  }
  return value;
}

function packageLabel(row: PackageMilestonesRow): string {
  return `${row.number} — ${row.title}`;
}

export interface LeadTimesComputation {
  result: LeadTimes;
  /** Every figure's records (made when first read: the figures alone need none). */
  readonly book: FigureBook;
}

/**
 * The tables a package's milestones read besides its row (`listPackageMilestones`). Not
 * `allocation`: every write of a package's allocations updates its row, so the package's chunk
 * revision follows them (migration 0027); nor `contribution`: the commitment date of a
 * contribution is set by its commitment, before anything is allocated from it.
 */
const MILESTONE_TABLES = ['shipment', 'receipt', 'discrepancy', 'package_line'] as const;

/** What a chunk of packages gives the lead times whatever the basis (as of one day). */
interface ChunkMeasures {
  /** The currencies of its packages and the earliest day a stage of one of them ended. */
  currencies: ReadonlySet<string>;
  from: string;
  /** Per completed stage, in package order: the package, the stage's end and days. */
  completed: readonly {
    stage: LeadTimeStage;
    row: PackageMilestonesRow;
    end: string;
    days: number;
  }[];
  /** Packages in the pipeline, in package order: what they wait for, since when, how long. */
  current: readonly {
    row: PackageMilestonesRow;
    stage: WaitingStage;
    since: string;
    waited: number;
  }[];
  /**
   * Per basis (`Reporting.cacheKey`): the completed stages' prices converted (the records are
   * made of them only for a drill-down) and their conversions.
   */
  converted: Map<string, { amounts: readonly Converted[]; counts: ConversionCounts }>;
}

/** A price converted: what a drill record states of it. */
type Converted = Pick<DrillRecord, 'amountMinor' | 'rate' | 'rateDate'>;

/**
 * Per chunk of milestone rows (kept frozen by `readKeptChunkParts` while the chunk is
 * unchanged): its measures, and its records per basis — so after an allocation only its chunk
 * is measured and converted again. Dropped with the rows.
 */
const measuresOf = new WeakMap<readonly PackageMilestonesRow[], ChunkMeasures>();

function measureChunk(rows: readonly PackageMilestonesRow[], asOf: string): ChunkMeasures {
  const found = measuresOf.get(rows);
  if (found) return found;
  const currencies = new Set<string>();
  let from = asOf;
  const completed: ChunkMeasures['completed'][number][] = [];
  const current: ChunkMeasures['current'][number][] = [];
  for (const row of rows) {
    currencies.add(row.currency);
    const m = milestonesOf(row, asOf);
    for (const d of [m.funded, m.authorized, m.dispatched, m.delivered]) {
      if (d !== null && d < from) from = d;
    }
    for (const [stage, start, end] of completedStages(m)) {
      completed.push({ stage, row, end, days: stageDays(start, end) });
    }
    const now = currentStage(m);
    if (now !== null) current.push({ row, ...now, waited: stageDays(now.since, asOf) });
  }
  const measures = { currencies, from, completed, current, converted: new Map() };
  measuresOf.set(rows, measures);
  return measures;
}

/** The chunk's completed stages' records in `reporting`'s basis (kept), counted in it. */
function completedAmounts(reporting: Reporting, measures: ChunkMeasures): readonly Converted[] {
  const kept = measures.converted.get(reporting.cacheKey);
  if (kept) {
    reporting.tally(kept.counts);
    return kept.amounts;
  }
  const before = reporting.basis();
  const amounts = measures.completed.map((c): Converted => {
    const { amountMinor, rate, rateDate } = reporting.convert(
      c.row.priceMinor,
      c.row.currency,
      c.end,
    );
    return { amountMinor, rate, rateDate };
  });
  const after = reporting.basis();
  keepInBasis(measures.converted, reporting.cacheKey, {
    amounts,
    counts: {
      conversions: after.conversions - before.conversions,
      fellBack: after.fellBack - before.fellBack,
      afterLastRate: after.afterLastRate - before.afterLastRate,
    },
  });
  return amounts;
}

/** A package's drill record of a stage it completed, its price converted (`packageRecord`). */
function completedRecord(c: ChunkMeasures['completed'][number], converted: Converted): DrillRecord {
  return {
    count: 1,
    ...packageBase(c.row, c.end, c.days),
    originalAmountMinor: c.row.priceMinor,
    originalCurrency: c.row.currency,
    amountMinor: converted.amountMinor,
    rate: converted.rate,
    rateDate: converted.rateDate,
  };
}

/** Computes the lead times in the caller's snapshot (no access check: callers check). */
export async function computeLeadTimes(
  tx: Tx,
  options: CheckedOptions & { stalledAfterDays?: number | undefined },
): Promise<LeadTimesComputation> {
  const stalledAfterDays = checkStalledAfterDays(options.stalledAfterDays);
  const { asOf } = options;
  // Kept per chunk of packages: after an allocation, the packages of its chunk read again.
  const chunks = (
    await readKeptChunkParts(
      tx,
      { options },
      JSON.stringify(['milestones', asOf]),
      'package',
      (tx, only) => listPackageMilestones(tx, asOf, only),
      MILESTONE_TABLES,
    )
  ).map((rows) => measureChunk(rows, asOf));
  const currencies = new Set<string>();
  let from = asOf;
  for (const c of chunks) {
    for (const currency of c.currencies) currencies.add(currency);
    if (c.from < from) from = c.from;
  }
  const reporting = await openReporting(tx, options, { currencies, from, to: asOf });
  /** The value date of amounts "as of" the day: the day, or the last day with rates before it. */
  const today = reporting.today;
  const days = new Map<LeadTimeStage, number[]>(LEAD_TIME_STAGES.map((s) => [s, []]));
  const values = new Map<LeadTimeStage, bigint>(LEAD_TIME_STAGES.map((s) => [s, 0n]));
  const waiting = new Map<WaitingStage, number>(WAITING_STAGES.map((s) => [s, 0]));
  const stalledKey = figureKey('leadTimes', 'stalled', stalledAfterDays);
  const stalled: StalledPackage[] = [];
  const stalledRecords: DrillRecord[] = [];
  const completed: (readonly Converted[])[] = [];

  for (const chunk of chunks) {
    const amounts = completedAmounts(reporting, chunk);
    completed.push(amounts);
    chunk.completed.forEach((c, index) => {
      days.get(c.stage)!.push(c.days);
      values.set(c.stage, values.get(c.stage)! + amounts[index]!.amountMinor);
    });
    for (const { row, stage, since, waited } of chunk.current) {
      waiting.set(stage, waiting.get(stage)! + 1);
      if (row.status === 'closed' || waited <= stalledAfterDays) continue;
      const record = packageRecord(reporting, row, today, waited);
      stalledRecords.push(record);
      const gap = row.priceMinor > row.fundedAsOfMinor ? row.priceMinor - row.fundedAsOfMinor : 0n;
      const gapMinor =
        stage === 'funding' ? reporting.convert(gap, row.currency, today).amountMinor : 0n;
      stalled.push({
        packageId: row.id,
        number: row.number,
        title: row.title,
        status: row.status,
        stage,
        since,
        days: waited,
        priceMinor: record.amountMinor,
        gapMinor,
        linesReceived: row.linesReceived,
        linesTotal: row.linesTotal,
        waitingFor: waitingForText(
          stage,
          {
            gapMinor,
            currency: reporting.options.currency,
            linesReceived: row.linesReceived,
            linesTotal: row.linesTotal,
          },
          'en',
        ),
        figure: stalledKey,
      });
    }
  }
  stalled.sort((a, b) => b.days - a.days || (a.packageId < b.packageId ? -1 : 1));

  const result: LeadTimes = {
    basis: reporting.basis(),
    stalledAfterDays,
    stages: LEAD_TIME_STAGES.map((stage) => {
      const sorted = days.get(stage)!.sort((a, b) => a - b);
      return {
        stage,
        figure: figureKey('leadTimes', stage),
        packages: sorted.length,
        medianDays: nearestRankQuantile(sorted, 0.5),
        p90Days: nearestRankQuantile(sorted, 0.9),
        valueMinor: values.get(stage)!,
      };
    }),
    waiting: WAITING_STAGES.map((stage) => ({ stage, packages: waiting.get(stage)! })),
    stalledFigure: stalledKey,
    stalledValueMinor: stalledRecords.reduce((sum, r) => sum + r.amountMinor, 0n),
    stalled,
  };
  let book: FigureBook | undefined;
  return {
    result,
    get book() {
      if (book === undefined) {
        book = new FigureBook();
        chunks.forEach((chunk, index) => {
          chunk.completed.forEach((c, i) => {
            book!.add(figureKey('leadTimes', c.stage), completedRecord(c, completed[index]![i]!));
          });
        });
        for (const record of stalledRecords) book.add(stalledKey, record);
      }
      return book;
    },
  };
}

function packageRecord(
  reporting: Reporting,
  row: PackageMilestonesRow,
  valueDate: string,
  days: number,
): DrillRecord {
  return reporting.record(
    packageBase(row, valueDate, days),
    row.priceMinor,
    row.currency,
    valueDate,
  );
}

/** What a package's drill record says besides its price. */
function packageBase(row: PackageMilestonesRow, valueDate: string, days: number) {
  return {
    kind: 'package' as const,
    id: row.id,
    label: packageLabel(row),
    date: valueDate,
    partyId: null,
    packageId: row.id,
    contributionId: null,
    quantity: null,
    days,
  };
}

/**
 * Lead times per stage (median, 90th percentile, count) and the stalled packages, as of
 * `options.asOf`, in one REPEATABLE READ snapshot.
 */
export async function getLeadTimes(
  database: Database,
  actor: Actor,
  options: LeadTimesOptions,
): Promise<LeadTimes> {
  authorize(actor, 'analytics.read');
  const stalledAfterDays = checkStalledAfterDays(options.stalledAfterDays);
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      return (await computeLeadTimes(tx, { ...context.options, stalledAfterDays })).result;
    },
    { analysis: 'leadTimes', inputs: [stalledAfterDays], unaffectedBy: CONTRIBUTION_SIDE_TABLES },
  );
}
