/**
 * Reads CSV text into a header and rows of trimmed text cells, each row with the file line it
 * starts on (the header's line is 1 when the file starts with it). Parsing is csv-parse's
 * (RFC 4180: quoted cells may hold commas, quotes and line breaks). Blank lines are skipped but
 * still counted. Rows may have any number of cells: each import decides what a wrong count
 * means. A quoting error is `IMPORT_MALFORMED` naming its line; more than
 * `LIMITS.importRowsMax` data rows is `LIMIT_EXCEEDED`.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from '../../core/errors.js';
import { checkRowCount, clip } from './import-file.js';

export interface CsvRow {
  /** The file line the row starts on (1-based). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: CsvRow;
  rows: CsvRow[];
}

export function readCsvTable(text: string, fileName: string): CsvTable {
  const startLines: number[] = [];
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (cells, context) => {
        // `lines` is where the record ends; a quoted cell may span lines.
        startLines.push(context.lines - cells.reduce((n, cell) => n + countLineBreaks(cell), 0));
        return cells;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 0;
      throw new DomainError(
        'IMPORT_MALFORMED',
        `${fileName} line ${line}: not valid CSV (${error.message}).`,
        { field: 'file', line },
      );
    }
    throw error;
  }
  const [header, ...rows] = records.map((cells, i) => ({ line: startLines[i]!, cells }));
  if (!header) {
    throw new DomainError('IMPORT_MALFORMED', `${fileName} is empty: it needs a header row.`, {
      field: 'file',
      line: 1,
    });
  }
  checkRowCount(rows.length, fileName);
  return { header, rows };
}

function countLineBreaks(cell: string): number {
  let count = 0;
  for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Maps the header's column names (case-insensitive, surrounding spaces ignored) to their
 * positions. Every `required` column must be present; a column neither required nor `optional`
 * — usually a misspelling — or one named twice is `IMPORT_MALFORMED` on line 1.
 */
export function columnIndex<const C extends string>(
  header: CsvRow,
  fileName: string,
  required: readonly C[],
  optional: readonly C[] = [],
): Record<C, number | undefined> {
  const known = new Set<string>([...required, ...optional]);
  const positions: Partial<Record<C, number>> = {};
  const malformed = (field: string, message: string) =>
    new DomainError('IMPORT_MALFORMED', `${fileName} line ${header.line}: ${message}`, {
      field,
      line: header.line,
    });
  header.cells.forEach((cell, index) => {
    const name = cell.trim().toLowerCase();
    if (!known.has(name)) {
      throw malformed(
        `column ${index + 1}`,
        `unknown column "${cell}"; the columns are ${[...known].join(', ')}.`,
      );
    }
    if (positions[name as C] !== undefined)
      throw malformed(name, `the column "${name}" appears twice.`);
    positions[name as C] = index;
  });
  const missing = required.filter((c) => positions[c] === undefined);
  if (missing.length > 0) {
    throw malformed(
      missing[0]!,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    );
  }
  return positions as Record<C, number | undefined>;
}

/** An `IMPORT_MALFORMED` error of a file's row: names its line and field (a cell clipped). */
export type MalformedRow = (line: number, field: string, message: string, value?: string) => never;

/** A row of a strict file, its cells looked up by column name. */
export interface StrictRow<C extends string> {
  line: number;
  cell: (column: C) => string;
  /** Throws `IMPORT_MALFORMED` naming this file, the line and the field. */
  malformed: MalformedRow;
}

/**
 * Walks a strict CSV file (World Bank, Kiel): the header must name exactly `columns` (any
 * order, any case); at least one row; every row as many fields as the header. `check` reads each
 * row (and throws through `row.malformed` at the first problem); `onProgress` is told about
 * twenty times. The first problem stops the walk: nothing is written by a caller that checks the
 * whole file before it writes.
 */
export function walkStrictCsv<const C extends string, T>(
  text: string,
  fileName: string,
  columns: readonly C[],
  check: (row: StrictRow<C>) => T,
  onProgress?: (rowsDone: number, rowsTotal: number) => void,
): T[] {
  const table = readCsvTable(text, fileName);
  const at = columnIndex(table.header, fileName, columns);
  const malformed: MalformedRow = (line, field, message, value) => {
    throw new DomainError('IMPORT_MALFORMED', `${fileName} line ${line}: ${message}`, {
      line,
      field,
      ...(value === undefined ? {} : { value: clip(value) }),
    });
  };
  if (table.rows.length === 0)
    malformed(table.header.line + 1, 'file', 'the file has a header but no rows.');
  const width = table.header.cells.length;
  const every = Math.max(1, Math.ceil(table.rows.length / 20));
  return table.rows.map(({ line, cells }, index) => {
    if (cells.length !== width)
      malformed(line, 'row', `expected ${width} fields as in the header, found ${cells.length}.`);
    const result = check({ line, cell: (c) => cells[at[c]!]!, malformed });
    if ((index + 1) % every === 0 || index + 1 === table.rows.length)
      onProgress?.(index + 1, table.rows.length);
    return result;
  });
}
