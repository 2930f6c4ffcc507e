/**
 * The machinery the funding analyses (funnel, burden sharing, coverage, pace) and their
 * drill-downs share, so every figure is made the same way:
 *
 * 1. `runAnalysis` checks access (`analytics.read`) and the options, fixes `asOf` (default:
 *    today, UTC) and runs the analysis in ONE REPEATABLE READ snapshot.
 * 2. The analysis reads its records (`SourceRecord`: one recorded amount in its own currency,
 *    with its value date) and keeps those dated on or before `asOf` (`upTo`).
 * 3. `openFor` opens the reporting converter (`reporting.ts`) for exactly those records.
 * 4. A figure is the sum of its records' amounts, each converted on its own and rounded once
 *    (`sumReported`); its drill-down (`drillDown`) converts the same records the same way, so
 *    the two are equal to the minor unit. A record may stand for a part of a split amount
 *    (`Share`): the whole is converted once and split after, so the parts add up to the whole.
 *
 * Redaction (`core/redaction.ts`, the one rule): a record derived from a package's lines (a
 * line's value, a receipt's value, a package's funding split by line value) carries the package
 * it reveals; one derived from a requirement item's estimated cost carries the item. In a
 * drill-down, the records the reader may not see in full are folded into one `redacted` record
 * per original currency — their count and sums, nothing else — so the drill-down still adds up
 * to the figure. Aggregated figures are shown to every operational reader.
 */
