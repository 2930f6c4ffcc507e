import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, ENGINES } from '../support/engines.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const STARTUP_TIMEOUT_MS = 45_000;

describe.each(ENGINES)('purl serve on %s', (engine) => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the real server, answers /api/v1/health over loopback, and stops cleanly on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'purl-serve-'));
    // The demo auto-load at start has its own tests (tests/demo); keep this one about starting.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PURL_NO_DEMO: '1',
    };
    delete env.DATABASE_URL;
    if (engine === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
    else env.PURL_DATA_DIR = dataDir;
    const server = spawn(process.execPath, [PURL, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));

    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`no startup line within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
        STARTUP_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        for (const line of output.split('\n')) {
          if (!line.includes('PURL Ledger serving')) continue;
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before listening:\n${output}`));
      });
    });

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', engine });

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
