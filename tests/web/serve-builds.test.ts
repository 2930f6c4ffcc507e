/**
 * `purl serve` (what `npm start` runs) builds the web application when it is not built — saying
 * so and how long it took — and then serves it at `/` beside the API. The build goes to a
 * temporary folder (`PURL_WEB_DIST`) so the shared `src/web/dist` of the run is never touched.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, createPostgresDatabase } from '../support/engines.js';
import { startServe, stopServe } from '../support/serve-process.js';

const STARTUP_TIMEOUT_MS = 90_000;

describe.each(ENGINES)('purl serve with the web app not built, on %s', (engine) => {
  let dir: string | undefined;
  afterEach(async () => {
    stopServe();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'builds the app first, says how long it took, then serves it',
    { timeout: 120_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'purl-serve-web-'));
      const dist = join(dir, 'dist');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        PURL_NO_DEMO: '1',
        PURL_WEB_DIST: dist,
      };
      delete env.DATABASE_URL;
      delete env.NODE_ENV;
      if (engine === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
      else env.PURL_DATA_DIR = join(dir, 'data');
      const { server, url, output, exited } = await startServe(env, STARTUP_TIMEOUT_MS);

      expect(output()).toContain('web application not built yet: building it');
      expect(output()).toMatch(/web application built in \d+(\.\d+)? s/);
      expect(existsSync(join(dist, 'index.html'))).toBe(true);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      const deepLink = await fetch(`${url}/analysis/drill?figure=funnel.paid`);
      expect(deepLink.status).toBe(200);
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );
});
