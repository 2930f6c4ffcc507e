/**
 * What a newcomer sees: `purl serve` (what `npm start` runs) on a fresh data folder loads the
 * demo by itself, and the API then tells the PURL story — packages, who funded them. The first
 * load keeps a copy of the demo (services/demo-template.ts); the next fresh folder starts from
 * that copy: the same records, a valid ledger and audit chain.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startServe, stopServe } from '../support/serve-process.js';

const STARTUP_TIMEOUT_MS = 90_000;
const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
let dataDir: string | undefined;
/** This file's own cache of demo copies: the first test loads the demo, the second restores it. */
let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'purl-demo-cache-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});
afterEach(async () => {
  stopServe();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `purl serve` on the embedded database in `dir`, the demo wanted, this file's copy folder. */
function serveEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PURL_DATA_DIR: dir,
    PURL_DEV_ACTORS: '1',
    PURL_DEMO_CACHE: cacheDir,
  };
  delete env.DATABASE_URL;
  delete env.PURL_NO_DEMO;
  delete env.PURL_DEMO_TEMPLATE;
  return env;
}

async function waitFor(what: RegExp, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!what.test(output())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it(
  'purl serve on a fresh data folder loads the demo, then serves its packages',
  { timeout: 120_000 },
  async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'purl-serve-demo-'));
    const env = serveEnv(dataDir);
    const { server, url, output } = await startServe(env, STARTUP_TIMEOUT_MS);
    expect(output()).toMatch(/demo data loaded/);
    // A copy of the freshly loaded demo is kept for the next fresh folder, in the background.
    await waitFor(/kept a copy of the demo/, output, 30_000);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
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

it(
  'purl serve on another fresh data folder starts from the kept copy: the same demo, verified',
  { timeout: 120_000 },
  async () => {
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
    dataDir = await mkdtemp(join(tmpdir(), 'purl-serve-demo-copy-'));
    const env = serveEnv(dataDir);
    const { server, url, output, exited } = await startServe(env, STARTUP_TIMEOUT_MS);
    expect(output()).toMatch(/demo data restored from the copy/);
    expect(output()).not.toMatch(/demo data loaded/);
    expect(output()).toMatch(/demo users, all with the password/);
    const packages = await fetch(`${url}/api/v1/packages?limit=10`, {
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(packages.status).toBe(200);
    const page = (await packages.json()) as { items: { number: string }[] };
    expect(page.items.map((p) => p.number).slice(0, 4)).toEqual([
      'PURL-001',
      'PURL-002',
      'PURL-003',
      'PURL-004',
    ]);
    // The demo users sign in with the demo password.
    const signIn = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'auditor@demo.purl', password: 'purl-demo-2025' }),
    });
    expect(signIn.status).toBe(200);
    server.kill('SIGTERM');
    await exited;
    // The copy is a whole, consistent database: its ledger balances and its audit chain holds.
    const run = promisify(execFile);
    const ledger = await run(process.execPath, [PURL, 'ledger', 'verify'], { env });
    expect(ledger.stdout).toMatch(/ledger OK/);
    const audit = await run(process.execPath, [PURL, 'audit', 'verify'], { env });
    expect(audit.stdout).toMatch(/audit chain OK/);
  },
);
