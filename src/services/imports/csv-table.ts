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
import { checkRowCount } from './import-file.js';

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
