/**
 * The CSV and XLSX writers on a table built here (no database): each file is read back (the CSV
 * with csv-parse, the XLSX with exceljs) and must hold the meta block, every row, money exactly
 * (USD, JPY, KWD, negatives, an amount beyond Excel's 15 digits), typed cells, and no formula —
 * whatever a text starts with. Rows may come as an async iterable; the row limit is enforced.
 */
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import type { ExportSource, ExportRow } from '../../src/services/exports/cells.js';
import { writeCsv } from '../../src/services/exports/csv-writer.js';
import { writeXlsx } from '../../src/services/exports/xlsx-writer.js';

const MINOR_UNITS = new Map([
  ['USD', 2],
  ['EUR', 2],
  ['JPY', 0],
  ['KWD', 3],
]);

const INJECTIONS = [
  '=HYPERLINK("http://x","y")',
  '+1+2',
  '-3+4',
  '@SUM(A1:A2)',
  '\tleading tab',
  '\rleading carriage return',
];

/** 12 345 678 901 234 567 cents: 17 digits, beyond Excel's 15 and JS's 2^53. */
const HUGE_MINOR = 12_345_678_901_234_567n;

const ROWS: ExportRow[] = [
  {
    name: 'Pays-Bas — contribution',
    currency: 'EUR',
    amount: 100_000_000n,
    usd: 115_780_000n,
    share: '12.35',
    ratio: '0.0001',
    day: '2025-08-04',
    at: '2025-08-04T10:11:12.000Z',
    paid: true,
    count: 3,
  },
  {
    name: 'Japan',
    currency: 'JPY',
    amount: 1_500_000n,
    usd: -5n,
    share: '0.00',
    ratio: '3',
    day: null,
    at: null,
    paid: false,
    count: 0n,
  },
  {
    name: 'Kuwait',
    currency: 'KWD',
    amount: 1_234_567n,
    usd: HUGE_MINOR,
    share: null,
    ratio: null,
    day: '2026-01-31',
    at: null,
    paid: null,
    count: null,
  },
  ...INJECTIONS.map((text, i) => ({
    name: text,
    currency: 'USD',
    amount: BigInt(i + 1),
    usd: 0n,
    share: '[redacted]',
    ratio: null,
    day: null,
    at: null,
    paid: null,
    count: i,
  })),
];

function source(rows: ExportSource['rows'] = ROWS): ExportSource {
  return {
    name: 'test',
    title: 'Test table',
    meta: [
      ['Currency', 'USD'],
      ['Rate mode', 'value_date'],
      ['Generated at', '2026-11-28T09:00:00.000Z'],
      ['Filters', '=cmd|" /C calc"!A0'],
    ],
    columns: [
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'currency', label: 'Currency', kind: 'text' },
      { key: 'amount', label: 'Amount', kind: 'money', currencyKey: 'currency' },
      { key: 'usd', label: 'In USD', kind: 'money', currency: 'USD' },
      { key: 'share', label: 'Share', kind: 'percent' },
      { key: 'ratio', label: 'Ratio', kind: 'decimal' },
      { key: 'day', label: 'Day', kind: 'date' },
      { key: 'at', label: 'At', kind: 'date' },
      { key: 'paid', label: 'Paid', kind: 'boolean' },
      { key: 'count', label: 'Count', kind: 'integer' },
    ],
    rows,
  };
}

async function collect(
  write: (out: PassThrough) => Promise<{ rows: number; bytes: number }>,
): Promise<{ buffer: Buffer; rows: number; bytes: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await write(out);
  return { buffer: Buffer.concat(chunks), ...result };
}

async function* slowly(rows: readonly ExportRow[]): AsyncGenerator<ExportRow> {
  for (const row of rows) {
    await new Promise((resolve) => setImmediate(resolve));
    yield row;
  }
}