import type { Actor } from '../../core/actor.js';
import {
  checkAnalyticsOptions,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type DrillRecord,
  type DrillRecordKind,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { DomainError, assert } from '../../core/errors.js';
import { addDays } from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import { authorize } from '../../core/policy.js';
import { splitByWeights } from '../../core/split.js';
import {
  readAnalysisVersion,
  sumStageAmounts,
  type FundingStage,
  type StageAmountRow,
} from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import { Semaphore } from '../../storage/mutex.js';
import { inTransaction, type Tx } from '../../storage/transaction.js';
import { openReporting, todayUtc, type ReportedAmount, type Reporting } from './reporting.js';
import { analysisResults, databaseIdOf } from './result-cache.js';
import type { Visibility } from './visibility.js';

/** What a reader must be allowed to see to get a record in full (`null`: every reader). */
export type Restriction =
  { kind: 'package'; packageId: bigint } | { kind: 'requirement_item'; itemId: bigint };

/** One recorded amount, in its own currency, before conversion. */
export interface SourceRecord {
  kind: Exclude<DrillRecordKind, 'redacted'>;
  id: bigint;
  label: string;
  /** The value date: the day whose rate converts it (value_date mode), and whether it is ≤ asOf. */
  date: string;
  partyId: string | null;
  packageId: bigint | null;
  contributionId: bigint | null;
  amountMinor: bigint;
  currency: string;
  quantity: number | null;
  restricted: Restriction | null;
  /**
   * A record that stands for one part of a split amount (a package's funding split over its
   * capability areas): `amountMinor` is the WHOLE amount; it is converted whole, then both the
   * original and the converted amounts are split by `weights` (largest remainder), and the
   * record is part `index` of each. So the parts always add up to the whole, in both currencies.
   */
  share?: Share;
}

export interface Share {
  /** Names the whole amount (the same for every part of one split): `allocation:12`. */
  whole: string;
  weights: readonly bigint[];
  index: number;
  /** What the part is for, added to the record's label in a drill-down (`2025-08 air_defence`). */
  group?: string;
}

/** Options after checking, with `asOf` fixed. */
export type CheckedOptions = AnalyticsOptions & {
  asOf: string;
  /** The database's id in this process (result-cache.ts): the converter's rates are cached by it. */
  databaseId?: number | undefined;
};

export interface AnalysisContext {
  actor: Actor;
  options: CheckedOptions;
}

/**
 * What names a result in the cache (result-cache.ts) besides the checked options and the
 * reader's scope: the analysis, and every other input it takes (a figure key, a range, a
 * meeting id…), in a fixed order.
 */
export interface CacheName {
  analysis: string;
  inputs?: readonly unknown[];
  /**
   * Tables whose changes cannot change this analysis (it never reads them, or only columns
   * that never change): the result is then kept under the versions of every other table
   * (`readAnalysisVersion`), so a write to these alone does not make it computed again.
   */
  unaffectedBy?: readonly string[];
}

/**
 * The tables only the contribution side writes besides allocations: contributions, their
 * payments, and the ledger's postings and balances. An analysis that reads contributions only
 * through their allocations — their currency, donor and committed day, fixed before any
 * allocation can exist (`ContributionChanges` cannot set the first two; `committed_on` is set
 * only by the commitment, from `pledged`, and allocations need a committed contribution) — no
 * payment, and from the ledger only the surplus returns (posted in the transaction that closes
 * their package, storage `STAGE_TABLES`) is unaffected by them: coverage, lead times and the
 * allocated funnel's records (`CacheName.unaffectedBy`). So a pledge, a commitment or a payment
 * leaves those results kept.
 */
export const CONTRIBUTION_SIDE_TABLES: readonly string[] = [
  'contribution',
  'contribution_payment',
  'ledger_transfer',
  'ledger_account',
];

/**
 * The tables of what packages are and what reaches them — requirements, packages and their
 * lines, allocations, shipments and receipts — and the ledger: an analysis of contributions and
 * country indicators alone reads none of them (burden sharing: commitments by donor, GDP and
 * population), so an allocation, an authorisation or a delivery leaves its result kept.
 */
export const PACKAGE_SIDE_TABLES: readonly string[] = [
  'requirement_list',
  'requirement_item',
  'requirement_approval',
  'package',
  'package_line',
  'allocation',
  'shipment',
  'shipment_line',
  'receipt',
  'discrepancy',
  'ledger_transfer',
  'ledger_account',
  'ledger_conversion',
];

/**
 * Access check, options check, then `fn` in one REPEATABLE READ snapshot: every figure of one
 * response is computed from the same state of the database.
 *
 * With `cache`, the result is kept (result-cache.ts) under the database's data version read in
 * the same snapshot, the analysis and its inputs, the checked options (`asOf` resolved) and the
 * reader's role and party; a later call finding the same version gets it back with
 * `basis.generatedAt` stamped again. A hit costs one statement (the version).
 */
export async function runAnalysis<T>(
  database: Database,
  actor: Actor,
  options: AnalyticsOptions,
  fn: (tx: Tx, context: AnalysisContext) => Promise<T>,
  cache?: CacheName,
): Promise<T> {
  authorize(actor, 'analytics.read');
  const checked = checkAnalyticsOptions(options);
  const id = databaseIdOf(database);
  const context = {
    actor,
    options: { ...checked, asOf: checked.asOf ?? todayUtc(), databaseId: id },
  };
  if (!cache) {
    return computeInTurn(() =>
      inTransaction(database, (tx) => fn(tx, context), { isolation: 'repeatable read' }),
    );
  }
  const key = cacheKeyOf(cache, context);
  // Versions of a different set of tables are a different sequence: kept apart.
  const scope = cache.unaffectedBy ? `${id}-${cache.unaffectedBy.join(',')}` : `${id}`;
  const versionOf = (db: Tx | Database['kysely']) => readAnalysisVersion(db, cache.unaffectedBy);
  // A hit needs no snapshot: the entry was computed from this very version.
  const seen = await versionOf(database.kysely);
  const hit = analysisResults.get(scope, seen, key);
  if (hit !== undefined) return restamped(hit as T);
  // The same call already being computed from this version (or a newer one): share it. Its
  // answer is what this call would compute, or newer than this call's start — never older.
  const flightKey = `${scope}|${seen}|${key}`;
  let flight = inFlight.get(flightKey) as Promise<T> | undefined;
  if (!flight) {
    flight = computeInTurn(async () => {
      const ready = analysisResults.get(scope, seen, key); // computed while this call waited
      if (ready !== undefined) return ready as T;
      return inTransaction(
        database,
        async (tx) => {
          const version = await versionOf(tx); // first statement: the snapshot's version
          const again = version === seen ? undefined : analysisResults.get(scope, version, key);
          if (again !== undefined) return again as T;
          return analysisResults.set(scope, version, key, await fn(tx, context));
        },
        { isolation: 'repeatable read' },
      );
    });
    inFlight.set(flightKey, flight);
    const landed = () => inFlight.delete(flightKey);
    flight.then(landed, landed);
  }
  return restamped(await flight);
}

/** Analyses computed from the database at once (`LIMITS.analysisComputationsMax`). */
const computations = new Semaphore(LIMITS.analysisComputationsMax);
/** Computations under way, by database, the version their caller saw and cache key. */
const inFlight = new Map<string, Promise<unknown>>();

/** Runs `compute` once one of the computation permits is free, FIFO; no snapshot is held while waiting. */
async function computeInTurn<T>(compute: () => Promise<T>): Promise<T> {
  const release = await computations.acquire();
  try {
    return await compute();
  } finally {
    release();
  }
}

function cacheKeyOf(cache: CacheName, context: AnalysisContext): string {
  const { currency, rateMode, rateDate, asOf } = context.options;
  const { role, partyId } = context.actor;
  return JSON.stringify(
    [
      cache.analysis,
      role,
      partyId ?? null,
      currency,
      rateMode,
      rateDate ?? null,
      asOf,
      ...(cache.inputs ?? []),
    ],
    (_, value: unknown) =>
      typeof value === 'bigint' ? `${value}n` : value === undefined ? null : value,
  );
}

/** A cached result for this reader: the same figures, `basis.generatedAt` of this response. */
function restamped<T>(value: T): T {
  if (typeof value !== 'object' || value === null || !('basis' in value)) return value;
  const basis = (value as { basis: AnalyticsBasis }).basis;
  return { ...value, basis: { ...basis, generatedAt: new Date().toISOString() } };
}

/** The records dated on or before `asOf`. */
export function upTo<R extends { date: string }>(records: readonly R[], asOf: string): R[] {
  return records.filter((r) => r.date <= asOf);
}

/**
 * Opens the reporting converter for these records (their currencies and date range), plus
 * `extra` amounts: their currencies, valued on `extra.from` or later (a default target in USD).
 */
export async function openFor(
  tx: Tx,
  context: AnalysisContext,
  records: Iterable<{ currency: string; date: string }>,
  extra: { currencies: readonly string[]; from: string } = { currencies: [], from: '9999-12-31' },
): Promise<Reporting> {
  const { asOf } = context.options;
  const currencies = new Set<string>(extra.currencies);
  let from = extra.from < asOf ? extra.from : asOf;
  for (const r of records) {
    currencies.add(r.currency);
    if (r.date < from) from = r.date;
  }
  return openReporting(tx, context.options, { currencies, from, to: asOf });
}

/** A record's amounts: as recorded (its part, for a share) and in the reporting currency. */
export interface Reported {
  originalAmountMinor: bigint;
  amountMinor: bigint;
  rate: string;
  rateDate: string;
}

/** A whole converted once, and both of its splits (original and converted), made once. */
interface Whole {
  converted: ReportedAmount;
  originalParts: bigint[];
  parts: bigint[];
}

const wholes = new WeakMap<Reporting, Map<string, Whole>>();

/** Converts a record (a share: its whole once per reporting, split once, then its part). */
export function reported(reporting: Reporting, r: SourceRecord): Reported {
  if (!r.share) {
    const c = reporting.convert(r.amountMinor, r.currency, r.date);
    return { originalAmountMinor: r.amountMinor, ...c };
  }
  let cache = wholes.get(reporting);
  if (!cache) wholes.set(reporting, (cache = new Map()));
  const { weights, index } = r.share;
  let whole = cache.get(r.share.whole);
  if (!whole) {
    const converted = reporting.convert(r.amountMinor, r.currency, r.date);
    whole = {
      converted,
      originalParts: splitByWeights(r.amountMinor, weights),
      parts: splitByWeights(converted.amountMinor, weights),
    };
    cache.set(r.share.whole, whole);
  }
  return {
    originalAmountMinor: whole.originalParts[index]!,
    amountMinor: whole.parts[index]!,
    rate: whole.converted.rate,
    rateDate: whole.converted.rateDate,
  };
}

/** Σ of the records' amounts, each converted to the reporting currency on its own. */
export function sumReported(reporting: Reporting, records: Iterable<SourceRecord>): bigint {
  let sum = 0n;
  for (const r of records) sum += reported(reporting, r).amountMinor;
  return sum;
}

/** Σ of the records' original amounts per currency (no conversion), currencies in code order. */
export function sumByCurrency(
  records: Iterable<SourceRecord>,
): { currency: string; amountMinor: bigint; records: number }[] {
  const sums = new Map<string, { amountMinor: bigint; records: number }>();
  for (const r of records) {
    const entry = sums.get(r.currency) ?? { amountMinor: 0n, records: 0 };
    entry.amountMinor += r.share
      ? splitByWeights(r.amountMinor, r.share.weights)[r.share.index]!
      : r.amountMinor;
    entry.records += 1;
    sums.set(r.currency, entry);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, entry]) => ({ currency, ...entry }));
}

