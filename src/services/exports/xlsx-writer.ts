/**
 * Writes an export as XLSX with exceljs's streaming `WorkbookWriter`: each row is committed to
 * the zip as it comes, so a long list is never held in memory whole. One sheet:
 *
 *     row 1            the title, bold
 *     rows 2…m+1       the meta block: label (bold) | value
 *     row m+2          blank
 *     row m+3          the header: bold, frozen (stays in view), with an autofilter
 *     rows m+4…        the data
 *
 * Cells are typed: money is a number with a currency number format (`#,##0.00 "EUR"`, decimals
 * from the currency's exponent) — but only when the number is exact, i.e. at most 15
 * significant digits (Excel keeps 15; a JS number is exact to 2^53 ≈ 9.007e15): a larger
 * amount is written as its exact decimal text, right-aligned, never rounded. Percentages are
 * numbers with a `0.00%` format, decimals as numbers, dates as real dates (`yyyy-mm-dd`),
 * booleans as booleans. Text is always a plain string cell — never a formula, whatever it
 * starts with (line breaks as LF, the one XML keeps). Column widths come from the header and the first `WIDTH_SAMPLE_ROWS` rows.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportColumn } from '../../core/export-table.js';
import {
  limitRows,
  oneLine,
  readCell,
  type Cell,
  type ExportRow,
  type ExportSource,
  type WriteResult,
} from './cells.js';
import { PROGRESS_EVERY_ROWS, byteCounter, type WriteOptions } from './csv-writer.js';

/** Rows read ahead to size the columns. */
export const WIDTH_SAMPLE_ROWS = 200;
/** Significant digits Excel keeps: a number with more is written as exact text instead. */
export const EXCEL_EXACT_DIGITS = 15;
const WIDTH_MIN = 8;
const WIDTH_MAX = 60;

type CellValue = string | number | boolean | Date | null;

interface XlsxCell {
  value: CellValue;
  numFmt?: string;
  alignRight?: boolean;
}

function zeros(scale: number): string {
  return scale > 0 ? `.${'0'.repeat(scale)}` : '';
}

/** A decimal `mantissa × 10^-scale` as a number, when that number shows it exactly. */
function exactNumber(mantissa: bigint, scale: number): number | undefined {
  const digits = (mantissa < 0n ? -mantissa : mantissa).toString().length;
  if (digits > EXCEL_EXACT_DIGITS) return undefined;
  // Parsing the decimal spelling gives the nearest double to the exact value.
  return Number(`${mantissa}e-${scale}`);
}

function xlsxCell(cell: Cell): XlsxCell {
  switch (cell.kind) {
    case 'empty':
      return { value: null };
    case 'text':
      // XML turns a bare CR into LF when read: write the line break Excel uses, LF.
      return { value: cell.text.replace(/\r\n?/g, '\n') };
    case 'money': {
      const value = exactNumber(cell.amountMinor, cell.exponent);
      return value === undefined
        ? { value: cell.text, alignRight: true }
        : { value, numFmt: `#,##0${zeros(cell.exponent)} "${cell.currency}"` };
    }
    case 'integer': {
      const value = exactNumber(cell.value, 0);
      return value === undefined ? { value: cell.text, alignRight: true } : { value, numFmt: '0' };
    }
    case 'decimal': {
      const value = exactNumber(cell.mantissa, cell.scale);
      return value === undefined
        ? { value: cell.text, alignRight: true }
        : { value, numFmt: `0${zeros(cell.scale)}` };
    }
    case 'percent': {
      const value = exactNumber(cell.mantissa, cell.scale + 2);
      return value === undefined
        ? { value: `${cell.text} %`, alignRight: true }
        : { value, numFmt: `0${zeros(cell.scale)}%` };
    }
    case 'date': {
      const [y, m, d] = cell.text.split('-').map(Number) as [number, number, number];
      return { value: new Date(Date.UTC(y, m - 1, d)), numFmt: 'yyyy-mm-dd' };
    }
    case 'datetime':
      return { value: cell.value, numFmt: 'yyyy-mm-dd hh:mm:ss' };
    case 'boolean':
      return { value: cell.value };
  }
}

