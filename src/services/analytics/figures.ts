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
import { DomainError } from '../../core/errors.js';
import { addDays } from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import { authorize } from '../../core/policy.js';
import { dependsOnParties, maySeeRestricted } from '../../core/redaction.js';
import { splitByWeights } from '../../core/split.js';
import {
  listItemsFundedBy,
  listPackagesFundedBy,
  readDataVersion,
} from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import { inTransaction, type Tx } from '../../storage/transaction.js';
import { openReporting, todayUtc, type ReportedAmount, type Reporting } from './reporting.js';
import { analysisResults, databaseIdOf } from './result-cache.js';

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
}

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
    return inTransaction(database, (tx) => fn(tx, context), { isolation: 'repeatable read' });
  }
  const key = cacheKeyOf(cache, context);
  // A hit needs no snapshot: the entry was computed from this very version.
  const seen = await readDataVersion(database.kysely);
  const hit = analysisResults.get(id, seen, key);
  if (hit !== undefined) return restamped(hit as T);
  return inTransaction(
    database,
    async (tx) => {
      const version = await readDataVersion(tx); // first statement: the snapshot's version
      const again = version === seen ? undefined : analysisResults.get(id, version, key);
      if (again !== undefined) return restamped(again as T);
      return analysisResults.set(id, version, key, await fn(tx, context));
    },
    { isolation: 'repeatable read' },
  );
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
  records: Iterable<SourceRecord>,
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

// ---- Who may see which record ----

export interface Visibility {
  /** Whether the reader may see this record in full. */
  sees(record: SourceRecord): boolean;
}

/**
 * The reader's view of restricted records. For a contributor, the packages and items its party
 * funds are read once (in the caller's snapshot); every other role is decided by the role alone.
 */
export async function visibilityFor(tx: Tx, actor: Actor): Promise<Visibility> {
  const party = actor.partyId;
  const packages = new Set(
    dependsOnParties(actor, 'package') && party ? await listPackagesFundedBy(tx, party) : [],
  );
  const items = new Set(
    dependsOnParties(actor, 'requirement_item') && party ? await listItemsFundedBy(tx, party) : [],
  );
  const funders = (funded: boolean) => ({ fundingParties: funded && party ? [party] : [] });
  const seesPackages = maySeeRestricted(actor, 'package', funders(false));
  const seesItems = maySeeRestricted(actor, 'requirement_item', funders(false));
  return {
    sees(record) {
      const restriction = record.restricted;
      if (restriction === null) return true;
      if (restriction.kind === 'package') {
        return (
          seesPackages ||
          maySeeRestricted(actor, 'package', funders(packages.has(restriction.packageId)))
        );
      }
      return (
        seesItems ||
        maySeeRestricted(actor, 'requirement_item', funders(items.has(restriction.itemId)))
      );
    },
  };
}

// ---- Drill-downs ----

/**
 * Folds records the reader may not see into one `redacted` record per original currency: the
 * count, the original sum and the converted sum. `rate` is the rate they share, or empty when
 * they were converted at different rates; dates and ids are not shown.
 */
export function foldRedacted(records: readonly DrillRecord[]): DrillRecord[] {
  const byCurrency = new Map<string, DrillRecord>();
  for (const r of records) {
    const folded = byCurrency.get(r.originalCurrency);
    if (!folded) {
      byCurrency.set(r.originalCurrency, {
        kind: 'redacted',
        id: 0n,
        label: '',
        date: null,
        partyId: null,
        packageId: null,
        contributionId: null,
        originalAmountMinor: r.originalAmountMinor,
        originalCurrency: r.originalCurrency,
        amountMinor: r.amountMinor,
        rate: r.rate,
        rateDate: null,
        quantity: null,
        days: null,
        count: r.count,
      });
      continue;
    }
    folded.originalAmountMinor += r.originalAmountMinor;
    folded.amountMinor += r.amountMinor;
    folded.count += r.count;
    if (folded.rate !== r.rate) folded.rate = '';
  }
  return [...byCurrency.values()]
    .sort((a, b) => (a.originalCurrency < b.originalCurrency ? -1 : 1))
    .map((r) => ({
      ...r,
      label: `${r.count} ${r.count === 1 ? 'record' : 'records'} you may not see in detail (package or requirement contents restricted to those who fund them)`,
    }));
}

/**
 * The drill-down of a figure made of `records` (already limited to `asOf`): each converted as in
 * the figure; those the reader may not see folded (first in the list); the rest by date, then
 * kind and id. At most `LIMITS.drillRecordsMax` records are listed (`truncated`); the total is
 * always the whole figure.
 */
export function drillDown(
  reporting: Reporting,
  figure: string,
  records: readonly SourceRecord[],
  visibility: Visibility,
): DrillDown {
  const shown: DrillRecord[] = [];
  const hidden: DrillRecord[] = [];
  let totalMinor = 0n;
  for (const r of records) {
    const amounts = reported(reporting, r);
    const record: DrillRecord = {
      kind: r.kind,
      id: r.id,
      label: r.label,
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
    totalMinor += record.amountMinor;
    (visibility.sees(r) ? shown : hidden).push(record);
  }
  shown.sort(
    (a, b) =>
      (a.date ?? '').localeCompare(b.date ?? '') ||
      a.kind.localeCompare(b.kind) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const all = [...foldRedacted(hidden), ...shown];
  return {
    basis: reporting.basis(),
    figure,
    totalMinor,
    truncated: all.length > LIMITS.drillRecordsMax,
    records: all.slice(0, LIMITS.drillRecordsMax),
  };
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
