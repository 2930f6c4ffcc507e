/**
 * Soak: two `purl serve` processes on one PostgreSQL database, 16 clients for a bounded time
 * (`PURL_SOAK_SECONDS`, 120 by default; longer on demand) driving every workflow with keyed
 * retries and stale `If-Match` (`workload.ts`). Afterwards every acknowledged write is in the
 * database exactly once, every refused one is absent, and `ledger verify` and `audit verify`
 * pass. No answer is a 5xx.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createPostgresDatabase } from '../support/engines.js';
import { startServe, stopServe } from '../support/serve-process.js';
import {
  checkExactlyOnce,
  createWorld,
  keepLastRun,
  loadServerEnv,
  prepareDatabase,
  startLoad,
} from './workload.js';

const SECONDS = Number(process.env.PURL_SOAK_SECONDS ?? 120);
const CLIENTS = Number(process.env.PURL_SOAK_CLIENTS ?? 16);
const SEED = Number(process.env.PURL_SOAK_SEED ?? 20251015);

describe('soak: two servers on one PostgreSQL', () => {
  let database: Database | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    stopServe();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    `${CLIENTS} clients for ${SECONDS} s: every acknowledged write exactly once, the chains verify`,
    async () => {
      const url = await createPostgresDatabase();
      dir = await mkdtemp(join(tmpdir(), 'purl-soak-'));
      database = await openDatabase({ url, poolSize: 4 });
      await migrate(database);
      await prepareDatabase(database, dir);
      const env = loadServerEnv({ DATABASE_URL: url });
      const servers = await Promise.all([startServe(env, 90_000), startServe(env, 90_000)]);
      const world = await createWorld(servers[0]!.url);
      const started = Date.now();
      const load = startLoad(world, {
        clients: CLIENTS,
        targets: () => servers.map((server) => server.url),
        seed: SEED,
      });
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      await load.stop();
      const elapsedSeconds = (Date.now() - started) / 1000;
      expect(load.violations.slice(0, 20)).toEqual([]);
      const unknown = load.writes.filter((write) => write.outcome === 'unknown');
      expect(
        unknown.map((write) => `${write.path} → ${write.status} ${write.error ?? ''}`),
      ).toEqual([]);
      const exact = await checkExactlyOnce(database, load);
      expect(exact.lost + exact.duplicated + exact.unexpected).toBe(0);
      // The load reached every kind of write and the checks had something to count.
      for (const operation of [
        'pledge',
        'commit',
        'payment',
        'reduce',
        'package',
        'allocate',
        'authorize',
        'disburse',
        'shipment',
        'cancel-package',
        'meeting',
        'announcement',
        'requirement-list',
        'list-submit',
      ])
        expect(load.stats.byOperation[operation] ?? 0, operation).toBeGreaterThan(0);
      expect(load.stats.replaysMatched).toBeGreaterThan(0);
      expect(load.stats.staleIfMatch).toBeGreaterThan(0);
      await keepLastRun('soak', {
        servers: 2,
        clients: CLIENTS,
        seconds: Math.round(elapsedSeconds),
        seed: SEED,
        ...load.stats,
        exactlyOnce: exact,
      });
    },
    (SECONDS + 240) * 1000,
  );
});
