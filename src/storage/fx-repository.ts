/**
 * SQL of FX rates and currencies. Rates are written in bulk, `FX_UPSERT_BATCH_ROWS` per
 * statement, each column travelling as ONE comma-joined text parameter split by
 * `string_to_array` (far cheaper to send and parse than a text array of as many elements); an
 * existing row is only rewritten when its rate differs, so a re-import of the same file changes
 * nothing. The same statements run on PGlite and PostgreSQL. Every function takes the Kysely
 * instance or the caller's `Tx`.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { BASE_CURRENCY, type Currency } from '../core/currency.js';
import { assert } from '../core/errors.js';
import { EUR_BASE_SOURCE, EUR_RATE } from '../core/fx.js';
import type { Engine } from './database.js';
import { copyFromText } from './pglite-dialect.js';
import type { Schema } from './schema.js';

type Executor = Kysely<Schema>;

/** Rows per write statement: large enough to be fast, small enough to bound parameter size. */
export const FX_UPSERT_BATCH_ROWS = 10_000;

/** Arbitrary constant naming the FX-import lock. */
const FX_IMPORT_LOCK_KEY = 7_261_102;

export interface FxRateInput {
  currency: string;
  rateDate: string;
  /** Units of `currency` per 1 EUR, exact decimal text. */
  ratePerEur: string;
}