/** Characters a cell takes on screen, roughly (money gains separators and its code). */
function displayWidth(cell: Cell): number {
  switch (cell.kind) {
    case 'empty':
      return 0;
    case 'money':
      return Math.ceil((cell.text.length * 4) / 3) + 5;
    case 'datetime':
      return 19;
    default:
      return Math.max(...cell.text.split('\n').map((line) => line.length));
  }
}

function columnWidths(
  columns: readonly ExportColumn[],
  sample: readonly ExportRow[],
  options: WriteOptions,
  firstColumnAtLeast: number,
): number[] {
  return columns.map((column, index) => {
    let width = column.label.length + 2;
    for (const row of sample)
      width = Math.max(width, displayWidth(readCell(column, row, options.minorUnits)) + 1);
    if (index === 0) width = Math.max(width, firstColumnAtLeast);
    return Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, width));
  });
}

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(title: string): string {
  return title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Export';
}

/** Writes `source` to `out` as XLSX and ends `out`. */
export async function writeXlsx(
  source: ExportSource,
  out: Writable,
  options: WriteOptions,
): Promise<WriteResult> {
  const counter = byteCounter();
  const delivered = pipeline(counter, out);
  try {
    const rows = await writeWorkbook(source, counter, options);
    await delivered;
    options.onProgress?.(rows);
    return { rows, bytes: counter.bytes() };
  } catch (error) {
    // A failure half-way (a limit, a lost database) must not end as a file that looks whole.
    counter.destroy(error as Error);
    await delivered.catch(() => undefined);
    throw error;
  }
}

async function writeWorkbook(
  source: ExportSource,
  counter: ReturnType<typeof byteCounter>,
  options: WriteOptions,
): Promise<number> {
  // Loaded on first use: exceljs costs ≈ 0.8 s and ≈ 30 MB at start-up otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: counter,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'PURL Ledger';
  const headerRow = source.meta.length + 3;
  const sheet = workbook.addWorksheet(sheetName(source.title), {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
  });

  const rowsIn = limitRows(source.rows, options.maxRows)[Symbol.asyncIterator]();
  const sample: ExportRow[] = [];
  while (sample.length < WIDTH_SAMPLE_ROWS) {
    const next = await rowsIn.next();
    if (next.done) break;
    sample.push(next.value);
  }
  const labelWidth = Math.max(0, ...source.meta.map(([label]) => label.length + 2));
  sheet.columns = columnWidths(source.columns, sample, options, labelWidth).map((width) => ({
    width,
  }));

  const title = sheet.addRow([oneLine(source.title)]);
  title.font = { bold: true, size: 13 };
  title.commit();
  for (const [label, value] of source.meta) {
    const row = sheet.addRow([oneLine(label), oneLine(value)]);
    row.getCell(1).font = { bold: true };
    row.commit();
  }
  sheet.addRow([]).commit();
  const header = sheet.addRow(source.columns.map((column) => column.label));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  let rows = 0;
  const writeRow = async (data: ExportRow) => {
    const cells = source.columns.map((column) =>
      xlsxCell(readCell(column, data, options.minorUnits)),
    );
    const row = sheet.addRow(cells.map((cell) => cell.value));
    cells.forEach((cell, index) => {
      if (cell.numFmt === undefined && !cell.alignRight) return;
      const target = row.getCell(index + 1);
      if (cell.numFmt !== undefined) target.numFmt = cell.numFmt;
      if (cell.alignRight) target.alignment = { horizontal: 'right' };
    });
    row.commit();
    rows++;
    if (rows % PROGRESS_EVERY_ROWS === 0) {
      options.onProgress?.(rows);
      // Let the zip compress what is written, and wait while the reader is slower than us.
      await new Promise((resolve) => setImmediate(resolve));
      if (counter.writableNeedDrain) await once(counter, 'drain');
    }
  };
  for (const row of sample) await writeRow(row);
  for (;;) {
    const next = await rowsIn.next();
    if (next.done) break;
    await writeRow(next.value);
  }

  sheet.autoFilter = {
    from: { row: headerRow, column: 1 },
    to: { row: headerRow + rows, column: Math.max(1, source.columns.length) },
  };
  sheet.commit();
  await workbook.commit();
  return rows;
}
