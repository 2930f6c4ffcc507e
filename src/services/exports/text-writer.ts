/**
 * A dataset as a plain-text table for a terminal (`purl show`): the title, the meta block
 * (currency, rate mode, rate date, generated at…), then aligned columns — numbers, money and
 * percentages right-aligned, money as exact decimals with its currency. Column widths are taken
 * from the header and the first `TEXT_WIDTH_SAMPLE_ROWS` rows, then rows stream; a cell wider
 * than `TEXT_CELL_MAX_CHARS` is cut with an ellipsis. Formulas mean nothing here: text is
 * written as it is, on one line — but never a control character from the data: a terminal would
 * obey an escape sequence (clear the screen, retitle the window, hide the rest of a line) and a
 * bidirectional override would reorder what follows it, so a tab becomes a space and every other
 * C0/C1 control or bidi override or isolate a visible U+FFFD (`terminalText`).
 */
import type { Writable } from 'node:stream';
import type { ExportColumn } from '../../core/export-table.js';
import { limitRows, oneLine, readCell, type ExportSource, type WriteResult } from './cells.js';
import type { WriteOptions } from './csv-writer.js';

/** Rows read before the column widths are fixed. */
export const TEXT_WIDTH_SAMPLE_ROWS = 500;
/** Characters of one cell at most. */
export const TEXT_CELL_MAX_CHARS = 48;

const RIGHT_ALIGNED = new Set<ExportColumn['kind']>(['money', 'integer', 'decimal', 'percent']);

export async function writeText(
  source: ExportSource,
  out: Writable,
  options: WriteOptions,
): Promise<WriteResult> {
  let bytes = 0;
  const write = (line: string): Promise<void> => {
    bytes += Buffer.byteLength(line, 'utf8');
    return new Promise((resolve, reject) =>
      out.write(line, (error) => (error ? reject(error) : resolve())),
    );
  };
  const { columns } = source;
  const cellText = (column: ExportColumn, row: Record<string, unknown>): string => {
    const cell = readCell(column, row as never, options.minorUnits);
    let text = cell.kind === 'empty' ? '' : terminalText(cell.text);
    if (cell.kind === 'money') text = `${grouped(text)} ${cell.currency}`;
    if (cell.kind === 'percent') text = `${text} %`;
    return text.length > TEXT_CELL_MAX_CHARS ? `${text.slice(0, TEXT_CELL_MAX_CHARS - 1)}…` : text;
  };
  const line = (cells: string[], widths: number[]): string =>
    cells
      .map((text, i) => {
        const width = widths[i] ?? text.length;
        return RIGHT_ALIGNED.has(columns[i]!.kind) ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd() + '\n';

  await write(`${terminalText(source.title)}\n`);
  for (const [label, value] of source.meta) {
    await write(`  ${terminalText(label)}: ${terminalText(value)}\n`);
  }
  await write('\n');

  const header = columns.map((c) => terminalText(c.label));
  const widths = header.map((h) => h.length);
  const sample: string[][] = [];
  let rows = 0;
  let flushed = false;
  const flushSample = async () => {
    await write(line(header, widths));
    await write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
    for (const cells of sample) await write(line(cells, widths));
    flushed = true;
  };
  for await (const row of limitRows(source.rows, options.maxRows)) {
    const cells = columns.map((c) => cellText(c, row));
    rows++;
    if (!flushed) {
      cells.forEach((text, i) => (widths[i] = Math.max(widths[i] ?? 0, text.length)));
      sample.push(cells);
      if (sample.length >= TEXT_WIDTH_SAMPLE_ROWS) await flushSample();
    } else {
      await write(line(cells, widths));
    }
    if (rows % 10_000 === 0) options.onProgress?.(rows);
  }
  if (!flushed) await flushSample();
  await write(`\n${rows} ${rows === 1 ? 'row' : 'rows'}\n`);
  options.onProgress?.(rows);
  return { rows, bytes };
}

/** C0 and C1 controls (line breaks are gone by then), bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- the characters a terminal must not receive
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text on one line that a terminal shows as characters and never obeys. */
export function terminalText(text: string): string {
  return oneLine(text).replace(/\t/g, ' ').replace(TERMINAL_UNSAFE, '\uFFFD');
}

/** `-1234567.89` → `-1,234,567.89`: thousands separated for reading; the digits unchanged. */
export function grouped(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`;
}
