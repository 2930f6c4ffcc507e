/**
 * `purl export csv|xlsx|iati` end to end on both engines: the real command (`node bin/purl.js`)
 * against a database filled here through the API (a package PURL-001 funded by the Netherlands
 * with €1,000,000.00, and a Norwegian pledge whose title is a formula), writing into a
 * temporary folder. The summary line, the files' contents, and the refusals of an output path
 * that is a folder or lies in a folder that does not exist (nothing written).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { systemActor } from '../../src/core/actor.js';
import { buildApp } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { ENGINES, createPostgresDatabase } from '../support/engines.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const FORMULA_TITLE = '=HYPERLINK("http://x","y")';
/** Each test spawns the CLI (tsx startup, database open) up to three times. */
const SPAWNING_TEST_MS = 180_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function purl(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PURL, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A funded package and two contributions, through the API (the way users make them). */
async function fill(database: Database, dir: string): Promise<void> {
  await writeFile(join(dir, 'rates.csv'), 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n');
  await importFxRates(database, systemActor('test'), { file: join(dir, 'rates.csv') });
  const app = await buildApp({ database, devActors: true });
  try {
    const ok = async (url: string, actor: string, body: unknown) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: { 'x-purl-actor': actor },
        payload: body as object,
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const list = await ok('/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'August 2025 (synthetic)',
      synthetic: true,
    });
    const item = await ok(`/requirement-lists/${list.id}/items`, 'recipient', {
      capabilityArea: 'artillery',
      category: '155mm artillery ammunition',
      lethal: true,
      requestedQuantity: 10,
      unit: 'lots',
      estimatedUnitCost: { amountMinor: '11578000', currency: 'USD' },
    });
    await ok(`/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok(`/requirement-lists/${list.id}/validate`, 'validator', {});
    for (const role of ['recipient', 'coordinator', 'supplier'])
      await ok(`/requirement-lists/${list.id}/approve`, role, {});
    const pkg = await ok('/packages', 'coordinator', {
      cycle: '2025-08',
      title: 'Artillery (synthetic)',
      targetMinor: '50000000000',
      synthetic: true,
    });
    await ok(`/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: item.id,
      quantity: 10,
    });
    await ok(`/packages/${pkg.id}/open`, 'coordinator', {});
    const nld = await ok('/contributions', 'contributor:NLD', {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '200000000',
      announcedOn: '2025-08-04',
      title: 'Contribution néerlandaise (synthetic)',
    });
    await ok(`/contributions/${nld.id}/commit`, 'contributor:NLD', { committedOn: '2025-08-04' });
    await ok(`/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nld.id,
      amountMinor: '100000000',
      valueDate: '2025-08-04',
    });
    await ok('/contributions', 'contributor:NOR', {
      donorPartyId: 'NOR',
      currency: 'NOK',
      amountMinor: '10000000',
      announcedOn: '2025-08-04',
      title: FORMULA_TITLE,
    });
  } finally {
    await app.close();
  }
}

describe.each(ENGINES)('purl export on %s', (engine) => {
  let dir: string;
  let out: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'purl-cli-export-'));
    out = join(dir, 'out');
    await mkdir(out);
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    const url = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    env = url ? { ...rest, DATABASE_URL: url } : { ...rest, PURL_DATA_DIR: join(dir, 'data') };
    const database = await openDatabase(url ? { url } : { dataDir: join(dir, 'data') });
    try {
      await migrate(database);
      await fill(database, dir);
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'exports the contributions as CSV: one summary line, exact money, formulas neutralised',
    async () => {
      const file = join(out, 'contributions.csv');
      const run = await purl(['export', 'csv', 'contributions', '--out', file], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const bytes = (await readFile(file)).length;
      expect(run.stdout).toMatch(
        new RegExp(
          `^exported contributions \\(csv, en\\) to ${file.replace(/[.\\]/g, '\\$&')}: 2 rows, ${bytes} bytes, in [0-9.]+ s\\n$`,
        ),
      );
      const text = await readFile(file, 'utf8');
      expect(text).toContain('# Generated by,system (cli:export)\r\n');
      const [header, ...rows]: string[][] = parse(text, {
        bom: true,
        comment: '#',
        comment_no_infix: true,
        skip_empty_lines: true,
      });
      expect(header?.slice(0, 3)).toEqual(['ID', 'Donor', 'Title']);
      const byDonor = new Map(rows.map((r) => [r[1], r]));
      expect(byDonor.get('NLD')?.slice(2, 9)).toEqual([
        'Contribution néerlandaise (synthetic)',
        'committed',
        'EUR',
        '2000000.00',
        '2000000.00',
        '0.00',
        '1000000.00',
      ]);
      expect(byDonor.get('NOR')?.[2]).toBe(`'${FORMULA_TITLE}`);
      expect(byDonor.get('NOR')?.[5]).toBe('100000.00');
    },
    SPAWNING_TEST_MS,
  );

  it(
    'exports a list as XLSX in French and an analysis in EUR',
    async () => {
      const xlsx = join(out, 'paquets.xlsx');
      const run = await purl(['export', 'xlsx', 'packages', '--lang', 'fr', '--out', xlsx], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^exported packages \(xlsx, fr\) to .*: 1 row, \d+ bytes, in/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile(xlsx)) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getCell('A1').value).toBe('Paquets');
      expect(sheet.getCell('A2').value).toBe('Devise');

      const funnel = join(out, 'funnel.csv');
      const analysis = await purl(
        ['export', 'csv', 'funnel', '--currency', 'EUR', '--out', funnel],
        env,
      );
      expect(analysis.code).toBe(0);
      const [header, ...rows]: string[][] = parse(await readFile(funnel), {
        bom: true,
        comment: '#',
        comment_no_infix: true,
        skip_empty_lines: true,
      });
      const amount = header!.indexOf('Amount (EUR)');
      expect(rows.find((r) => r[0] === 'committed')?.[amount]).toBe('2000000.00');
      expect(rows.find((r) => r[0] === 'allocated')?.[amount]).toBe('1000000.00');
      expect(await readFile(funnel, 'utf8')).toContain('# Currency,EUR\r\n');
    },
    SPAWNING_TEST_MS,
  );

  it(
    'shows an analysis as a table on the terminal (`purl show`)',
    async () => {
      const run = await purl(['show', 'funnel', '--currency', 'EUR'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Currency: EUR');
      const committed = run.stdout.split('\n').find((l) => l.startsWith('committed'));
      expect(committed).toContain('2,000,000.00 EUR');
      const refused = await purl(['show', 'nothing-such'], env);
      expect(refused.code).toBe(EXIT_CODES.NOT_FOUND);
      expect(refused.stderr).toContain('funnel');
    },
    SPAWNING_TEST_MS,
  );

  it(
    'exports the IATI file',
    async () => {
      const file = join(out, 'iati.xml');
      const run = await purl(['export', 'iati', '--out', file], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^exported IATI 2\.03 to .*: 1 activity, 1 transaction, \d+ bytes/,
      );
      const xml = await readFile(file, 'utf8');
      expect(xml).toContain('<iati-identifier>XI-IATI-NATO-PURL-001</iati-identifier>');
      expect(xml).toContain('<value currency="EUR" value-date="2025-08-04">1000000.00</value>');
    },
    SPAWNING_TEST_MS,
  );

  it(
    'refuses a folder, a missing folder and an unknown dataset, and writes nothing',
    async () => {
      const before = await readdir(out);
      const folder = await purl(['export', 'csv', 'contributions', '--out', out], env);
      expect(folder.code).toBe(EXIT_CODES.VALIDATION_FAILED);
      expect(folder.stderr).toContain('error VALIDATION_FAILED (field: out):');
      expect(folder.stderr).toContain('is a directory');

      const missing = join(dir, 'no-such-folder', 'x.csv');
      const nowhere = await purl(['export', 'xlsx', 'contributions', '--out', missing], env);
      expect(nowhere.code).toBe(EXIT_CODES.VALIDATION_FAILED);
      expect(nowhere.stderr).toContain('does not exist');

      const unknown = await purl(['export', 'csv', 'nothing', '--out', join(out, 'n.csv')], env);
      expect(unknown.code).toBe(EXIT_CODES.NOT_FOUND);
      expect(unknown.stderr).toContain('error NOT_FOUND (field: dataset):');
      expect(unknown.stderr).toContain('contributions');

      expect(await readdir(out)).toEqual(before);
    },
    SPAWNING_TEST_MS,
  );
});
