import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, ENGINES } from '../support/engines.js';
import { startServe, stopServe } from '../support/serve-process.js';

const STARTUP_TIMEOUT_MS = 45_000;

describe.each(ENGINES)('purl serve on %s', (engine) => {
  let dataDir: string | undefined;
  afterEach(async () => {
    stopServe();
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
    const { server, url, exited, output } = await startServe(env, STARTUP_TIMEOUT_MS);

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', engine });

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The log waits for a batch of lines or a second: none is lost when the server stops.
    const lines = output().split('\n');
    expect(lines.some((l) => l.includes('request completed') && l.includes('/api/v1/health'))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});

describe('purl serve settings', () => {
  it('refuses a heap growth that is not a percentage from 0 to 400, naming the variable, before opening anything', () => {
    const purl = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
    for (const value of ['lots', '-5', '401', '2.5']) {
      const run = spawnSync(process.execPath, [purl, 'serve'], {
        env: { ...process.env, PURL_HEAP_GROWTH_PERCENT: value, PORT: '0', HOST: '127.0.0.1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, value).not.toBe(0);
      expect(run.stderr + run.stdout, value).toContain(
        `PURL_HEAP_GROWTH_PERCENT must be an integer from 0 (V8's own growth) to 400, not "${value}"`,
      );
    }
  });
});
