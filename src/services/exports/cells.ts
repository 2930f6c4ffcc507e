/**
 * What the CSV and XLSX writers share: the streamed form of an `ExportTable`, and the one
 * reading of a cell by its column's kind. Both writers render the same `Cell`, so a value is
 * never written one way in CSV and another in XLSX.
 *
 * Rules:
 * - Money is bigint minor units; its text is `formatAmount` with the currency's ISO 4217
 *   exponent (`"1234.50"` USD, `"1234"` JPY) — never a JS number. A string in a money column
 *   (the redaction marker) is text.
 * - Decimals and percentages arrive as exact decimal text ("12.35"); anything else is text.
 * - A text cell starting with =, +, -, @, tab or CR could be read as a formula by a spreadsheet
 *   (OWASP "CSV injection"): CSV prefixes it with a single quote, XLSX writes it as a plain
 *   string cell (no formula element); see `csvText`.
 * - Rows come as an array or any (async) iterable, so a large list is written as it is read;
 *   `limitRows` enforces `LIMITS.exportRowsMax`.
 * - Meta values are one line each (line breaks become spaces), so a CSV reader skipping `#`
 *   comment lines skips the whole block.
 */
import type { ExportCell, ExportColumn, ExportTable } from '../../core/export-table.js';
import { DomainError, assert } from '../../core/errors.js';
import { isIsoDate } from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import { formatAmount, tryParseDecimal } from '../../core/money.js';

export type ExportRow = Record<string, ExportCell>;
export type ExportRows = Iterable<ExportRow> | AsyncIterable<ExportRow>;

/** An `ExportTable` whose rows may be streamed: what the writers take. */
export interface ExportSource extends Omit<ExportTable, 'rows'> {
  rows: ExportRows;
}

/** Minor-unit exponents by ISO 4217 code (`USD` → 2), read from the `currency` table. */
export type MinorUnits = ReadonlyMap<string, number>;

/** What a written file reports. */
export interface WriteResult {
  rows: number;
  bytes: number;
}

/** Called as rows are written (progress bars). */
export type RowProgress = (rowsWritten: number) => void;

/** A cell as both writers understand it. */
export type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'money'; amountMinor: bigint; currency: string; exponent: number; text: string }
  | { kind: 'integer'; value: bigint; text: string }
  | { kind: 'decimal' | 'percent'; mantissa: bigint; scale: number; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'datetime'; value: Date; text: string }
  | { kind: 'boolean'; value: boolean; text: string };

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function startsLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** CSV text that a spreadsheet shows as typed, never evaluates: a leading `'` when needed. */
export function csvText(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

/** A meta label or value on one line. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Reads a cell of `row` by `column`'s kind. Throws on a value its kind cannot hold (a bug). */
export function readCell(column: ExportColumn, row: ExportRow, minorUnits: MinorUnits): Cell {
  const value = row[column.key];
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  switch (column.kind) {
    case 'text':
      return text(value);
    case 'money':
      return typeof value === 'bigint' ? money(column, row, value, minorUnits) : text(value);
    case 'integer':
      return integer(value);
    case 'decimal':
    case 'percent':
      return decimal(column.kind, value);
    case 'date':
      return date(value);
    case 'boolean':
      return typeof value === 'boolean'
        ? { kind: 'boolean', value, text: value ? 'true' : 'false' }
        : text(value);
  }
}

function text(value: ExportCell): Cell {
  return { kind: 'text', text: String(value) };
}

function money(column: ExportColumn, row: ExportRow, amountMinor: bigint, minorUnits: MinorUnits) {
  const code = column.currency ?? (column.currencyKey ? row[column.currencyKey] : undefined);
  assert(
    typeof code === 'string',
    `export column ${column.key}: a money column needs a currency or a currency column`,
  );
  const exponent = minorUnits.get(code);
  if (exponent === undefined) {
    throw new DomainError('CURRENCY_UNKNOWN', `${code} is not a currency known to the ledger.`, {
      field: column.key,
      value: code,
    });
  }
  return {
    kind: 'money' as const,
    amountMinor,
    currency: code,
    exponent,
    text: formatAmount(amountMinor, exponent),
  };
}

function integer(value: ExportCell): Cell {
  if (typeof value === 'bigint') return { kind: 'integer', value, text: value.toString() };
  if (typeof value === 'number' && Number.isSafeInteger(value))
    return { kind: 'integer', value: BigInt(value), text: String(value) };
  return text(value);
}

function decimal(kind: 'decimal' | 'percent', value: ExportCell): Cell {
  const spelled =
    typeof value === 'string'
      ? value
      : typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))
        ? String(value)
        : undefined;
  const parsed = spelled === undefined ? undefined : tryParseDecimal(spelled);
  if (!parsed || spelled === undefined) return text(value);
  return { kind, mantissa: parsed.mantissa, scale: parsed.scale, text: spelled };
}

/** A UTC timestamp as `Date.toISOString` writes it. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** `YYYY-MM-DD` is a date; a UTC ISO timestamp (`Date.toISOString()`) a date and time. */
function date(value: ExportCell): Cell {
  if (isIsoDate(value)) return { kind: 'date', text: value };
  if (typeof value === 'string' && ISO_TIMESTAMP.test(value)) {
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return { kind: 'datetime', value: parsed, text: value };
  }
  return text(value);
}

/**
 * The rows, counted: throws `LIMIT_EXCEEDED` (limit `exportRowsMax`) at the first row beyond
 * the limit, before it is written.
 */
export async function* limitRows(
  rows: ExportRows,
  max: number = LIMITS.exportRowsMax,
): AsyncGenerator<ExportRow> {
  let count = 0;
  for await (const row of rows) {
    count++;
    if (count > max) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `An export holds at most ${max} rows: narrow it with a filter (status, cycle, donor, dates).`,
        { limit: 'exportRowsMax', max },
      );
    }
    yield row;
  }
}
