/**
 * World Bank GDP and population imports on both engines: an extract of the real files (first
 * 800 lines, derived at run time, so a quoted name with a comma is among them) stored exactly as the file writes each value, re-imports that
 * change nothing, an updated value counted, a malformed row that writes nothing, scientific
 * notation expanded exactly, the access rule; and each full file, whose time is printed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/core/actor.js';
import { importCountryIndicators } from '../../src/services/imports/indicators-import.js';
import { listCountryIndicators } from '../../src/storage/indicators-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { SHARED_DATA, counts, domainError, tempFolder } from './support.js';

const importer = systemActor('test:import-indicators');
const HEADER = 'Country Name,Country Code,Year,Value';

interface FileRow {
  line: number;
  name: string;
  code: string;
  year: number;
  value: string;
}

/** The test's own reading of a World Bank line (a quoted name may hold commas). */
function readLine(text: string, line: number): FileRow {
  const match = /^(?:"((?:[^"]|"")*)"|([^,"]*)),([A-Z]{3}),(\d{4}),([0-9.]+)$/.exec(text);
  if (!match) throw new Error(`unexpected line ${line}: ${text}`);
  const [, quoted, plain, code, year, value] = match;
  return {
    line,
    name: quoted !== undefined ? quoted.replace(/""/g, '"') : plain!,
    code: code!,
    year: Number(year),
    value: value!,
  };
}

async function extract(file: string, lines: number): Promise<{ text: string; rows: FileRow[] }> {
  // The files end lines with CRLF; the extract is written with LF (both are read).
  const all = (await readFile(join(SHARED_DATA, file), 'utf8')).split(/\r?\n/);
  expect(all[0]).toBe(HEADER);
  const kept = all.slice(0, lines);
  return {
    text: kept.join('\n') + '\n',
    rows: kept.slice(1).map((text, i) => readLine(text, i + 2)),
  };
}

