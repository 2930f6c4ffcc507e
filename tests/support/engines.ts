/**
 * Runs a suite on both engines. `ENGINES` is the list every storage and ledger test loops over;
 * `openTestDatabase` gives each suite a fresh, migrated database: PGlite in memory, or a new
 * database on the run's PostgreSQL cluster.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

export interface TestDatabase {
  database: Database;
  /** PostgreSQL only: the connection string of this suite's database. */
  url?: string;
  close(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `purl_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

export async function openTestDatabase(
  engine: Engine,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  let database: Database;
  let url: string | undefined;
  if (engine === 'pglite') {
    database = await openDatabase({ memory: true });
  } else {
    url = await createPostgresDatabase();
    database = await openDatabase({ url, poolSize: options.poolSize ?? 16 });
  }
  if (options.migrate !== false) await migrate(database);
  return { database, ...(url ? { url } : {}), close: () => database.close() };
}