// ---- Figures from sums read in SQL ----

/**
 * A stage's records for a figure, summed in SQL (storage `sumStageAmounts`): records in the
 * reporting currency need no conversion and come as sums per group (currency, and day and party
 * when asked); every other record comes as a row of its own (currency, day, party, amount:
 * nothing else) and is converted on its own.
 * The result is the same, to the minor unit, as converting each record (`sumReported`), and so
 * is the basis's count of conversions. `perRecord`: every currency converted record by record
 * (a second reporting currency is needed, as burden sharing's US dollars).
 */
export async function readStageSums(
  tx: Tx,
  context: Pick<AnalysisContext, 'options'>,
  stage: FundingStage,
  by: {
    byDay?: boolean;
    byParty?: boolean;
    perRecord?: boolean;
    /** By chunk of its source table (stage-memo.ts; storage `sumStageAmounts`). */
    chunks?: { only?: readonly number[] };
    /** The totals only (storage `sumStageAmounts`). */
    totalsOnly?: boolean;
  } = {},
): Promise<StageAmountRow[]> {
  return sumStageAmounts(tx, stage, {
    asOf: context.options.asOf,
    summedCurrency: by.perRecord ? '' : context.options.currency,
    byDay: by.byDay ?? false,
    byParty: by.byParty ?? false,
    ...(by.chunks ? { chunks: by.chunks } : {}),
    ...(by.totalsOnly ? { totalsOnly: true } : {}),
  });
}

