/**
 * `purl import gdp | population | kiel | contributions` end to end: the real command in a child
 * process, on both engines — summary lines on stdout, progress lines on a non-TTY stderr, the
 * contributions report by line and field, and the exit codes (0; 2 for a dry run with invalid
 * rows and for a refused import).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { ENGINES, createPostgresDatabase } from '../support/engines.js';
import { KIEL_FIXTURE, SHARED_DATA, tempFolder } from './support.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
/** Each test starts the CLI (tsx, a database) one to three times. */
const TIMEOUT_MS = 180_000;

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

const HEADER = 'donor,title,currency,amount,announced_on,status,committed_on,external_id';
const CONTRIBUTIONS = [
  HEADER,
  'NLD,PURL package 1,EUR,500000000.00,2025-08-04,committed,2025-08-05,NLD-1',
  'NOR,Bad currency,EUX,1000.00,2025-08-06,,,',
  'SWE,Swedish tranche,SEK,275000000.50,2025-08-06,,,SWE-1',
].join('\n');

describe.each(ENGINES)('purl import (World Bank, Kiel, contributions) on %s', (engine) => {
  let files: Awaited<ReturnType<typeof tempFolder>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    files = await tempFolder('purl-cli-imports-');
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    env =
      engine === 'postgres'
        ? { ...rest, DATABASE_URL: await createPostgresDatabase() }
        : { ...rest, PURL_DATA_DIR: join(files.dir, 'data') };
  });
  afterAll(async () => {
    await files?.remove();
  });

  it(
    'imports a GDP and a population extract, each with one summary line',
    async () => {
      for (const [command, file, what] of [
        ['gdp', 'gdp.csv', 'GDP values \\(current US\\$\\)'],
        ['population', 'population.csv', 'population figures'],
      ] as const) {
        const text = (await readFile(join(SHARED_DATA, file), 'utf8'))
          .split(/\r?\n/)
          .slice(0, 201)
          .join('\n');
        const run = await purl(['import', command, await files.write(text, `${command}.csv`)], env);
        expect(run.stderr).toContain('writing values: 200/200 (100%)');
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(
          new RegExp(
            `^imported ${command}\\.csv into ${engine}: 200 ${what} of \\d+ countries ` +
              `\\(\\d{4} to \\d{4}\\); 200 inserted, 0 updated, 0 unchanged, in [0-9.]+ s\\n$`,
          ),
        );
      }
    },
    TIMEOUT_MS,
  );

  it(
    'imports the Kiel fixture and says pct_gdp agrees',
    async () => {
      const run = await purl(['import', 'kiel', KIEL_FIXTURE], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^imported kiel-data_explorer\.csv into \w+: 29 rows of 9 donors \(2022 to 2024\); 29 inserted, 0 updated, 0 unchanged; pct_gdp agrees with total \/ gdp × 100 on all 28 rows that give them; in [0-9.]+ s\n$/,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'contributions --dry-run: prints each bad row by line and field, and exits 2',
    async () => {
      const file = await files.write(CONTRIBUTIONS, 'contributions.csv');
      const run = await purl(['import', 'contributions', file, '--dry-run'], env);
      expect(run.code).toBe(EXIT_CODES.IMPORT_ROWS_INVALID);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^line 3, currency \(CURRENCY_UNKNOWN\): /);
      expect(lines[1]).toBe(
        'dry run of contributions.csv: 3 rows, 1 invalid rows (1 problems); 2 would be imported ' +
          '(1 committed, 1 pledged; EUR 500000000.00 (1), SEK 275000000.50 (1)), 0 already imported; nothing written',
      );
      expect(run.stderr).toContain('looking up: 2/2 (100%)');
    },
    TIMEOUT_MS,
  );

  it(
    'contributions without flags: refuses the file (exit 2), naming the error on stderr',
    async () => {
      const file = await files.write(CONTRIBUTIONS, 'contributions.csv');
      const run = await purl(['import', 'contributions', file], env);
      expect(run.code).toBe(EXIT_CODES.IMPORT_ROWS_INVALID);
      expect(run.stdout).toMatch(/^line 3, currency \(CURRENCY_UNKNOWN\): /);
      expect(run.stderr).toContain(
        'error IMPORT_ROWS_INVALID (field: file): contributions.csv: 1 of 3 rows',
      );
      expect(run.stderr).toContain('errorCount: 1');
      expect(run.stderr).not.toContain('[object Object]');
    },
    TIMEOUT_MS,
  );

  it(
    'contributions --skip-invalid imports the valid rows; a second run finds them imported',
    async () => {
      const file = await files.write(CONTRIBUTIONS, 'contributions.csv');
      const run = await purl(['import', 'contributions', file, '--skip-invalid'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /imported contributions\.csv into \w+: 2 contributions \(1 committed, 1 pledged; EUR 500000000\.00 \(1\), SEK 275000000\.50 \(1\)\), 0 already imported, 1 invalid rows \(1 problems\) skipped; in [0-9.]+ s\n$/,
      );
      const again = await purl(['import', 'contributions', file, '--skip-invalid'], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(
        ': 0 contributions (0 committed, 0 pledged), 2 already imported',
      );
      const verify = await purl(['ledger', 'verify'], env);
      expect(verify.code).toBe(0);
    },
    TIMEOUT_MS,
  );
});
