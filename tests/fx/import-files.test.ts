/**
 * FX import of small files written by the test: malformed rows fail naming the line and write
 * nothing; updates and inserts are counted; zips and limits are checked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const importer = systemActor('test:import-fx');

const GOOD = [
  'Date,USD,JPY,CYP,NOK,',
  '2025-08-05,1.1546,170.42,N/A,11.8515,',
  '2025-08-04,1.1565,170.45,N/A,11.8205,',
  '2025-08-01,1.1404,171.61,N/A,11.8090,',
].join('\n');

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe.each(ENGINES)('FX import of small files on %s', (engine) => {
  let t: TestDatabase;
  let dir: string;
  let fileNumber = 0;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), 'purl-fx-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function file(content: string | Uint8Array, extension = 'csv'): Promise<string> {
    const path = join(dir, `rates-${++fileNumber}.${extension}`);
    await writeFile(path, content);
    return path;
  }

  async function state() {
    const rates = await sql<{ n: number }>`SELECT count(*)::int AS n FROM fx_rate`.execute(
      t.database.kysely,
    );
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event`.execute(
      t.database.kysely,
    );
    return { rates: rates.rows[0]!.n, audits: audits.rows[0]!.n };
  }

  const malformed: [string, string, number, string | undefined][] = [
    ['a bad date', GOOD.replace('2025-08-04', '2025-08-32'), 3, 'Date'],
    ['a date in another format', GOOD.replace('2025-08-04', '04/08/2025'), 3, 'Date'],
    ['a bad number', GOOD.replace('170.45', '170,45'), 3, undefined],
    ['a non-number', GOOD.replace('11.8090', 'abc'), 4, 'NOK'],
    ['exponent notation', GOOD.replace('1.1404', '1.1404e0'), 4, 'USD'],
    ['a zero rate', GOOD.replace('170.42', '0'), 2, 'JPY'],
    ['a negative rate', GOOD.replace('170.42', '-170.42'), 2, 'JPY'],
    ['an empty cell', GOOD.replace('170.42', ''), 2, 'JPY'],
    ['a missing column', GOOD.replace('1.1565,170.45,', '1.1565,'), 3, undefined],
    ['an extra column', GOOD.replace('11.8205,', '11.8205,1,'), 3, undefined],
    ['an unknown currency in the header', GOOD.replace('JPY', 'XXQ'), 1, 'XXQ'],
    ['a malformed code in the header', GOOD.replace('JPY', 'Jpy'), 1, 'column 3'],
    ['EUR in the header', GOOD.replace('JPY', 'EUR'), 1, 'EUR'],
    ['a duplicated currency', GOOD.replace('JPY', 'USD'), 1, 'USD'],
    ['a header not starting with Date', GOOD.replace('Date', 'Day'), 1, 'Date'],
    ['a duplicated date', GOOD.replace('2025-08-01', '2025-08-05'), 4, 'Date'],
    ['a blank line inside', GOOD.replace('\n2025-08-04', '\n\n2025-08-04'), 3, undefined],
    ['a header and no rows', 'Date,USD,\n', 2, undefined],
  ];

  it.each(malformed)(
    'fails on %s with IMPORT_MALFORMED naming the line, and writes nothing',
    async (_what, content, line, field) => {
      const before = await state();
      const error = await domainError(
        importFxRates(t.database, importer, { file: await file(content) }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details.line).toBe(line);
      expect(error.details.field).toBe(field);
      expect(error.message).toContain(`line ${line}`);
      expect(await state()).toEqual(before);
    },
  );

  it('imports a plain CSV, then counts an import with one changed rate and a new day exactly', async () => {
    const first = await importFxRates(t.database, importer, { file: await file(GOOD) });
    expect(first).toMatchObject({
      days: 3,
      rates: 9,
      currencies: 4,
      inserted: 9,
      updated: 0,
      unchanged: 0,
      firstDate: '2025-08-01',
      lastDate: '2025-08-05',
    });
    const revised = [
      'Date,USD,JPY,CYP,NOK,',
      '2025-08-06,1.1604,171.22,N/A,11.8400,', // new day: 3 inserted
      '2025-08-05,1.1546,170.42,N/A,11.8515,',
      '2025-08-04,1.1565,170.46,N/A,11.8205,', // JPY revised: 1 updated
      '2025-08-01,1.1404,171.61,N/A,11.809,', // same value, other spelling: unchanged
    ].join('\r\n');
    const second = await importFxRates(t.database, importer, { file: await file(revised) });
    expect(second).toMatchObject({ days: 4, rates: 12, inserted: 3, updated: 1, unchanged: 8 });
    const jpy = await t.database.kysely
      .selectFrom('fx_rate')
      .select(['rate_per_eur', 'source'])
      .where('currency', '=', 'JPY')
      .where('rate_date', '=', '2025-08-04')
      .executeTakeFirstOrThrow();
    expect(jpy.rate_per_eur).toBe('170.46');
    expect(jpy.source).toMatch(/ECB/);
    const audits = await t.database.kysely
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('entity', '=', 'fx_rate')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => (a.after as { inserted: number }).inserted)).toEqual([9, 3]);
  });

  it('reads the one CSV inside a zip, and refuses a zip with none or two', async () => {
    const csvBytes = new TextEncoder().encode(GOOD);
    const one = await importFxRates(t.database, importer, {
      file: await file(zipSync({ 'eurofxref-hist.csv': csvBytes }), 'zip'),
    });
    expect(one.rates).toBe(9);
    const badZips: Record<string, Uint8Array>[] = [
      { 'readme.txt': csvBytes },
      { 'a.csv': csvBytes, 'b.csv': csvBytes },
    ];
    for (const entries of badZips) {
      const error = await domainError(
        importFxRates(t.database, importer, { file: await file(zipSync(entries), 'zip') }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details.field).toBe('file');
    }
    const corrupt = await domainError(
      importFxRates(t.database, importer, {
        file: await file(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'zip'),
      }),
    );
    expect(corrupt.code).toBe('IMPORT_MALFORMED');
  });

  it(`refuses more than LIMITS.fxImportRowsMax (${LIMITS.fxImportRowsMax}) rows with LIMIT_EXCEEDED`, async () => {
    const before = await state();
    const rows = ['Date,USD,'];
    for (let i = 0; i <= LIMITS.fxImportRowsMax; i++) rows.push(`2000-01-01,1.1,`);
    const error = await domainError(
      importFxRates(t.database, importer, { file: await file(rows.join('\n')) }),
    );
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details.limit).toBe('fxImportRowsMax');
    expect(await state()).toEqual(before);
  });

  it('refuses a missing file with VALIDATION_FAILED on field file', async () => {
    const error = await domainError(
      importFxRates(t.database, importer, { file: join(dir, 'no-such-file.csv') }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.field).toBe('file');
  });

  it('reports progress while checking rows and writing rates, ending at the totals', async () => {
    const seen: string[] = [];
    await importFxRates(t.database, importer, {
      file: await file(GOOD),
      onProgress: (p) => seen.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(seen).toContain('parse 3/3');
    expect(seen.at(-1)).toBe('write 9/9');
  });
});