/** The converter's scope for stage sums: each currency with a record up to `asOf`, from its first. */
export function scopeOf(rows: Iterable<StageAmountRow>): { currency: string; date: string }[] {
  const scope: { currency: string; date: string }[] = [];
  for (const r of rows) {
    if (r.total && r.firstDate !== null) scope.push({ currency: r.currency, date: r.firstDate });
  }
  return scope;
}

/** A group of records dated up to `asOf`, in its original currency and converted. */
export interface ReportedGroup {
  currency: string;
  valueDate: string | null;
  partyId: string | null;
  originalMinor: bigint;
  reportedMinor: bigint;
  records: number;
}

/** The groups dated up to `asOf` (not the all-date totals), each converted. */
export function reportGroups(
  reporting: Reporting,
  rows: readonly StageAmountRow[],
): ReportedGroup[] {
  const groups: ReportedGroup[] = [];
  for (const r of rows) {
    if (r.total) continue;
    groups.push({
      currency: r.currency,
      valueDate: r.valueDate,
      partyId: r.partyId,
      originalMinor: r.amountMinor,
      reportedMinor: groupReported(reporting, r),
      records: r.records,
    });
  }
  return groups;
}

/** A group's amount in the reporting currency: each of its records converted alone. */
export function groupReported(
  reporting: Reporting,
  r: StageAmountRow,
  into: Reporting = reporting,
): bigint {
  if (r.unitMinor === null) {
    // The summed currency is the reporting currency: nothing to convert.
    assert(r.currency === into.options.currency, 'a summed group is in the reporting currency');
    return r.amountMinor;
  }
  assert(r.valueDate !== null, 'a group converted record by record has its day');
  const one = into.convert(r.unitMinor, r.currency, r.valueDate, r.records).amountMinor;
  return one * BigInt(r.records);
}

