/**
 * Writes an export as CSV (csv-stringify, streamed): UTF-8 with a byte order mark so Excel reads
 * accents, CRLF line ends (RFC 4180), then
 *
 *     # <title>
 *     # Currency,USD                 ← the meta block: one `# label,value` record per line
 *     # Rate mode,value_date
 *     …
 *                                    ← a blank line
 *     header,…                       ← the column labels
 *     row,…
 *
 * A CSV reader told that `#` starts a comment (csv-parse `comment: '#'`, pandas `comment='#'`)
 * reads just the table. Money is exact decimal text in its currency's minor unit; a text cell
 * that a spreadsheet could take for a formula gets a leading `'` (see cells.ts), and one holding
 * `;` is quoted, so a spreadsheet splitting on `;` keeps it whole.
 */
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import {
  csvText,
  limitRows,
  oneLine,
  readCell,
  type Cell,
  type ExportSource,
  type MinorUnits,
  type RowProgress,
  type WriteResult,
} from './cells.js';

export interface WriteOptions {
  minorUnits: MinorUnits;
  /** Called every `PROGRESS_EVERY_ROWS` rows and once at the end. */
  onProgress?: RowProgress | undefined;
  /** Default `LIMITS.exportRowsMax`. */
  maxRows?: number | undefined;
}

/** Rows between two progress calls. */
export const PROGRESS_EVERY_ROWS = 1_000;

/** The text of a cell in CSV. */
function csvCell(cell: Cell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return csvText(cell.text);
    default:
      return cell.text;
  }
}

/** A pass-through that counts the bytes going through it. */
export function byteCounter(): Transform & { bytes: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.assign(counter, { bytes: () => bytes });
}

/** Writes `source` to `out` as CSV and ends `out`. */
export async function writeCsv(
  source: ExportSource,
  out: Writable,
  options: WriteOptions,
): Promise<WriteResult> {
  let rows = 0;
  const { columns } = source;
  async function* records(): AsyncGenerator<string[]> {
    yield [`# ${oneLine(source.title)}`];
    for (const [label, value] of source.meta)
      yield [`# ${oneLine(label)}`, csvText(oneLine(value))];
    yield [];
    yield columns.map((column) => csvText(column.label));
    for await (const row of limitRows(source.rows, options.maxRows)) {
      yield columns.map((column) => csvCell(readCell(column, row, options.minorUnits)));
      rows++;
      if (rows % PROGRESS_EVERY_ROWS === 0) options.onProgress?.(rows);
    }
  }
  const counter = byteCounter();
  await pipeline(
    Readable.from(records()),
    // A cell holding `;` is quoted: a spreadsheet set to split on `;` (French and other
    // European settings) would otherwise cut it, and the part after could start a formula.
    stringify({ bom: true, record_delimiter: 'windows', quoted_match: /;/ }),
    counter,
    out,
  );
  options.onProgress?.(rows);
  return { rows, bytes: counter.bytes() };
}
