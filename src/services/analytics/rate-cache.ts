/**
 * The ECB rates the reporting converter (reporting.ts) needs, kept in this process's memory per
 * database, currency and calendar year, so an analysis computed cold does not read ten years of
 * rates again (tens of thousands of rows) when the rates have not changed.
 *
 * Correct because rates are written only by the FX import (`fx-service.importFxRates`), which
 * records one audit event of entity `fx_rate` in the same transaction: the id of the last such
 * event (`readFxVersion`, read in the caller's snapshot) names the state of the rate table, and
 * a year kept under an older version is never used. A year is read whole, but the converter
 * looks up only the days it asked for (its own range), and the sources it reports are those of
 * the rates in that range — so the answer is the one a direct read gives.
 *
 * Bounded: at most `LIMITS.analyticsRateYearsMax` (currency, year) entries, least recently used
 * out first.
 */
import { LIMITS } from '../../core/limits.js';
import { readFxVersion } from '../../storage/analytics-repository.js';
import { findLatestRateDate, listFxRates } from '../../storage/fx-repository.js';
import type { Tx } from '../../storage/transaction.js';

/** One currency's rates of one year: day → rate per EUR (exact decimal text) and its source. */
interface RateYear {
  days: Map<string, { rate: string; source: string }>;
  /** The sources of all its days. */
  sources: Set<string>;
}

const years = new Map<string, RateYear>();

function keyOf(database: number, version: bigint, currency: string, year: number): string {
  return `${database}|${version}|${currency}|${year}`;
}

function remember(key: string, year: RateYear): void {
  years.delete(key);
  years.set(key, year);
  while (years.size > LIMITS.analyticsRateYearsMax) {
    years.delete(years.keys().next().value as string);
  }
}

/** (database, FX version, day) → the last day with rates on or before it (null: none). */
const latestDays = new Map<string, string | null>();
const LATEST_DAYS_KEPT = 256;

/** The FX version of each analysis's snapshot, read once however many converters it opens. */
const versions = new WeakMap<Tx, Promise<bigint>>();

export function fxVersion(tx: Tx): Promise<bigint> {
  let found = versions.get(tx);
  if (!found) versions.set(tx, (found = readFxVersion(tx)));
  return found;
}

/**
 * The last day with any rate on or before `onOrBefore` (fx-repository `findLatestRateDate`,
 * which reads every rate up to that day), kept per FX version like the rates.
 */
export async function latestRateDay(
  tx: Tx,
  database: number | undefined,
  onOrBefore: string,
): Promise<string | null> {
  if (database === undefined) return (await findLatestRateDate(tx, onOrBefore)) ?? null;
  const key = `${database}|${await fxVersion(tx)}|${onOrBefore}`;
  const kept = latestDays.get(key);
  if (kept !== undefined) return kept;
  const day = (await findLatestRateDate(tx, onOrBefore)) ?? null;
  latestDays.set(key, day);
  if (latestDays.size > LATEST_DAYS_KEPT) latestDays.delete(latestDays.keys().next().value!);
  return day;
}

export interface LoadedRates {
  /** currency → day → rate per EUR, for days in [from, to]. */
  ratePerEur(currency: string, day: string): string | undefined;
  /** The sources of the rates of those currencies in [from, to]. */
  sources: Set<string>;
}

/**
 * The rates of `currencies` from `from` to `to` (days, both included). With `database` (an id of
 * result-cache.ts `databaseIdOf`), whole years are kept for later calls; without, read directly.
 */
export async function loadRates(
  tx: Tx,
  database: number | undefined,
  currencies: readonly string[],
  from: string,
  to: string,
): Promise<LoadedRates> {
  const inRange = (day: string) => day >= from && day <= to;
  if (database === undefined || currencies.length === 0 || from > to) {
    const rates = new Map<string, Map<string, string>>();
    const sources = new Set<string>();
    for (const row of from <= to ? await listFxRates(tx, currencies, from, to) : []) {
      let days = rates.get(row.currency);
      if (!days) rates.set(row.currency, (days = new Map()));
      days.set(row.rateDate, row.ratePerEur);
      sources.add(row.source);
    }
    return { ratePerEur: (c, day) => rates.get(c)?.get(day), sources };
  }
  const version = await fxVersion(tx);
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  const wanted = new Map<string, Map<number, RateYear>>();
  const missing = new Set<string>();
  let missingFirst = last;
  let missingLast = first;
  for (const currency of currencies) {
    const byYear = new Map<number, RateYear>();
    wanted.set(currency, byYear);
    for (let y = first; y <= last; y++) {
      const key = keyOf(database, version, currency, y);
      const kept = years.get(key);
      if (kept) {
        remember(key, kept);
        byYear.set(y, kept);
      } else {
        missing.add(currency);
        missingFirst = Math.min(missingFirst, y);
        missingLast = Math.max(missingLast, y);
      }
    }
  }
  if (missing.size > 0) {
    const read = new Map<string, Map<number, RateYear>>();
    const sourceText = new Map<string, string>(); // one string per source, not one per row
    for (const row of await listFxRates(
      tx,
      [...missing],
      `${missingFirst}-01-01`,
      `${missingLast}-12-31`,
    )) {
      let byYear = read.get(row.currency);
      if (!byYear) read.set(row.currency, (byYear = new Map()));
      const y = Number(row.rateDate.slice(0, 4));
      let year = byYear.get(y);
      if (!year) byYear.set(y, (year = { days: new Map(), sources: new Set() }));
      let source = sourceText.get(row.source);
      if (source === undefined) sourceText.set(row.source, (source = row.source));
      year.days.set(row.rateDate, { rate: row.ratePerEur, source });
      year.sources.add(source);
    }
    for (const currency of missing) {
      for (let y = missingFirst; y <= missingLast; y++) {
        const year = read.get(currency)?.get(y) ?? { days: new Map(), sources: new Set() };
        remember(keyOf(database, version, currency, y), year);
        if (y >= first && y <= last) wanted.get(currency)!.set(y, year);
      }
    }
  }
  const sources = new Set<string>();
  for (const byYear of wanted.values()) {
    for (const [y, year] of byYear) {
      if (from <= `${y}-01-01` && to >= `${y}-12-31`) {
        for (const source of year.sources) sources.add(source);
        continue;
      }
      for (const [day, { source }] of year.days) if (inRange(day)) sources.add(source);
    }
  }
  return {
    ratePerEur(currency, day) {
      if (!inRange(day)) return undefined;
      return wanted
        .get(currency)
        ?.get(Number(day.slice(0, 4)))
        ?.days.get(day)?.rate;
    },
    sources,
  };
}
