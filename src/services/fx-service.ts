/**
 * Use cases of exchange rates: import the ECB history file, convert an amount at the rate of
 * its value date.
 *
 * Import: the whole file is read and checked first (a malformed row fails the import naming its
 * line, before anything is written), then every rate is upserted and ONE audit event recorded,
 * in one transaction — so a failure leaves nothing half-written, and a re-import of the same
 * file inserts and updates nothing (it still records that it ran).
 *
 * Convert: the rates are those of the latest day on or before the value date on which both
 * currencies have a rate (weekends and holidays have none), at most
 * `LIMITS.fxCarryForwardDaysMax` days earlier; the result says which day was used.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { unzipSync } from 'fflate';
import type { Actor } from '../core/actor.js';
import {
  BASE_CURRENCY,
  assertCurrencyCodeSyntax,
  currencyMap,
  getCurrency,
  isCurrencyCodeSyntax,
  type Currency,
} from '../core/currency.js';
import { DomainError, assert } from '../core/errors.js';
import {
  ECB_SOURCE,
  EUR_BASE_SOURCE,
  addDays,
  convertAmount,
  daysBetween,
  isIsoDate,
  tryParseRate,
  type Conversion,
} from '../core/fx.js';
import { LIMITS } from '../core/limits.js';
import { authorize } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import {
  findCurrency,
  findFxRatePair,
  findLatestFxRate,
  listCurrencies,
  upsertFxRates,
  type FxRateInput,
  type FxUpsertCounts,
} from '../storage/fx-repository.js';
import { inTransaction } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

// ---- Import ----

export interface FxImportProgress {
  /** `parse`: checking the file's rows; `write`: upserting rates. */
  phase: 'parse' | 'write';
  /** Rows parsed, or rates written, so far. */
  done: number;
  /** Rows of the file, or rates to write. */
  total: number;
}

export interface ImportFxRatesInput {
  /** Path of `eurofxref-hist.zip` (a zip holding one `.csv`) or of the plain `.csv`. */
  file: string;
  onProgress?: (progress: FxImportProgress) => void;
}

export interface FxImportResult extends FxUpsertCounts {
  file: string;
  sha256: string;
  bytes: number;
  /** Data rows (days) of the file. */
  days: number;
  /** Rates in the file (cells other than `N/A`). */
  rates: number;
  currencies: number;
  firstDate: string;
  lastDate: string;
  source: string;
}

