/**
 * Applies the SQL migrations of `src/storage/migrations` (`NNNN_name.sql`, in order) to either
 * engine. All pending migrations run in one transaction under an advisory lock, so two servers
 * starting together never apply one twice, and a failed migration leaves nothing behind.
 * A file changed after it was applied is refused (its checksum no longer matches).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant naming the migration lock. */
const MIGRATION_LOCK_KEY = 7_261_003;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: Migration[];
  version: number;
}

export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR))
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(MIGRATIONS_DIR + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

export async function migrate(database: Database): Promise<MigrationResult> {
  const migrations = await loadMigrations();
  return database.withConnection(async (connection) => {
    await connection.exec('BEGIN');
    try {
      await connection.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await connection.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   char(64) NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const rows = await connection.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migration ORDER BY version',
      );
      const done = new Map(rows.map((r) => [r.version, r]));
      const applied: Migration[] = [];
      for (const migration of migrations) {
        const previous = done.get(migration.version);
        if (previous) {
          if (previous.checksum !== migration.checksum) {
            throw new Error(
              `Migration ${migration.version} (${migration.name}) was changed after it was applied; ` +
                'add a new migration instead of editing an applied one.',
            );
          }
          continue;
        }
        await connection.exec(migration.sql);
        await connection.query(
          'INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)',
          [migration.version, migration.name, migration.checksum],
        );
        applied.push(migration);
      }
      await connection.exec('COMMIT');
      return { applied, version: migrations.at(-1)?.version ?? 0 };
    } catch (error) {
      await connection.exec('ROLLBACK');
      throw error;
    }
  });
}

/** The highest applied migration version, or 0 on an empty database. */
export async function migrationVersion(database: Database): Promise<number> {
  return database.withConnection(async (connection) => {
    const exists = await connection.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migration') IS NOT NULL AS present",
    );
    if (!exists[0]?.present) return 0;
    const rows = await connection.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migration',
    );
    return rows[0]?.version ?? 0;
  });
}
