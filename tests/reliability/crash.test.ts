/**
 * Crash and recovery under load (`workload.ts`, 8 clients):
 * - `kill -9` of `purl serve` on a PGlite data folder, twice, each time restarted on the folder;
 * - `kill -9` of one of two servers on one PostgreSQL database, twice, the other serving on;
 * - PostgreSQL itself stopped as a crash would (`pg_ctl stop -m immediate`) and started again:
 *   while it is down every answer is 503 with `Retry-After`, and the server recovers by itself.
 * Afterwards the writes whose answer was lost are settled by retrying their keys, and every
 * acknowledged write is there exactly once, every refused one absent; both chains verify.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createPostgresDatabase } from '../support/engines.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process.js';
import {
  checkExactlyOnce,
  createWorld,
  keepLastRun,
  loadServerEnv,
  prepareDatabase,
  settleUnknown,
  startLoad,
  type Load,
} from './workload.js';

const CLIENTS = 8;
/** Seconds of load before each fault, and after the last recovery. */
const PHASE_SECONDS = Number(process.env.PURL_CRASH_PHASE_SECONDS ?? 6);
const CRASHES = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const baseEnv = loadServerEnv();

/** SIGKILL, as `kill -9`: no handler runs, nothing is flushed. */
async function killHard(server: ServeProcess): Promise<void> {
  server.server.kill('SIGKILL');
  await server.exited;
}

/** A server the load reaches while it is up, and that can be killed and started again. */
class Restartable {
  current: ServeProcess | undefined;
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs: number,
  ) {}
  async start(): Promise<ServeProcess> {
    this.current = await startServe(this.env, this.timeoutMs);
    return this.current;
  }
  urls(): string[] {
    return this.current ? [this.current.url] : [];
  }
  /** `PHASE_SECONDS` of load, then `kill -9` and a restart — `CRASHES` times. */
  async crashRepeatedly(): Promise<void> {
    for (let crash = 0; crash < CRASHES; crash++) {
      await sleep(PHASE_SECONDS * 1000);
      const dying = this.current!;
      this.current = undefined;
      await killHard(dying);
      await this.start();
    }
  }
}

/** Stops the load, settles the writes whose answer was lost through `url`; no 5xx but 503. */
async function endLoad(load: Load, url: string): Promise<number> {
  await load.stop();
  const settled = await settleUnknown(load, url);
  expect(load.violations.slice(0, 20)).toEqual([]);
  return settled;
}