describe.each(ENGINES)('World Bank imports on %s', (engine) => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    files = await tempFolder('purl-wb-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  it('imports the first 800 lines of gdp.csv, each value exactly as the file writes it', async () => {
    const { text, rows } = await extract('gdp.csv', 800);
    expect(rows.some((r) => r.name === 'Bahamas, The')).toBe(true); // quoted, with a comma
    const before = await counts(t.database);
    const result = await importCountryIndicators(t.database, importer, {
      indicator: 'gdp_usd',
      file: await files.write(text, 'gdp-extract.csv'),
    });
    expect(result).toMatchObject({
      indicator: 'gdp_usd',
      file: 'gdp-extract.csv',
      rows: 799,
      inserted: 799,
      updated: 0,
      unchanged: 0,
      countries: new Set(rows.map((r) => r.code)).size,
    });
    expect(result.source).toBe(
      `World Bank NY.GDP.MKTP.CD via datasets/gdp (file sha256 ${result.sha256})`,
    );
    const after = await counts(t.database);
    expect(after.indicators - before.indicators).toBe(799);
    expect(after.audits - before.audits).toBe(1);

    const codes = [...new Set(rows.map((r) => r.code))];
    const stored = await listCountryIndicators(t.database.kysely, 'gdp_usd', codes);
    expect(stored).toHaveLength(799);
    const byKey = new Map(stored.map((s) => [`${s.countryCode}:${s.year}`, s.value]));
    for (const row of rows) expect(byKey.get(`${row.code}:${row.year}`)).toBe(row.value);
  });

  it('re-imports the same extract changing nothing, and counts one changed value as updated', async () => {
    const { text, rows } = await extract('gdp.csv', 800);
    const again = await importCountryIndicators(t.database, importer, {
      indicator: 'gdp_usd',
      file: await files.write(text),
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 799 });

    const target = rows[10]!;
    const changed = text.replace(
      `,${target.code},${target.year},${target.value}\n`,
      `,${target.code},${target.year},123456789.5\n`,
    );
    expect(changed).not.toBe(text);
    const result = await importCountryIndicators(t.database, importer, {
      indicator: 'gdp_usd',
      file: await files.write(changed),
    });
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 798 });
    const [value] = (
      await listCountryIndicators(t.database.kysely, 'gdp_usd', [target.code])
    ).filter((v) => v.year === target.year);
    expect(value!.value).toBe('123456789.5');
  });

  it('imports a population extract as whole numbers of persons', async () => {
    const { text, rows } = await extract('population.csv', 500);
    const result = await importCountryIndicators(t.database, importer, {
      indicator: 'population',
      file: await files.write(text),
    });
    expect(result).toMatchObject({ rows: 499, inserted: 499 });
    expect(result.source).toContain('World Bank SP.POP.TOTL via datasets/population');
    const first = rows[0]!;
    const stored = await listCountryIndicators(t.database.kysely, 'population', [first.code]);
    expect(stored.find((s) => s.year === first.year)!.value).toBe(first.value);
  });

  it('expands scientific notation exactly, never through a float', async () => {
    const text = [
      HEADER,
      'Testland,TST,2021,1.23456789E+12',
      'Testland,TST,2022,9007199254740993',
      'Testland,TST,2023,2.5e-3',
    ].join('\n');
    await importCountryIndicators(t.database, importer, {
      indicator: 'gdp_usd',
      file: await files.write(text),
    });
    const stored = await listCountryIndicators(t.database.kysely, 'gdp_usd', ['TST']);
    expect(stored.map((s) => s.value)).toEqual(['1234567890000', '9007199254740993', '0.0025']);
  });

  const malformed: [string, string, number, string][] = [
    ['a bad year', 'Testland,TST,20x1,5', 3, 'Year'],
    ['a lower-case code', 'Testland,tst,2021,5', 3, 'Country Code'],
    ['a negative value', 'Testland,TST,2021,-5', 3, 'Value'],
    ['a value with a thousands separator', 'Testland,TST,2021,"1,000"', 3, 'Value'],
    ['a missing value', 'Testland,TST,2021,', 3, 'Value'],
    ['an extra field', 'Testland,TST,2021,5,6', 3, 'row'],
    ['a repeated country and year', 'Testland,TST,2020,6', 3, 'Year'],
  ];
  it.each(malformed)(
    'refuses %s naming line and field, writing nothing',
    async (_, bad, line, field) => {
      const before = await counts(t.database);
      const error = await domainError(
        importCountryIndicators(t.database, importer, {
          indicator: 'gdp_usd',
          file: await files.write(
            [HEADER, 'Testland,TST,2020,5', bad, 'Testland,TST,2024,7'].join('\n'),
          ),
        }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details).toMatchObject({ line, field });
      expect(error.message).toContain(`line ${line}`);
      expect(await counts(t.database)).toEqual(before);
    },
  );

  it('refuses a population that is not a whole number', async () => {
    const error = await domainError(
      importCountryIndicators(t.database, importer, {
        indicator: 'population',
        file: await files.write([HEADER, 'Testland,TST,2020,1000.5'].join('\n')),
      }),
    );
    expect(error.details).toMatchObject({ line: 2, field: 'Value' });
  });

  it('refuses a header that is not the World Bank one', async () => {
    const error = await domainError(
      importCountryIndicators(t.database, importer, {
        indicator: 'gdp_usd',
        file: await files.write('Country,Code,Year,Value\nTestland,TST,2020,5\n'),
      }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.details).toMatchObject({ line: 1, field: 'column 1' });
  });

  it('lets only admins and the system import indicators', async () => {
    for (const role of ['coordinator', 'auditor', 'contributor'] as const) {
      const actor: Actor = {
        id: `test:${role}`,
        role,
        ...(role === 'contributor' ? { partyId: 'NLD' } : {}),
      };
      const error = await domainError(
        importCountryIndicators(t.database, actor, {
          indicator: 'gdp_usd',
          file: await files.write([HEADER, 'Testland,TST,2020,5'].join('\n')),
        }),
      );
      expect(error.code).toBe('FORBIDDEN');
    }
    const admin: Actor = { id: 'test:admin', role: 'admin' };
    const result = await importCountryIndicators(t.database, admin, {
      indicator: 'gdp_usd',
      bytes: new TextEncoder().encode([HEADER, 'Testland,TST,2020,5'].join('\n')),
      fileName: 'uploaded-gdp.csv',
    });
    expect(result).toMatchObject({ file: 'uploaded-gdp.csv', rows: 1 });
  });

  it('imports each full World Bank file (timed for the report)', async () => {
    for (const [indicator, file] of [
      ['gdp_usd', 'gdp.csv'],
      ['population', 'population.csv'],
    ] as const) {
      const lines = (await readFile(join(SHARED_DATA, file), 'utf8')).trimEnd().split(/\r?\n/);
      const rows = lines.slice(1).map((text, i) => readLine(text, i + 2));
      const started = performance.now();
      const result = await importCountryIndicators(t.database, importer, {
        indicator,
        file: join(SHARED_DATA, file),
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `[figure] import ${file} (${rows.length} rows) on ${engine}: ${seconds.toFixed(2)} s`,
      );
      expect(result.rows).toBe(rows.length);
      expect(result.inserted + result.updated + result.unchanged).toBe(rows.length);
      expect(result.stored.rows).toBeGreaterThanOrEqual(rows.length);
      const sample = rows.filter((_, i) => i % 997 === 0);
      const stored = await listCountryIndicators(
        t.database.kysely,
        indicator,
        sample.map((r) => r.code),
      );
      const byKey = new Map(stored.map((s) => [`${s.countryCode}:${s.year}`, s.value]));
      for (const row of sample) expect(byKey.get(`${row.code}:${row.year}`)).toBe(row.value);
    }
  }, 180_000);
});