export interface FxUpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Inserts new rates and rewrites existing ones whose rate differs (numerically: "11.809" and
 * "11.8090" are the same rate), stamping `source` on every row it writes. Rows must be unique
 * by (currency, rate_date) (asserted); they are written in that order (sorted here when the
 * caller's order differs), so batches cover disjoint key ranges and concurrent imports lock
 * rows in the same order.
 *
 * FX imports are serialised by a transaction-scoped advisory lock (only they write `fx_rate`).
 * When the table holds no row in the whole input's key range (a first import), every batch is
 * a plain INSERT, with no check per batch; otherwise a batch whose key range holds no row yet
 * is a plain INSERT too, a batch stored unchanged is only read, and any other batch is
 * `INSERT … ON CONFLICT DO UPDATE`.
 */
export async function upsertFxRates(
  tx: Executor,
  source: string,
  rates: readonly FxRateInput[],
  onBatch?: (rowsDone: number) => void,
  /** PGlite: rows into an empty key range go by COPY (`copyFromText`), cheaper there. */
  engine: Engine = 'postgres',
): Promise<FxUpsertCounts> {
  const counts: FxUpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (rates.length === 0) return counts;
  const sorted = inKeyOrder(rates);
  await sql`SELECT pg_advisory_xact_lock(${FX_IMPORT_LOCK_KEY}::bigint)`.execute(tx);
  const firstImport = !(await occupied(tx, sorted[0]!, sorted.at(-1)!));
  for (let start = 0; start < sorted.length; start += FX_UPSERT_BATCH_ROWS) {
    const batch = sorted.slice(start, start + FX_UPSERT_BATCH_ROWS);
    const first = batch[0]!;
    const last = batch.at(-1)!;
    const currencies: string[] = [];
    const dates: string[] = [];
    const values: string[] = [];
    for (const r of batch) {
      // The texts are joined with commas: none may hold one (codes, ISO dates, decimals).
      assert(
        !r.currency.includes(',') && !r.rateDate.includes(',') && !r.ratePerEur.includes(','),
        'an FX rate row holds no comma',
      );
      currencies.push(r.currency);
      dates.push(r.rateDate);
      values.push(r.ratePerEur);
    }
    const input = sql`unnest(string_to_array(${currencies.join(',')}, ',')::char(3)[],
                             string_to_array(${dates.join(',')}, ',')::date[],
                             string_to_array(${values.join(',')}, ',')::numeric[])
                      AS i (currency, rate_date, rate_per_eur)`;
    let row: { inserted: number; updated: number } | undefined;
    if ((firstImport || !(await occupied(tx, first, last))) && engine === 'pglite') {
      // COPY's text format; only the source could hold a tab, newline or backslash.
      const tail = `\t${copyText(source)}\n`;
      let text = '';
      for (const r of batch) text += `${r.currency}\t${r.rateDate}\t${r.ratePerEur}${tail}`;
      const copy = copyFromText(
        'fx_rate',
        ['currency', 'rate_date', 'rate_per_eur', 'source'],
        text,
      );
      try {
        const result = await copy.statement.execute(tx);
        row = { inserted: Number(result.numAffectedRows ?? -1), updated: 0 };
      } finally {
        copy.done();
      }
    } else if (firstImport || !(await occupied(tx, first, last))) {
      const result = await sql`
        INSERT INTO fx_rate (currency, rate_date, rate_per_eur, source)
        SELECT currency, rate_date, rate_per_eur, ${source} FROM ${input}`.execute(tx);
      row = { inserted: Number(result.numAffectedRows ?? -1), updated: 0 };
    } else if (await allSame(tx, input, first, last, batch.length)) {
      row = { inserted: 0, updated: 0 }; // a re-import: read, compared, nothing to write
    } else {
      // `xmax = 0` on a returned row: inserted by this statement; otherwise it was updated.
      // Rows whose rate is the same are not rewritten and not returned: they are unchanged.
      const result = await sql<{ inserted: number; updated: number }>`
        WITH upserted AS (
          INSERT INTO fx_rate (currency, rate_date, rate_per_eur, source)
          SELECT currency, rate_date, rate_per_eur, ${source} FROM ${input}
          ON CONFLICT (currency, rate_date) DO UPDATE
            SET rate_per_eur = EXCLUDED.rate_per_eur, source = EXCLUDED.source
            WHERE fx_rate.rate_per_eur <> EXCLUDED.rate_per_eur
          RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
               count(*) FILTER (WHERE NOT inserted)::int AS updated
        FROM upserted`.execute(tx);
      row = result.rows[0];
    }
    assert(
      row && row.inserted >= 0 && row.updated >= 0 && row.inserted + row.updated <= batch.length,
      'an upsert batch inserts or updates at most the rows it was given',
    );
    counts.inserted += row.inserted;
    counts.updated += row.updated;
    counts.unchanged += batch.length - row.inserted - row.updated;
    onBatch?.(start + batch.length);
  }
  return counts;
}

/** Key order: currency, then date. */
function compareKeys(a: FxRateInput, b: FxRateInput): number {
  if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
  return a.rateDate < b.rateDate ? -1 : a.rateDate > b.rateDate ? 1 : 0;
}

/**
 * `rates` in key order: as given when already sorted (the ECB parser's order), else a sorted
 * copy. Two rows with the same key are a caller's error (one statement cannot write a row
 * twice): asserted.
 */
function inKeyOrder(rates: readonly FxRateInput[]): readonly FxRateInput[] {
  let sorted = true;
  for (let i = 1; i < rates.length && sorted; i++)
    sorted = compareKeys(rates[i - 1]!, rates[i]!) < 0;
  const ordered = sorted ? rates : [...rates].sort(compareKeys);
  if (!sorted) {
    for (let i = 1; i < ordered.length; i++) {
      assert(
        compareKeys(ordered[i - 1]!, ordered[i]!) < 0,
        'FX rates are unique by (currency, rate_date)',
      );
    }
  }
  return ordered;
}

/** Whether `fx_rate` holds any row in the key range from `first` to `last`. */
async function occupied(tx: Executor, first: FxRateInput, last: FxRateInput): Promise<boolean> {
  const result = await sql<{ occupied: boolean }>`
    SELECT EXISTS (SELECT 1 FROM fx_rate WHERE ${inKeyRange(first, last)}) AS occupied`.execute(tx);
  return result.rows[0]!.occupied;
}

/**
 * Whether every row of `input` is stored with the same rate: a read of the batch's key range
 * (an index range scan, hash-joined to the input; no row is locked). A re-import of the same
 * file answers yes for every batch and writes nothing — cheaper than an upsert that finds, and
 * locks, each row only to leave it as it is.
 */
async function allSame(
  tx: Executor,
  input: RawBuilder<unknown>,
  first: FxRateInput,
  last: FxRateInput,
  rows: number,
): Promise<boolean> {
  const result = await sql<{ same: number }>`
    SELECT count(*)::int AS same
    FROM ${input}
    JOIN (SELECT currency, rate_date, rate_per_eur FROM fx_rate
          WHERE ${inKeyRange(first, last)}) AS f USING (currency, rate_date)
    WHERE f.rate_per_eur = i.rate_per_eur`.execute(tx);
  return result.rows[0]!.same === rows;
}

/** `(currency, rate_date)` from `first` to `last`, inclusive: a range of the primary key. */
function inKeyRange(first: FxRateInput, last: FxRateInput) {
  return sql`(currency, rate_date) >= (${first.currency}::char(3), ${first.rateDate}::date)
    AND (currency, rate_date) <= (${last.currency}::char(3), ${last.rateDate}::date)`;
}

export interface FxRatePair {
  /** The day both rates were published for (the latest such day in the window). */
  rateDate: string;
  fromRatePerEur: string;
  toRatePerEur: string;
  fromSource: string;
  toSource: string;
}

export interface FindFxRatePairInput {
  from: string;
  to: string;
  /** The value date: the pair's date is on or before it … */
  onOrBefore: string;
  /** … and on or after this date (the carry-forward window). */
  notBefore: string;
}

/**
 * The latest day in [notBefore, onOrBefore] on which both currencies have a rate; EUR always
 * has rate 1 (and, EUR to EUR, the value date itself is used). Both legs come from one day.
 */
export async function findFxRatePair(
  db: Executor,
  input: FindFxRatePairInput,
): Promise<FxRatePair | undefined> {
  const { from, to, onOrBefore, notBefore } = input;
  if (from === BASE_CURRENCY && to === BASE_CURRENCY) {
    return {
      rateDate: onOrBefore,
      fromRatePerEur: EUR_RATE,
      toRatePerEur: EUR_RATE,
      fromSource: EUR_BASE_SOURCE,
      toSource: EUR_BASE_SOURCE,
    };
  }
  if (from === BASE_CURRENCY || to === BASE_CURRENCY || from === to) {
    const other = from === BASE_CURRENCY ? to : from;
    const rate = await findLatestFxRate(db, other, onOrBefore, notBefore);
    if (!rate) return undefined;
    const eur = { ratePerEur: EUR_RATE, source: EUR_BASE_SOURCE };
    const fromLeg = from === BASE_CURRENCY ? eur : rate;
    const toLeg = to === BASE_CURRENCY ? eur : rate;
    return {
      rateDate: rate.rateDate,
      fromRatePerEur: fromLeg.ratePerEur,
      toRatePerEur: toLeg.ratePerEur,
      fromSource: fromLeg.source,
      toSource: toLeg.source,
    };
  }
  const result = await sql<FxRatePair>`
    SELECT a.rate_date AS "rateDate", a.rate_per_eur AS "fromRatePerEur",
           b.rate_per_eur AS "toRatePerEur", a.source AS "fromSource", b.source AS "toSource"
    FROM fx_rate a
    JOIN fx_rate b ON b.currency = ${to} AND b.rate_date = a.rate_date
    WHERE a.currency = ${from}
      AND a.rate_date <= ${onOrBefore}::date AND a.rate_date >= ${notBefore}::date
    ORDER BY a.rate_date DESC
    LIMIT 1`.execute(db);
  return result.rows[0];
}

export interface FxRateRecord {
  rateDate: string;
  ratePerEur: string;
  source: string;
}

/** The latest rate of `currency` on or before `onOrBefore` (and not before `notBefore`). */
export async function findLatestFxRate(
  db: Executor,
  currency: string,
  onOrBefore: string,
  notBefore?: string,
): Promise<FxRateRecord | undefined> {
  let query = db
    .selectFrom('fx_rate')
    .select(['rate_date', 'rate_per_eur', 'source'])
    .where('currency', '=', currency)
    .where('rate_date', '<=', sql<string>`${onOrBefore}::date`);
  if (notBefore !== undefined)
    query = query.where('rate_date', '>=', sql<string>`${notBefore}::date`);
  const row = await query.orderBy('rate_date', 'desc').limit(1).executeTakeFirst();
  return row && { rateDate: row.rate_date, ratePerEur: row.rate_per_eur, source: row.source };
}

export interface FxRateCounts {
  rates: number;
  days: number;
  currencies: number;
  firstDate: string | null;
  lastDate: string | null;
}

export async function countFxRates(db: Executor): Promise<FxRateCounts> {
  const result = await sql<FxRateCounts>`
    SELECT count(*)::int AS rates, count(DISTINCT rate_date)::int AS days,
           count(DISTINCT currency)::int AS currencies,
           min(rate_date) AS "firstDate", max(rate_date) AS "lastDate"
    FROM fx_rate`.execute(db);
  return result.rows[0]!;
}

/** Every currency of the `currency` table (current and withdrawn). */
export async function listCurrencies(db: Executor): Promise<Currency[]> {
  const rows = await db
    .selectFrom('currency')
    .select(['code', 'name', 'minor_unit', 'withdrawn'])
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    minorUnit: r.minor_unit,
    withdrawn: r.withdrawn,
  }));
}