export async function importFxRates(
  database: Database,
  actor: Actor,
  input: ImportFxRatesInput,
): Promise<FxImportResult> {
  authorize(actor, 'fx.import');
  const bytes = await readImportFile(input.file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = csvText(bytes, input.file);
  const currencies = currencyMap(await listCurrencies(database.kysely));
  const parsed = parseEcbCsv(text, currencies, (done, total) =>
    input.onProgress?.({ phase: 'parse', done, total }),
  );

  return inTransaction(database, async (tx) => {
    input.onProgress?.({ phase: 'write', done: 0, total: parsed.rates.length });
    const counts = await upsertFxRates(
      tx,
      ECB_SOURCE,
      parsed.rates,
      (done) => input.onProgress?.({ phase: 'write', done, total: parsed.rates.length }),
      database.engine,
    );
    const result: FxImportResult = {
      file: basename(input.file),
      sha256,
      bytes: bytes.length,
      days: parsed.days,
      rates: parsed.rates.length,
      currencies: parsed.currencies.length,
      firstDate: parsed.firstDate,
      lastDate: parsed.lastDate,
      source: ECB_SOURCE,
      ...counts,
    };
    await recordAudit(tx, actor, {
      entity: 'fx_rate',
      entityId: null,
      action: 'import',
      after: result,
    });
    return result;
  });
}

async function readImportFile(file: string): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `file: cannot read ${file} (${error instanceof Error ? error.message : String(error)}).`,
      { field: 'file', file },
    );
  }
  if (size > LIMITS.fxImportBytesMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `file: ${file} has ${size} bytes; an FX import has at most ${LIMITS.fxImportBytesMax}.`,
      { field: 'file', limit: 'fxImportBytesMax', max: LIMITS.fxImportBytesMax, actual: size },
    );
  }
  return new Uint8Array(await readFile(file));
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The CSV text of the file: the one `.csv` inside a zip, or the file itself. */
function csvText(bytes: Uint8Array, file: string): string {
  const malformed = (message: string) =>
    new DomainError('IMPORT_MALFORMED', `${basename(file)}: ${message}`, {
      field: 'file',
      line: 0,
    });
  let csv = bytes;
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    let entries: Record<string, Uint8Array>;
    let tooLarge: { name: string; size: number } | undefined;
    try {
      entries = unzipSync(bytes, {
        filter: (entry) => {
          if (!entry.name.toLowerCase().endsWith('.csv')) return false;
          if (entry.originalSize > LIMITS.fxImportBytesMax) {
            tooLarge = { name: entry.name, size: entry.originalSize };
            return false;
          }
          return true;
        },
      });
    } catch (error) {
      throw malformed(`not a readable zip (${error instanceof Error ? error.message : error}).`);
    }
    if (tooLarge) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `file: ${tooLarge.name} inside ${basename(file)} has ${tooLarge.size} bytes uncompressed; an FX import has at most ${LIMITS.fxImportBytesMax}.`,
        {
          field: 'file',
          limit: 'fxImportBytesMax',
          max: LIMITS.fxImportBytesMax,
          actual: tooLarge.size,
        },
      );
    }
    const names = Object.keys(entries);
    if (names.length !== 1) {
      throw malformed(
        `a zip must hold exactly one .csv file, found ${names.length}${names.length ? ` (${names.join(', ')})` : ''}.`,
      );
    }
    csv = entries[names[0]!]!;
    // The size in the zip's header can lie; the inflated data cannot.
    if (csv.length > LIMITS.fxImportBytesMax) throw malformed('the .csv inside is too large.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(csv);
  } catch {
    throw malformed('the CSV is not valid UTF-8 text.');
  }
}

export interface ParsedEcbRates {
  /** Data rows (days). */
  days: number;
  /** Currency columns, in file order. */
  currencies: string[];
  firstDate: string;
  lastDate: string;
  /** Every rate of the file, sorted by currency then date. */
  rates: FxRateInput[];
}

/**
 * Parses the ECB history CSV: a header `Date,USD,JPY,…,` (one column per currency, often a
 * trailing comma), then one row per business day, `N/A` where a currency has no rate. Strict:
 * any row that is not exactly right fails with `IMPORT_MALFORMED` naming its line (1-based,
 * the header is line 1) and the field (`Date` or the currency's column); more than
 * `LIMITS.fxImportRowsMax` rows is `LIMIT_EXCEEDED`.
 */
