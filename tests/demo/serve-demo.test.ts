/**
 * What a newcomer sees: `purl serve` (what `npm start` runs) on a fresh data folder loads the
 * demo by itself, and the API then tells the PURL story — packages, who funded them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startServe, stopServe } from '../support/serve-process.js';

const STARTUP_TIMEOUT_MS = 90_000;
let dataDir: string | undefined;
afterEach(async () => {
  stopServe();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it(
  'purl serve on a fresh data folder loads the demo, then serves its packages',
  { timeout: 120_000 },
  async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'purl-serve-demo-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PURL_DATA_DIR: dataDir,
      PURL_DEV_ACTORS: '1',
    };
    delete env.DATABASE_URL;
    delete env.PURL_NO_DEMO;
    const { server, url, output } = await startServe(env, STARTUP_TIMEOUT_MS);
    expect(output()).toMatch(/demo data loaded/);
    const packages = await fetch(`${url}/api/v1/packages?limit=10`, {
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(packages.status).toBe(200);
    const page = (await packages.json()) as {
      items: { number: string; synthetic: boolean; status: string }[];
    };
    expect(page.items.map((p) => p.number).slice(0, 4)).toEqual([
      'PURL-001',
      'PURL-002',
      'PURL-003',
      'PURL-004',
    ]);
    expect(page.items.every((p) => p.synthetic)).toBe(true);
    const nld = await fetch(`${url}/api/v1/contributions?donor=NLD`, {
      headers: { 'x-purl-actor': 'auditor' },
    });
    const contributions = (await nld.json()) as {
      items: { committedMinor: string; currency: string; sourceNote: string }[];
    };
    expect(contributions.items[0]).toMatchObject({
      committedMinor: '50000000000',
      currency: 'EUR',
    });
    expect(contributions.items[0]!.sourceNote).toMatch(/Public record/);
    // The published figures are the one thing an anonymous visitor sees.
    const publicSummary = await fetch(`${url}/api/v1/public/summary`);
    expect(publicSummary.status).toBe(200);
    expect(await fetch(`${url}/api/v1/packages`).then((r) => r.status)).toBe(401);
    server.kill('SIGTERM');
  },
);