/** Σ of the groups' original amounts per currency, currencies in code order. */
export function groupsByCurrency(
  groups: Iterable<{ currency: string; originalMinor: bigint; records: number }>,
): { currency: string; amountMinor: bigint; records: number }[] {
  const sums = new Map<string, { amountMinor: bigint; records: number }>();
  for (const g of groups) {
    const entry = sums.get(g.currency) ?? { amountMinor: 0n, records: 0 };
    entry.amountMinor += g.originalMinor;
    entry.records += g.records;
    sums.set(g.currency, entry);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, entry]) => ({ currency, ...entry }));
}

// ---- Drill-downs ----

/**
 * Folds records the reader may not see into one `redacted` record per original currency: the
 * count, the original sum and the converted sum. `rate` is the rate they share, or empty when
 * they were converted at different rates; dates and ids are not shown.
 */
export function foldRedacted(records: readonly DrillRecord[]): DrillRecord[] {
  const fold = new RedactedFold();
  for (const r of records) {
    fold.add(r.originalCurrency, r.originalAmountMinor, r.amountMinor, r.rate, r.count);
  }
  return fold.records();
}

/** `foldRedacted` one record at a time (no drill record is made for a folded one). */
export class RedactedFold {
  readonly #byCurrency = new Map<
    string,
    { originalAmountMinor: bigint; amountMinor: bigint; rate: string; count: number }
  >();

  add(currency: string, originalMinor: bigint, amountMinor: bigint, rate: string, count: number) {
    const folded = this.#byCurrency.get(currency);
    if (!folded) {
      this.#byCurrency.set(currency, {
        originalAmountMinor: originalMinor,
        amountMinor,
        rate,
        count,
      });
      return;
    }
    folded.originalAmountMinor += originalMinor;
    folded.amountMinor += amountMinor;
    folded.count += count;
    if (folded.rate !== rate) folded.rate = '';
  }

  records(): DrillRecord[] {
    return [...this.#byCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, r]) => ({
        kind: 'redacted',
        id: 0n,
        label: `${r.count} ${r.count === 1 ? 'record' : 'records'} you may not see in detail (package or requirement contents restricted to those who fund them)`,
        date: null,
        partyId: null,
        packageId: null,
        contributionId: null,
        originalAmountMinor: r.originalAmountMinor,
        originalCurrency: currency,
        amountMinor: r.amountMinor,
        rate: r.rate,
        rateDate: null,
        quantity: null,
        days: null,
        count: r.count,
      }));
  }
}

/** By date, then kind, then id (dates are `YYYY-MM-DD`: compared as text). */
function byDateKindId(a: SourceRecord, b: SourceRecord): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.kind !== b.kind) return a.kind.localeCompare(b.kind);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A record as a drill-down lists it, with its amounts as converted for the figure. */
export function listedRecord(r: SourceRecord, amounts: Reported): DrillRecord {
  return {
    kind: r.kind,
    id: r.id,
    label: r.share?.group ? `${r.label} — share for ${r.share.group}` : r.label,
    date: r.date,
    partyId: r.partyId,
    packageId: r.packageId,
    contributionId: r.contributionId,
    originalAmountMinor: amounts.originalAmountMinor,
    originalCurrency: r.currency,
    amountMinor: amounts.amountMinor,
    rate: amounts.rate,
    rateDate: amounts.rateDate,
    quantity: r.quantity,
    days: null,
    count: 1,
  };
}

/**
 * The drill-down of a figure made of `records` (already limited to `asOf`): each converted as in
 * the figure; those the reader may not see folded (first in the list); the rest by date, then
 * kind and id. At most `LIMITS.drillRecordsMax` records are listed (`truncated`); the total is
 * always the whole figure. Every record is converted (the total), but a drill record is made
 * only for those listed.
 */
