/**
 * The Kiel Institute Ukraine Support Tracker import on both engines, with the fixture
 * `tests/fixtures/imports/kiel-data_explorer.csv` (9 donors, 2022-2024, yearly and monthly rows,
 * blank cells, a quoted name with a comma): every cell stored as written (blank → NULL, blank
 * month → 0), each donor's pct_gdp reproduced from its total and gdp within rounding (worked out
 * here with the test's own half-even division), idempotent re-import, a disagreeing pct_gdp
 * reported but kept as published, malformed rows refused with nothing written.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import {
  importKielFigures,
  kielPctGdp,
  kielPctGdpAgrees,
} from '../../src/services/imports/kiel-import.js';
import { listKielFigures } from '../../src/storage/indicators-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { KIEL_FIXTURE, counts, divideHalfEven, domainError, tempFolder } from './support.js';

const importer = systemActor('test:import-kiel');

const COLUMNS = [
  'country',
  'iso',
  'year',
  'month',
  'total',
  'financial',
  'humanitarian',
  'military',
  'commitments',
  'to_be_allocated',
  'gdp',
  'pct_gdp',
] as const;
type FixtureRow = Record<(typeof COLUMNS)[number], string> & { line: number };

/** The test's own reading of the fixture: a quoted cell may hold a comma. */
async function fixture(): Promise<{ text: string; rows: FixtureRow[] }> {
  const text = await readFile(KIEL_FIXTURE, 'utf8');
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe(COLUMNS.join(','));
  const rows = lines.slice(1).map((line, i) => {
    const cells = [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)]
      .slice(0, COLUMNS.length)
      .map((m) => m[2] ?? m[1]!);
    expect(cells).toHaveLength(COLUMNS.length);
    return {
      line: i + 2,
      ...Object.fromEntries(COLUMNS.map((c, k) => [c, cells[k]!])),
    } as FixtureRow;
  });
  return { text, rows };
}

/** `a / b × 100` rounded half to even to `decimals`, from decimal texts, by hand. */
function percent(a: string, b: string, decimals: number): string {
  const scaled = (text: string) => {
    const [whole, fraction = ''] = text.split('.');
    return { units: BigInt(whole! + fraction), scale: fraction.length };
  };
  const x = scaled(a);
  const y = scaled(b);
  // a / b × 100 × 10^decimals = x.units × 10^(y.scale + 2 + decimals) / (y.units × 10^x.scale)
  const n = x.units * 10n ** BigInt(y.scale + 2 + decimals);
  const d = y.units * 10n ** BigInt(x.scale);
  const q = divideHalfEven(n, d)
    .toString()
    .padStart(decimals + 1, '0');
  return decimals === 0 ? q : `${q.slice(0, -decimals)}.${q.slice(-decimals)}`;
}

