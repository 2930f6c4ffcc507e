/**
 * Databases holding the demo for a benchmark's server: a fresh PGlite data folder, or a fresh
 * database on a throwaway PostgreSQL 15 cluster (durable defaults, as `bench/ledger.ts`). The
 * demo is loaded by the product's own CLI, `purl demo load` (with `--scale N` when asked).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  startPostgresCluster,
  type PostgresCluster,
} from '../../tests/support/postgres-cluster.js';
import { onInterrupt, runPurl } from './processes.js';

export type BenchEngine = 'pglite' | 'postgres';

export function parseEngines(text: string): BenchEngine[] {
  if (text === 'both') return ['pglite', 'postgres'];
  if (text === 'pglite' || text === 'postgres') return [text];
  throw new Error(`--engine must be pglite, postgres or both, not "${text}"`);
}

export interface DemoDatabase {
  engine: BenchEngine;
  /** What the server needs in its environment: PURL_DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  /** What was loaded: `demo`, or `demo --scale N`. */
  data: string;
  loadSeconds: number;
  drop(): Promise<void>;
}

let cluster: PostgresCluster | undefined;
let databases = 0;

/** The one PostgreSQL cluster of this benchmark run (started on first use). */
export async function postgresCluster(): Promise<PostgresCluster> {
  if (!cluster) {
    cluster = await startPostgresCluster({ settings: { max_connections: '100' } });
    onInterrupt(stopPostgresCluster);
  }
  return cluster;
}

export async function stopPostgresCluster(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}

/** Whether the CLI in this tree has `purl demo load --scale N` yet. */
export async function demoScaleAvailable(): Promise<boolean> {
  const { output } = await runPurl(['demo', 'load', '--help'], {});
  return output.includes('--scale');
}

/** A fresh, empty database of `engine`: its server environment and how to drop it. */
export async function emptyDatabase(
  engine: BenchEngine,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'purl-bench-data-'));
    return {
      env: { PURL_DATA_DIR: dir },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const server = await postgresCluster();
  const name = `purl_bench_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    env: { DATABASE_URL: server.urlFor(name) },
    async drop() {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh database of `engine` with the demo (at `scale` when given) loaded by the CLI. */
export async function demoDatabase(engine: BenchEngine, scale?: number): Promise<DemoDatabase> {
  const database = await emptyDatabase(engine);
  const args = ['demo', 'load', ...(scale === undefined ? [] : ['--scale', String(scale)])];
  process.stderr.write(`[${engine}] purl ${args.join(' ')}…\n`);
  try {
    const { ms } = await runPurl(args, database.env);
    return {
      engine,
      env: database.env,
      data: scale === undefined ? 'demo' : `demo --scale ${scale}`,
      loadSeconds: Number((ms / 1000).toFixed(1)),
      drop: database.drop,
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