/** One currency by code, or `undefined`. */
export async function findCurrency(db: Executor, code: string): Promise<Currency | undefined> {
  const row = await db
    .selectFrom('currency')
    .select(['code', 'name', 'minor_unit', 'withdrawn'])
    .where('code', '=', code)
    .executeTakeFirst();
  return (
    row && { code: row.code, name: row.name, minorUnit: row.minor_unit, withdrawn: row.withdrawn }
  );
}

export interface FxRateRow {
  currency: string;
  rateDate: string;
  ratePerEur: string;
  source: string;
}

/** Every rate of `currencies` in [from, to], for converting many amounts in memory. */
export async function listFxRates(
  db: Executor,
  currencies: readonly string[],
  from: string,
  to: string,
): Promise<FxRateRow[]> {
  if (currencies.length === 0) return [];
  return db
    .selectFrom('fx_rate')
    .select(['currency', 'rate_date as rateDate', 'rate_per_eur as ratePerEur', 'source'])
    .where('currency', 'in', [...currencies])
    .where('rate_date', '>=', sql<string>`${from}::date`)
    .where('rate_date', '<=', sql<string>`${to}::date`)
    .execute();
}

/** The latest day with any rate, on or before `onOrBefore`; undefined when none. */
export async function findLatestRateDate(
  db: Executor,
  onOrBefore: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('fx_rate')
    .select(sql<string>`max(rate_date)`.as('d'))
    .where('rate_date', '<=', sql<string>`${onOrBefore}::date`)
    .executeTakeFirst();
  return row?.d ?? undefined;
}

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