export function drillDown(
  reporting: Reporting,
  figure: string,
  records: Iterable<SourceRecord>,
  visibility: Pick<Visibility, 'sees'>,
): DrillDown {
  // The first records by date, kind, id — ties in the given order (`seq`) — kept in a buffer
  // of at most 2 × the listed bound: a figure of half a million records never holds them all.
  const max = LIMITS.drillRecordsMax;
  type Entry = { record: SourceRecord; amounts: Reported; seq: number };
  const order = (a: Entry, b: Entry) => byDateKindId(a.record, b.record) || a.seq - b.seq;
  let shown: Entry[] = [];
  let last: Entry | undefined;
  let shownCount = 0;
  const hidden = new RedactedFold();
  let totalMinor = 0n;
  for (const r of records) {
    const amounts = reported(reporting, r);
    totalMinor += amounts.amountMinor;
    if (!visibility.sees(r)) {
      hidden.add(r.currency, amounts.originalAmountMinor, amounts.amountMinor, amounts.rate, 1);
      continue;
    }
    const entry = { record: r, amounts, seq: shownCount++ };
    // Past the bound, a record after the last one kept can never be listed.
    if (last !== undefined && order(entry, last) > 0) continue;
    shown.push(entry);
    if (shown.length >= 2 * max) {
      shown = shown.sort(order).slice(0, max);
      last = shown.at(-1);
    }
  }
  shown.sort(order);
  const folded = hidden.records();
  const listed = shown.slice(0, Math.max(0, max - folded.length));
  const all: DrillRecord[] = [
    ...folded,
    ...listed.map(({ record, amounts }) => listedRecord(record, amounts)),
  ];
  return {
    basis: reporting.basis(),
    figure,
    totalMinor,
    truncated: folded.length + shownCount > max,
    records: all.slice(0, max),
  };
}

/** An iterable that runs `make` again each time it is iterated (records made on the fly). */
export function lazily<T>(make: () => Iterable<T>): Iterable<T> {
  return { [Symbol.iterator]: () => make()[Symbol.iterator]() };
}

/** `VALIDATION_FAILED` naming `figure`, saying what is wrong and what is accepted. */
export function badFigure(key: ParsedFigureKey, why: string): DomainError {
  const name = [`${key.analysis}.${key.measure}`, ...key.dimensions].join(':');
  return new DomainError('VALIDATION_FAILED', `figure: "${name}" ${why}`, { field: 'figure' });
}

// ---- Months and ranges of months ----

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

/** The month (`YYYY-MM`) of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The first day of a month. */
export function firstDayOf(month: string): string {
  return `${month}-01`;
}

/** The last day of a month. */
export function lastDayOf(month: string): string {
  return addDays(firstDayOf(nextMonth(month)), -1);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last`, both included (none when `first` > `last`). */
export function monthsFrom(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) months.push(m);
  return months;
}

/** A range of months, ends included; an open end is null. */
export interface MonthRange {
  from: string | null;
  to: string | null;
}

/**
 * The dimension of a figure over months: `2025-10` (one month), `2025-07_2025-09` (a range),
 * `_2025-10` (up to and including a month: a cumulative figure), `2025-07_` (from a month on).
 */
export function parseMonthRange(text: string): MonthRange | undefined {
  if (isMonth(text)) return { from: text, to: text };
  const match = /^(\d{4}-\d{2})?_(\d{4}-\d{2})?$/.exec(text);
  if (!match) return undefined;
  const [, from = null, to = null] = match;
  if ((from !== null && !isMonth(from)) || (to !== null && !isMonth(to))) return undefined;
  if (from === null && to === null) return undefined;
  if (from !== null && to !== null && from > to) return undefined;
  return { from, to };
}

/** The dimension text of a range (the inverse of `parseMonthRange`). */
export function monthRangeText(range: MonthRange): string {
  if (range.from !== null && range.from === range.to) return range.from;
  return `${range.from ?? ''}_${range.to ?? ''}`;
}

export function inMonthRange(month: string, range: MonthRange): boolean {
  return (range.from === null || month >= range.from) && (range.to === null || month <= range.to);
}