export function parseEcbCsv(
  text: string,
  currencies: ReadonlyMap<string, Currency>,
  onProgress?: (rowsDone: number, rowsTotal: number) => void,
): ParsedEcbRates {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === '') lines.pop(); // trailing newline(s)
  const malformed = (line: number, field: string | undefined, message: string, more = {}) =>
    new DomainError('IMPORT_MALFORMED', `line ${line}: ${message}`, {
      line,
      ...(field === undefined ? {} : { field }),
      ...more,
    });

  // Header.
  const header = (lines[0] ?? '').split(',');
  if (header[0] !== 'Date') {
    throw malformed(
      1,
      'Date',
      `the header must start with "Date", found "${clip(header[0] ?? '')}".`,
    );
  }
  const trailingComma = header.length > 1 && header.at(-1) === '';
  const codes = header.slice(1, trailingComma ? -1 : undefined);
  if (codes.length === 0) throw malformed(1, undefined, 'the header names no currency.');
  const seen = new Set<string>();
  codes.forEach((code, index) => {
    const column = `column ${index + 2}`;
    if (!isCurrencyCodeSyntax(code)) {
      throw malformed(
        1,
        column,
        `"${clip(code)}" is not a currency code (three upper-case letters).`,
      );
    }
    if (code === BASE_CURRENCY) {
      throw malformed(1, code, 'EUR cannot have a column: rates are per 1 EUR.');
    }
    if (!currencies.has(code)) {
      throw malformed(1, code, `${code} is not an ISO 4217 currency known to the ledger.`);
    }
    if (seen.has(code)) throw malformed(1, code, `${code} has two columns.`);
    seen.add(code);
  });

  const rowsTotal = lines.length - 1;
  if (rowsTotal > LIMITS.fxImportRowsMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `The file has ${rowsTotal} rows; an FX import has at most ${LIMITS.fxImportRowsMax}.`,
      { limit: 'fxImportRowsMax', max: LIMITS.fxImportRowsMax, actual: rowsTotal },
    );
  }
  if (rowsTotal === 0) throw malformed(2, undefined, 'the file has a header but no rows.');

  // Rows.
  const firstLineOfDate = new Map<string, number>();
  const perCurrency: FxRateInput[][] = codes.map(() => []);
  const progressEvery = Math.max(1, Math.ceil(rowsTotal / 20));
  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    const cells = lines[index]!.split(',');
    if (cells.length !== header.length) {
      throw malformed(
        line,
        undefined,
        `expected ${header.length} comma-separated fields as in the header, found ${cells.length}.`,
        { expected: header.length, actual: cells.length },
      );
    }
    const date = clip(cells[0]!);
    if (!isIsoDate(date)) {
      throw malformed(line, 'Date', `"${date}" is not a date written YYYY-MM-DD.`, {
        value: date,
      });
    }
    const earlier = firstLineOfDate.get(date);
    if (earlier !== undefined) {
      throw malformed(line, 'Date', `${date} appears twice (first on line ${earlier}).`, {
        value: date,
      });
    }
    firstLineOfDate.set(date, line);
    if (trailingComma && cells.at(-1) !== '') {
      throw malformed(
        line,
        `column ${header.length}`,
        'the last field must be empty, as in the header.',
      );
    }
    codes.forEach((code, c) => {
      const cell = cells[c + 1]!;
      if (cell === 'N/A') return;
      if (!tryParseRate(cell)) {
        const value = clip(cell);
        throw malformed(line, code, `${code} rate "${value}" is not a positive decimal (or N/A).`, {
          value,
        });
      }
      perCurrency[c]!.push({ currency: code, rateDate: date, ratePerEur: cell });
    });
    if (index % progressEvery === 0 || index === rowsTotal) onProgress?.(index, rowsTotal);
  }

  // Sorted by (currency, date): concurrent imports then lock rows in the same order.
  const order = codes.map((code, c) => ({ code, c })).sort((a, b) => (a.code < b.code ? -1 : 1));
  const rates = order.flatMap(({ c }) =>
    perCurrency[c]!.sort((a, b) =>
      a.rateDate < b.rateDate ? -1 : a.rateDate > b.rateDate ? 1 : 0,
    ),
  );
  const dates = [...firstLineOfDate.keys()].sort();
  return {
    days: rowsTotal,
    currencies: codes,
    firstDate: dates[0]!,
    lastDate: dates.at(-1)!,
    rates,
  };
}

/** A cell as quoted in an error message: at most 40 characters of it. */
function clip(cell: string): string {
  return cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
}

// ---- Convert ----

export interface ConvertInput {
  amountMinor: bigint;
  /** ISO 4217 code of the amount. */
  from: string;
  /** ISO 4217 code to convert to. */
  to: string;
  /** The day the amount is valued at, `YYYY-MM-DD`. */
  valueDate: string;
}

export interface ConvertResult extends Conversion {
  /** The day asked for; `rateDate` is the day whose rates were used. */
  valueDate: string;
  /** True when `rateDate` is earlier than `valueDate` (a weekend, a holiday). */
  fellBack: boolean;
  /** Calendar days from `rateDate` to `valueDate` (0 when no fallback). */
  carriedForwardDays: number;
}