describe.each(ENGINES)('Kiel tracker import on %s', (engine) => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    files = await tempFolder('purl-kiel-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  it('stores every cell of the fixture as written (blank → NULL, blank month → 0)', async () => {
    const { rows } = await fixture();
    const before = await counts(t.database);
    const result = await importKielFigures(t.database, importer, { file: KIEL_FIXTURE });
    expect(result).toMatchObject({
      file: 'kiel-data_explorer.csv',
      rows: rows.length,
      donors: 9,
      firstYear: 2022,
      lastYear: 2024,
      inserted: rows.length,
      updated: 0,
      unchanged: 0,
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const after = await counts(t.database);
    expect(after.kiel - before.kiel).toBe(rows.length);
    expect(after.audits - before.audits).toBe(1);

    const stored = await listKielFigures(t.database.kysely);
    expect(stored).toHaveLength(rows.length);
    const blankIsNull = (cell: string) => (cell === '' ? null : cell);
    for (const row of rows) {
      const month = row.month === '' ? 0 : Number(row.month);
      const s = stored.find(
        (f) => f.iso === row.iso && f.year === Number(row.year) && f.month === month,
      );
      expect(s, `line ${row.line}`).toMatchObject({
        country: row.country,
        total: blankIsNull(row.total),
        financial: blankIsNull(row.financial),
        humanitarian: blankIsNull(row.humanitarian),
        military: blankIsNull(row.military),
        commitments: blankIsNull(row.commitments),
        toBeAllocated: blankIsNull(row.to_be_allocated),
        gdp: blankIsNull(row.gdp),
        pctGdp: blankIsNull(row.pct_gdp),
        sourceFile: 'kiel-data_explorer.csv',
        sourceSha256: result.sha256,
      });
    }
    expect(stored.find((f) => f.iso === 'KOR')!.country).toBe('Korea, Republic of');
    expect((await listKielFigures(t.database.kysely, { year: 2023 })).map((f) => f.year)).toEqual(
      Array(9).fill(2023),
    );
  });

  it('reproduces each donor’s pct_gdp from its total and gdp within rounding', async () => {
    const { rows } = await fixture();
    const stored = await listKielFigures(t.database.kysely);
    const checked = rows.filter((r) => r.total && r.gdp && r.pct_gdp);
    expect(checked).toHaveLength(28); // every row but Canada 2024, whose gdp is blank
    const donors = new Set<string>();
    for (const row of checked) {
      const decimals = row.pct_gdp.split('.')[1]?.length ?? 0;
      const byHand = percent(row.total, row.gdp, decimals);
      expect(byHand, `line ${row.line}`).toBe(row.pct_gdp);
      expect(kielPctGdp(row.total, row.gdp, decimals)).toBe(byHand);
      const s = stored.find(
        (f) =>
          f.iso === row.iso && f.year === Number(row.year) && f.month === Number(row.month || 0),
      )!;
      expect(kielPctGdp(s.total!, s.gdp!, decimals)).toBe(s.pctGdp);
      donors.add(row.iso);
    }
    expect(donors.size).toBe(9);
    const result = await importKielFigures(t.database, importer, { file: KIEL_FIXTURE });
    expect(result).toMatchObject({ pctGdpChecked: 28, pctGdpDisagreementCount: 0 });
  });

  it('re-imports the fixture changing nothing, and counts a changed figure as updated', async () => {
    const { text } = await fixture();
    const again = await importKielFigures(t.database, importer, { file: await files.write(text) });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 29 });
    const changed = text.replace('Poland,POL,2024,,0.400,', 'Poland,POL,2024,,0.4000,'); // same number
    const same = await importKielFigures(t.database, importer, {
      file: await files.write(changed),
    });
    expect(same).toMatchObject({ updated: 0, unchanged: 29 });
    const edited = text.replace(
      'Netherlands,NLD,2024,,3.500,0.350,0.050,3.100,3.900,',
      'Netherlands,NLD,2024,,3.500,0.350,0.050,3.100,4.000,', // commitments changed
    );
    expect(edited).not.toBe(text);
    const result = await importKielFigures(t.database, importer, {
      file: await files.write(edited),
    });
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 28 });
  });

  it('imports a pct_gdp that disagrees as published, and reports it', async () => {
    const header = COLUMNS.join(',');
    const file = await files.write(
      `${header}\nTestland,TST,2024,,1.000,1.000,,,,,200.000,0.4000\n`, // 1 / 200 × 100 = 0.5
    );
    const result = await importKielFigures(t.database, importer, { file });
    expect(result.pctGdpDisagreements).toEqual([
      { line: 2, iso: 'TST', year: 2024, month: 0, stated: '0.4000', recomputed: '0.5000' },
    ]);
    expect(kielPctGdpAgrees('1.000', '200.000', '0.5')).toBe(true);
    expect(kielPctGdpAgrees('1.000', '200.000', '0.4000')).toBe(false);
    const stored = await listKielFigures(t.database.kysely);
    expect(stored.find((f) => f.iso === 'TST')!.pctGdp).toBe('0.4000');
  });

  const header = COLUMNS.join(',');
  const malformed: [string, string, number, string][] = [
    ['a month of 13', 'Testland,TST,2024,13,1,1,,,,,200,0.5', 3, 'month'],
    ['a lower-case iso', 'Testland,tst,2024,,1,1,,,,,200,0.5', 3, 'iso'],
    ['a zero gdp', 'Testland,TST,2024,,1,1,,,,,0,0.5', 3, 'gdp'],
    ['a figure that is not a number', 'Testland,TST,2024,,1,one,,,,,200,0.5', 3, 'financial'],
    ['a year before 2000', 'Testland,TST,1999,,1,1,,,,,200,0.5', 3, 'year'],
    ['a missing field', 'Testland,TST,2024,,1,1,,,,200,0.5', 3, 'row'],
    ['a repeated donor, year and month', 'Testland,TST,2023,,1,1,,,,,200,0.5', 3, 'month'],
  ];
  it.each(malformed)(
    'refuses %s naming line and field, writing nothing',
    async (_, bad, line, field) => {
      const before = await counts(t.database);
      const error = await domainError(
        importKielFigures(t.database, importer, {
          file: await files.write(`${header}\nTestland,TST,2023,,1,1,,,,,200,0.5\n${bad}\n`),
        }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.details).toMatchObject({ line, field });
      expect(await counts(t.database)).toEqual(before);
    },
  );

  it('refuses a file without one of the columns', async () => {
    const error = await domainError(
      importKielFigures(t.database, importer, {
        file: await files.write('country,iso,year,month,total\nTestland,TST,2024,,1\n'),
      }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.details.line).toBe(1);
    expect(error.message).toContain('missing columns financial');
  });
});