describe('the CSV writer', () => {
  it('writes a BOM, the # meta block, a blank line, the header and every row, money exact', async () => {
    const file = await collect((out) => writeCsv(source(), out, { minorUnits: MINOR_UNITS }));
    expect(file.rows).toBe(ROWS.length);
    expect(file.bytes).toBe(file.buffer.length);
    const text = file.buffer.toString('utf8');
    expect(
      text.startsWith('\uFEFF# Test table\r\n# Currency,USD\r\n# Rate mode,value_date\r\n'),
    ).toBe(true);
    // The meta value that looks like a formula is neutralised too.
    expect(text).toContain(`# Filters,"'=cmd|"" /C calc""!A0"\r\n\r\nName,Currency,Amount,`);

    const records: string[][] = parse(file.buffer, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: false,
    });
    const [header, ...rows] = records;
    expect(header).toEqual([
      'Name',
      'Currency',
      'Amount',
      'In USD',
      'Share',
      'Ratio',
      'Day',
      'At',
      'Paid',
      'Count',
    ]);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows[0]).toEqual([
      'Pays-Bas — contribution',
      'EUR',
      '1000000.00',
      '1157800.00',
      '12.35',
      '0.0001',
      '2025-08-04',
      '2025-08-04T10:11:12.000Z',
      'true',
      '3',
    ]);
    expect(rows[1]).toEqual([
      'Japan',
      'JPY',
      '1500000',
      '-0.05',
      '0.00',
      '3',
      '',
      '',
      'false',
      '0',
    ]);
    expect(rows[2]).toEqual([
      'Kuwait',
      'KWD',
      '1234.567',
      '123456789012345.67',
      '',
      '',
      '2026-01-31',
      '',
      '',
      '',
    ]);
  });

  it('prefixes with a single quote every text that a spreadsheet would take for a formula', async () => {
    const file = await collect((out) => writeCsv(source(), out, { minorUnits: MINOR_UNITS }));
    const rows: string[][] = parse(file.buffer, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
    });
    const names = rows.slice(1 + 3).map((row) => row[0]);
    expect(names).toEqual(INJECTIONS.map((text) => `'${text}`));
    // A negative amount in a money column is a number, not text: no quote.
    expect(rows[2]?.[3]).toBe('-0.05');
  });

  it('quotes a text holding `;`, so a spreadsheet splitting on `;` keeps it in one cell', async () => {
    const text = 'Pays-Bas;=HYPERLINK("http://x","y")';
    const file = await collect((out) =>
      writeCsv(source([{ ...ROWS[0]!, name: text }]), out, { minorUnits: MINOR_UNITS }),
    );
    expect(file.buffer.toString('utf8')).toContain('"Pays-Bas;=HYPERLINK(""http://x"",""y"")"');
    // Read as a `;`-separated file (Excel in French), the line's first cell is the whole text.
    const line = file.buffer
      .toString('utf8')
      .split('\r\n')
      .find((l) => l.includes('HYPERLINK'))!;
    const cells: string[][] = parse(line, { delimiter: ';', relax_quotes: true });
    expect(cells[0]?.[0]).toContain('Pays-Bas;=HYPERLINK');
  });

  it('streams rows from an async iterable and refuses more than the row limit', async () => {
    const streamed = await collect((out) =>
      writeCsv(source(slowly(ROWS)), out, { minorUnits: MINOR_UNITS }),
    );
    const whole = await collect((out) => writeCsv(source(), out, { minorUnits: MINOR_UNITS }));
    expect(streamed.buffer.equals(whole.buffer)).toBe(true);

    const refused = collect((out) =>
      writeCsv(source(slowly(ROWS)), out, { minorUnits: MINOR_UNITS, maxRows: 2 }),
    );
    await expect(refused).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 'exportRowsMax', max: 2 },
    });
  });

  it('reports progress and names an unknown currency', async () => {
    const seen: number[] = [];
    await collect((out) =>
      writeCsv(source(), out, { minorUnits: MINOR_UNITS, onProgress: (n) => seen.push(n) }),
    );
    expect(seen.at(-1)).toBe(ROWS.length);
    const unknown = collect((out) =>
      writeCsv(source([{ name: 'x', currency: 'XYZ', amount: 1n }]), out, {
        minorUnits: MINOR_UNITS,
      }),
    );
    await expect(unknown).rejects.toBeInstanceOf(DomainError);
    await expect(unknown).rejects.toMatchObject({ code: 'CURRENCY_UNKNOWN' });
  });
});