export async function convert(
  database: Database,
  actor: Actor,
  input: ConvertInput,
): Promise<ConvertResult> {
  authorize(actor, 'fx.read');
  if (typeof input.amountMinor !== 'bigint') {
    throw new DomainError('AMOUNT_INVALID', 'amountMinor: an integer count of minor units.', {
      field: 'amountMinor',
    });
  }
  if (!isIsoDate(input.valueDate)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `valueDate: ${JSON.stringify(input.valueDate)} is not a date written YYYY-MM-DD.`,
      { field: 'valueDate' },
    );
  }
  assertCurrencyCodeSyntax(input.from, 'from');
  assertCurrencyCodeSyntax(input.to, 'to');
  const db = database.kysely;
  const known = currencyMap(
    (await Promise.all([findCurrency(db, input.from), findCurrency(db, input.to)])).filter(
      (c): c is Currency => c !== undefined,
    ),
  );
  const from = getCurrency(known, input.from, 'from');
  const to = getCurrency(known, input.to, 'to');

  const notBefore = addDays(input.valueDate, -LIMITS.fxCarryForwardDaysMax);
  const pair = await findFxRatePair(db, {
    from: from.code,
    to: to.code,
    onOrBefore: input.valueDate,
    notBefore,
  });
  if (!pair) throw await rateUnavailable(database, from.code, to.code, input.valueDate, notBefore);

  const sources = [
    ...new Set(
      [
        from.code === BASE_CURRENCY ? undefined : pair.fromSource,
        to.code === BASE_CURRENCY ? undefined : pair.toSource,
      ].filter((s): s is string => s !== undefined),
    ),
  ];
  const conversion = convertAmount({
    amountMinor: input.amountMinor,
    from: { code: from.code, minorUnit: from.minorUnit },
    to: { code: to.code, minorUnit: to.minorUnit },
    fromRatePerEur: pair.fromRatePerEur,
    toRatePerEur: pair.toRatePerEur,
    rateDate: pair.rateDate,
    source: sources.length > 0 ? sources.join('; ') : EUR_BASE_SOURCE,
  });
  const carriedForwardDays = daysBetween(pair.rateDate, input.valueDate);
  assert(
    carriedForwardDays >= 0 && carriedForwardDays <= LIMITS.fxCarryForwardDaysMax,
    'the rate date is within the carry-forward window',
  );
  return {
    ...conversion,
    valueDate: input.valueDate,
    fellBack: carriedForwardDays > 0,
    carriedForwardDays,
  };
}

/** Names the currency (or the pair) without a usable rate, and its latest earlier rate date. */
async function rateUnavailable(
  database: Database,
  from: string,
  to: string,
  valueDate: string,
  notBefore: string,
): Promise<DomainError> {
  const window = `on ${valueDate} or up to ${LIMITS.fxCarryForwardDaysMax} days before`;
  for (const [field, code] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (code === BASE_CURRENCY) continue;
    if (await findLatestFxRate(database.kysely, code, valueDate, notBefore)) continue;
    const latest = await findLatestFxRate(database.kysely, code, valueDate);
    return new DomainError(
      'FX_RATE_UNAVAILABLE',
      `No ${code} rate ${window}` +
        (latest
          ? ` (the latest earlier ${code} rate is of ${latest.rateDate}).`
          : ` (there is no ${code} rate on or before ${valueDate}).`),
      {
        field,
        currency: code,
        valueDate,
        carryForwardDaysMax: LIMITS.fxCarryForwardDaysMax,
        latestRateDate: latest?.rateDate ?? null,
      },
    );
  }
  return new DomainError(
    'FX_RATE_UNAVAILABLE',
    `${from} and ${to} have no rate on a common day ${window}.`,
    {
      currency: `${from}/${to}`,
      valueDate,
      carryForwardDaysMax: LIMITS.fxCarryForwardDaysMax,
    },
  );
}