/** SIGTERM, and the server's own clean shutdown. */
async function stopGently(server: ServeProcess): Promise<void> {
  server.server.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

const figures: Record<string, unknown> = {};
const dirs: string[] = [];
let cluster: PostgresCluster | undefined;

afterEach(() => stopServe());
afterAll(async () => {
  await cluster?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  if (Object.keys(figures).length === 3) await keepLastRun('crash', figures);
});

function summary(load: Load, faults: number, settled: number, exact: object) {
  return {
    clients: CLIENTS,
    faults,
    settledByRetry: settled,
    requests: load.stats.requests,
    writes: load.stats.writes,
    acknowledged: load.stats.acknowledged,
    status503: load.stats.status503,
    retryAfterSeen: load.stats.retryAfterSeen,
    byStatus: load.stats.byStatus,
    exactlyOnce: exact,
  };
}

describe('crash and recovery under load', () => {
  it('kill -9 on a PGlite data folder, twice: restarted on the folder, nothing acknowledged is lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purl-crash-pglite-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const setup = await openDatabase({ dataDir });
    await migrate(setup);
    await prepareDatabase(setup, dir);
    await setup.close();
    const env = { ...baseEnv, PURL_DATA_DIR: dataDir };

    const server = new Restartable(env, 120_000);
    const world = await createWorld((await server.start()).url);
    const load = startLoad(world, { clients: CLIENTS, targets: () => server.urls(), seed: 8001 });
    await server.crashRepeatedly();
    await sleep(PHASE_SECONDS * 1000);
    const settled = await endLoad(load, server.current!.url);
    await stopGently(server.current!);

    const database = await openDatabase({ dataDir });
    try {
      const exact = await checkExactlyOnce(database, load);
      expect(exact.acknowledgedChecked).toBeGreaterThan(0);
      figures.pglite = summary(load, CRASHES, settled, exact);
    } finally {
      await database.close();
    }
  }, 300_000);

  it('kill -9 of one of two servers on PostgreSQL, twice: the other serves on, nothing is lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purl-crash-pg-'));
    dirs.push(dir);
    const url = await createPostgresDatabase();
    const database = await openDatabase({ url, poolSize: 4 });
    try {
      await migrate(database);
      await prepareDatabase(database, dir);
      const env = { ...baseEnv, DATABASE_URL: url };
      const steady = await startServe(env, 90_000);
      const victim = new Restartable(env, 90_000);
      await victim.start();
      const world = await createWorld(steady.url);
      const load = startLoad(world, {
        clients: CLIENTS,
        targets: () => [steady.url, ...victim.urls()],
        seed: 8002,
      });
      await victim.crashRepeatedly();
      await sleep(PHASE_SECONDS * 1000);
      const settled = await endLoad(load, steady.url);
      const exact = await checkExactlyOnce(database, load);
      expect(exact.acknowledgedChecked).toBeGreaterThan(0);
      figures.postgresServerKilled = summary(load, CRASHES, settled, exact);
    } finally {
      await database.close();
    }
  }, 300_000);

  it('PostgreSQL stopped mid-load: 503 with Retry-After while down, the server recovers by itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purl-crash-pgdown-'));
    dirs.push(dir);
    cluster = await startPostgresCluster();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE purl_crash');
    await admin.end();
    const url = cluster.urlFor('purl_crash');
    const setup = await openDatabase({ url, poolSize: 2 });
    await migrate(setup);
    await prepareDatabase(setup, dir);
    await setup.close();

    const server = await startServe({ ...baseEnv, DATABASE_URL: url }, 90_000);
    const world = await createWorld(server.url);
    const load = startLoad(world, { clients: CLIENTS, targets: () => [server.url], seed: 8003 });
    await sleep(PHASE_SECONDS * 1000);
    await cluster.halt();
    const before503 = load.stats.status503;
    await sleep(PHASE_SECONDS * 1000);
    const whileDown = load.stats.status503 - before503;
    // The server lives on without its database.
    expect(server.server.exitCode, server.output().slice(-6000)).toBeNull();
    // A read while it is down: 503, Retry-After, the catalogue's code.
    const down = await fetch(`${server.url}/api/v1/packages?limit=1&probe=down`, {
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(down.status).toBe(503);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe(
      'DATABASE_UNAVAILABLE',
    );
    await cluster.restart();
    // The same server, not restarted, answers again within a minute.
    const back = Date.now();
    let recoveredMs = -1;
    while (Date.now() - back < 60_000) {
      const response = await fetch(`${server.url}/api/v1/packages?limit=1&probe=${Date.now()}`, {
        headers: { 'x-purl-actor': 'coordinator' },
      });
      if (response.status === 200) {
        recoveredMs = Date.now() - back;
        break;
      }
      await sleep(250);
    }
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    await sleep(PHASE_SECONDS * 1000);
    const settled = await endLoad(load, server.url);
    expect(server.server.exitCode).toBeNull();
    await stopGently(server);
    expect(whileDown).toBeGreaterThan(0);
    expect(load.stats.retryAfterSeen).toBe(load.stats.status503);

    const database = await openDatabase({ url, poolSize: 4 });
    try {
      const exact = await checkExactlyOnce(database, load);
      figures.postgresStopped = {
        ...summary(load, 1, settled, exact),
        status503WhileDown: whileDown,
        recoveredAfterRestartMs: recoveredMs,
      };
    } finally {
      await database.close();
    }
  }, 300_000);
});