describe('the XLSX writer', () => {
  async function workbookOf(buffer: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    return sheet;
  }

  it('writes the meta block, a bold frozen header with an autofilter, and typed cells', async () => {
    const file = await collect((out) =>
      writeXlsx(source(slowly(ROWS)), out, { minorUnits: MINOR_UNITS }),
    );
    expect(file.rows).toBe(ROWS.length);
    expect(file.bytes).toBe(file.buffer.length);
    const sheet = await workbookOf(file.buffer);
    expect(sheet.getCell('A1').value).toBe('Test table');
    expect(sheet.getCell('A2').value).toBe('Currency');
    expect(sheet.getCell('B2').value).toBe('USD');
    expect(sheet.getCell('A4').value).toBe('Generated at');
    expect(sheet.getCell('B5').value).toBe('=cmd|" /C calc"!A0');
    expect(sheet.getCell('B5').type).toBe(ExcelJS.ValueType.String);
    const headerRow = 7; // title, 4 meta rows, a blank row, then the header
    expect(sheet.getRow(headerRow).getCell(1).value).toBe('Name');
    expect(sheet.getRow(headerRow).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(sheet.autoFilter).toBe(`A${headerRow}:J${headerRow + ROWS.length}`);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual('Pays-Bas — contribution'.length);

    const first = sheet.getRow(headerRow + 1);
    expect(first.getCell(1).value).toBe('Pays-Bas — contribution');
    expect(first.getCell(3).value).toBe(1_000_000);
    expect(first.getCell(3).numFmt).toBe('#,##0.00 "EUR"');
    expect(first.getCell(4).value).toBe(1_157_800);
    expect(first.getCell(4).numFmt).toBe('#,##0.00 "USD"');
    expect(first.getCell(5).value).toBe(0.1235);
    expect(first.getCell(5).numFmt).toBe('0.00%');
    expect(first.getCell(6).value).toBe(0.0001);
    expect(first.getCell(6).numFmt).toBe('0.0000');
    expect(first.getCell(7).value).toEqual(new Date(Date.UTC(2025, 7, 4)));
    expect(first.getCell(7).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(8).value).toEqual(new Date('2025-08-04T10:11:12.000Z'));
    expect(first.getCell(9).value).toBe(true);
    expect(first.getCell(10).value).toBe(3);

    const japan = sheet.getRow(headerRow + 2);
    expect(japan.getCell(3).value).toBe(1_500_000);
    expect(japan.getCell(3).numFmt).toBe('#,##0 "JPY"');
    expect(japan.getCell(4).value).toBe(-0.05);

    const kuwait = sheet.getRow(headerRow + 3);
    expect(kuwait.getCell(3).value).toBe(1234.567);
    expect(kuwait.getCell(3).numFmt).toBe('#,##0.000 "KWD"');
    // 17 significant digits: a number would round it; exact text instead.
    expect(kuwait.getCell(4).value).toBe('123456789012345.67');
    expect(kuwait.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(kuwait.getCell(5).value).toBeNull();
  });

  it('every money number shows exactly its decimal text', async () => {
    const amounts = [1n, 99n, 100n, 12_345n, 999_999_999_999_999n, -123_456_789_012_345n];
    const rows = amounts.map((amount) => ({ amount }));
    const table: ExportSource = {
      name: 'm',
      title: 'Money',
      meta: [],
      columns: [{ key: 'amount', label: 'Amount', kind: 'money', currency: 'USD' }],
      rows,
    };
    const sheet = await workbookOf(
      (await collect((out) => writeXlsx(table, out, { minorUnits: MINOR_UNITS }))).buffer,
    );
    const shown = amounts.map((_, i) => sheet.getRow(3 + 1 + i).getCell(1).value as number);
    // 15 digits or fewer: the double prints back as the exact decimal.
    expect(shown.map((n) => n.toFixed(2))).toEqual([
      '0.01',
      '0.99',
      '1.00',
      '123.45',
      '9999999999999.99',
      '-1234567890123.45',
    ]);
  });

  it('writes a formula-looking text as a plain string cell, never a formula', async () => {
    const file = await collect((out) => writeXlsx(source(), out, { minorUnits: MINOR_UNITS }));
    const sheet = await workbookOf(file.buffer);
    const names = INJECTIONS.map((_, i) => sheet.getRow(7 + 4 + i).getCell(1));
    // Exactly as given (a carriage return becomes the line feed XML keeps).
    expect(names.map((cell) => cell.value)).toEqual(
      INJECTIONS.map((text) => text.replace('\r', '\n')),
    );
    for (const cell of names) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
    const xml = strFromU8(unzipSync(new Uint8Array(file.buffer))['xl/worksheets/sheet1.xml']!);
    expect(xml).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('refuses more than the row limit', async () => {
    const refused = collect((out) =>
      writeXlsx(source(slowly(ROWS)), out, { minorUnits: MINOR_UNITS, maxRows: 3 }),
    );
    await expect(refused).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 'exportRowsMax' },
    });
  });
});

describe('the plain-text table of `purl show`', () => {
  it('aligns columns, groups money digits without changing them, and counts the rows', async () => {
    const { writeText, grouped } = await import('../../src/services/exports/text-writer.js');
    expect(grouped('-1234567.89')).toBe('-1,234,567.89');
    expect(grouped('999')).toBe('999');
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString('utf8'));
        callback();
      },
    });
    const result = await writeText(
      {
        name: 't',
        title: 'Funding funnel',
        meta: [['Currency', 'USD']],
        columns: [
          { key: 'stage', label: 'Stage', kind: 'text' },
          { key: 'amount', label: 'Amount', kind: 'money', currency: 'USD' },
          { key: 'share', label: 'Share', kind: 'percent' },
        ],
        rows: [
          { stage: 'committed', amount: 294663200000n, share: '100.00' },
          { stage: '=paid', amount: 5n, share: '0.01' },
        ],
      },
      out,
      { minorUnits: new Map([['USD', 2]]) },
    );
    const text = chunks.join('');
    expect(result.rows).toBe(2);
    expect(text).toContain('Funding funnel\n  Currency: USD\n');
    const lines = text.split('\n');
    const committed = lines.find((l) => l.startsWith('committed'))!;
    const paid = lines.find((l) => l.startsWith('=paid'))!;
    expect(committed).toContain('2,946,632,000.00 USD');
    expect(committed).toContain('100.00 %');
    // Right-aligned: the amounts end in the same column.
    expect(committed.indexOf('USD')).toBe(paid.indexOf('USD'));
    expect(text.trimEnd().endsWith('2 rows')).toBe(true);
  });
});
