/**
 * Reads a contributions file into a header and rows of text cells, whatever its format, so one
 * validator serves both: CSV (csv-parse; `line` is the file line) or XLSX (exceljs, the first
 * worksheet; `line` is the sheet row). The format is chosen by the file's extension.
 *
 * XLSX cells are turned into the text a person typed: numbers exactly as their shortest
 * round-trip spelling (`1234.5`), refused beyond 15 significant digits (a spreadsheet cannot hold
 * them exactly — type such an amount as text); dates as `YYYY-MM-DD` (a date with a time of day
 * is refused); formulas by their cached result; rich text and hyperlinks by their text. A cell
 * that cannot be read is reported against its row and column, not guessed at.
 */
import { extname } from 'node:path';
import { unzipSync } from 'fflate';
import { DomainError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import { readCsvTable, type CsvRow } from './csv-table.js';
import { checkRowCount, importText, type ImportFile } from './import-file.js';

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow extends CsvRow {
  /** Cells that could not be read as text, by column position, with why. */
  unreadable?: Map<number, string>;
}

export interface Sheet {
  format: SheetFormat;
  header: SheetRow;
  rows: SheetRow[];
}

/** The format named by the file's extension (`.csv`, `.xlsx`), or `VALIDATION_FAILED`. */
export function sheetFormat(fileName: string): SheetFormat {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  throw new DomainError(
    'VALIDATION_FAILED',
    `file: ${fileName} is neither .csv nor .xlsx; save the contributions as CSV (UTF-8) or Excel workbook.`,
    { field: 'file' },
  );
}

export async function readSheet(file: ImportFile): Promise<Sheet> {
  const format = sheetFormat(file.fileName);
  if (format === 'csv') return { format, ...readCsvTable(importText(file), file.fileName) };
  return { format, ...(await readXlsx(file)) };
}

/**
 * Refuses a workbook whose parts declare more than `xlsxUncompressedBytesMax` uncompressed
 * (read from the zip's directory; nothing is inflated). A part that inflates beyond what it
 * declares fails in the reader's own size check.
 */
function checkXlsxSize(file: ImportFile): void {
  let declared = 0;
  try {
    unzipSync(file.bytes, {
      filter: (entry) => {
        declared += entry.originalSize;
        return false;
      },
    });
  } catch {
    return; // not a zip: the reader reports it as IMPORT_MALFORMED
  }
  if (declared > LIMITS.xlsxUncompressedBytesMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `file: ${file.fileName} unpacks to ${declared} bytes; a workbook may unpack to at most ${LIMITS.xlsxUncompressedBytesMax}. Save it as CSV, or split it.`,
      {
        field: 'file',
        limit: 'xlsxUncompressedBytesMax',
        max: LIMITS.xlsxUncompressedBytesMax,
        actual: declared,
      },
    );
  }
}

async function readXlsx(file: ImportFile): Promise<{ header: SheetRow; rows: SheetRow[] }> {
  checkXlsxSize(file);
  // Loaded on first use (see xlsx-writer.ts).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own `Buffer` (an ArrayBuffer); it reads a Node Buffer.
    await workbook.xlsx.load(
      Buffer.from(file.bytes) as unknown as Parameters<typeof workbook.xlsx.load>[0],
    );
  } catch (error) {
    throw new DomainError(
      'IMPORT_MALFORMED',
      `${file.fileName} is not a readable Excel workbook (${error instanceof Error ? error.message : String(error)}).`,
      { field: 'file', line: 0 },
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) {
    throw new DomainError('IMPORT_MALFORMED', `${file.fileName} has no worksheet.`, {
      field: 'file',
      line: 0,
    });
  }
  const rows: SheetRow[] = [];
  checkRowCount(sheet.actualRowCount - 1, file.fileName);
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as unknown[]; // 1-based: values[0] is empty
    const cells: string[] = [];
    const unreadable = new Map<number, string>();
    for (let column = 1; column < values.length; column++) {
      const read = cellText(values[column]);
      if (typeof read === 'string') cells.push(read);
      else {
        cells.push('');
        unreadable.set(column - 1, read.problem);
      }
    }
    while (cells.length > 0 && cells.at(-1) === '' && !unreadable.has(cells.length - 1))
      cells.pop();
    if (cells.length === 0 && unreadable.size === 0) return;
    rows.push({ line: rowNumber, cells, ...(unreadable.size > 0 ? { unreadable } : {}) });
  });
  const [header, ...data] = rows;
  if (!header) {
    throw new DomainError('IMPORT_MALFORMED', `${file.fileName}: the first worksheet is empty.`, {
      field: 'file',
      line: 1,
    });
  }
  checkRowCount(data.length, file.fileName);
  return { header, rows: data };
}

/** Significant digits a double holds exactly (IEEE 754 binary64 guarantees 15). */
const EXACT_DIGITS_MAX = 15;

/** The text of one cell's value, or why it cannot be read. */
export function cellText(value: unknown): string | { problem: string } {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return numberText(value);
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text?: unknown }[])
        .map((p) => String(p.text ?? ''))
        .join('')
        .trim();
    if ('error' in v) return { problem: `the cell holds the error ${String(v.error)}` };
    if ('formula' in v || 'sharedFormula' in v) {
      if (v.result === undefined) return { problem: 'a formula without a computed value' };
      return cellText(v.result);
    }
    if ('text' in v) return cellText(v.text);
  }
  return { problem: 'a cell of a kind that is not text, a number or a date' };
}

function numberText(n: number): string | { problem: string } {
  if (!Number.isFinite(n)) return { problem: 'not a finite number' };
  // The shortest spelling that reads back as the same double: what the cell's XML holds when
  // a person typed a decimal with at most 15 significant digits.
  const spelled = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(spelled);
  if (!match) return { problem: `the number ${spelled} cannot be read exactly` };
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = (whole + fraction).replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > EXACT_DIGITS_MAX) {
    return {
      problem: `the number ${spelled} has more than ${EXACT_DIGITS_MAX} significant digits, which a spreadsheet number cannot hold exactly; type it as text`,
    };
  }
  const exponent = Number(exponentText);
  if (exponent === 0) return spelled;
  const scale = fraction.length - exponent;
  const all = whole + fraction;
  if (scale <= 0) return sign + all + '0'.repeat(-scale);
  const padded = all.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

function dateText(date: Date): string | { problem: string } {
  if (Number.isNaN(date.getTime())) return { problem: 'an invalid date' };
  if (
    date.getUTCHours() +
    date.getUTCMinutes() +
    date.getUTCSeconds() +
    date.getUTCMilliseconds()
  ) {
    return { problem: 'a date with a time of day; enter the day only' };
  }
  return date.toISOString().slice(0, 10);
}
