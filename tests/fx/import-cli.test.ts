/** `purl import fx FILE` end to end: the real command, a small file, both engines. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { ENGINES, createPostgresDatabase } from '../support/engines.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));

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

describe.each(ENGINES)('purl import fx on %s', (engine) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'purl-cli-fx-'));
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    env =
      engine === 'postgres'
        ? { ...rest, DATABASE_URL: await createPostgresDatabase() }
        : { ...rest, PURL_DATA_DIR: join(dir, 'data') };
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports a file, prints progress lines on a non-TTY stderr and one summary line', async () => {
    const file = join(dir, 'rates.csv');
    await writeFile(
      file,
      'Date,USD,JPY,\n2025-08-05,1.1546,170.42,\n2025-08-04,1.1565,170.45,\n2025-08-01,1.1404,N/A,\n',
    );
    const run = await purl(['import', 'fx', file], env);
    expect(run.stderr).toContain('writing rates: 5/5 (100%)');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^imported rates\\.csv into ${engine}: 3 days, 5 rates of 2 currencies ` +
          `\\(2025-08-01 to 2025-08-05\\); 5 inserted, 0 updated, 0 unchanged, in [0-9.]+ s\\n$`,
      ),
    );
  });

  it('exits with the IMPORT_MALFORMED code, naming the line and field on stderr', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'Date,USD,\n2025-08-05,1.1546,\n2025-08-04,1.15x,\n');
    const run = await purl(['import', 'fx', file], env);
    expect(run.code).toBe(EXIT_CODES.IMPORT_MALFORMED);
    expect(run.stderr).toContain('error IMPORT_MALFORMED (field: USD): line 3:');
    expect(run.stderr).toContain('line: 3');
    expect(run.stdout).toBe('');
  });
});
