/**
 * `purl db backup` / `purl db restore` (services/backup-service.ts), both engines: a round trip
 * restores every record of the demo (every table's row count, the ledger and the audit chain
 * verify), a restore over a database holding records is refused without --force and changes
 * nothing, --force replaces it, and a file of the other engine or not a backup at all is refused
 * with what to do. The CLI is run once end to end on the embedded database.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { isDomainError } from '../../src/core/errors.js';
import {
  backupDatabase,
  backupEngineOf,
  restoreDatabase,
} from '../../src/services/backup-service.js';
import { loadDemo } from '../../src/services/demo-service.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { ENGINES, createPostgresDatabase } from '../support/engines.js';

const actor = systemActor('test:backup');
const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));

/** Every table's row count (the audit tables apart: a backup and a restore each add an event). */
async function tableCounts(database: Database): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    database.kysely,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: bigint }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(
      database.kysely,
    );
    counts[name] = Number(result.rows[0]!.n);
  }
  return counts;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(ENGINES)('backup and restore (%s)', (engine) => {
  let dir: string;
  let source: Database;
  let sourceUrl: string | undefined;
  /** Where a restore goes: a fresh data folder, or a fresh PostgreSQL database. */
  let target: { dataDir?: string; url?: string };
  let before: Record<string, number>;
  let file: string;

  const openTarget = () =>
    target.url ? openDatabase({ url: target.url }) : openDatabase({ dataDir: target.dataDir! });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'purl-backup-'));
    sourceUrl = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    source = sourceUrl
      ? await openDatabase({ url: sourceUrl })
      : await openDatabase({ dataDir: join(dir, 'source') });
    await migrate(source);
    await loadDemo(source);
    before = await tableCounts(source);
    target =
      engine === 'pglite'
        ? { dataDir: join(dir, 'target') }
        : { url: await createPostgresDatabase() };
  }, 180_000);
  afterAll(async () => {
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a backup the restore recognises, and records it in the audit chain', async () => {
    file = join(dir, engine === 'pglite' ? 'purl.tar.gz' : 'purl.dump');
    const steps: string[] = [];
    const result = await backupDatabase(source, actor, file, {
      url: sourceUrl,
      onProgress: (p) => steps.push(p.step),
    });
    expect(result).toMatchObject({ engine, file, auditEvents: String(before.audit_event) });
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(steps[0]).toBe('dump');
    expect(await backupEngineOf(file)).toBe(engine);
    const after = await tableCounts(source);
    expect(after.audit_event).toBe(before.audit_event! + 1); // the backup's own event
  });

  it('restores every record into an empty database; the ledger and the audit chain verify', async () => {
    const steps: string[] = [];
    const result = await restoreDatabase(actor, file, {
      ...target,
      onProgress: (p) => steps.push(p.step),
    });
    expect(result).toMatchObject({ engine, ledgerOk: true, auditOk: true, replaced: false });
    expect(result.migrationsApplied).toBe(0);
    expect(steps).toContain('verify');
    const restored = await openTarget();
    try {
      const counts = await tableCounts(restored);
      // Every table as it was at the backup, plus the restore's own audit event.
      expect({ ...counts, audit_event: counts.audit_event! - 1 }).toEqual(before);
    } finally {
      await restored.close();
    }
  });

  it('refuses to restore over a database holding records without --force, and changes nothing', async () => {
    const target0 = await openTarget();
    const counts0 = await tableCounts(target0);
    await target0.close();
    const refused = await refusal(restoreDatabase(actor, file, target));
    expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(refused.message).toMatch(/--force/);
    const target1 = await openTarget();
    expect(await tableCounts(target1)).toEqual(counts0);
    await target1.close();

    const forced = await restoreDatabase(actor, file, { ...target, force: true });
    expect(forced).toMatchObject({ replaced: true, ledgerOk: true, auditOk: true });
    const target2 = await openTarget();
    const counts2 = await tableCounts(target2);
    await target2.close();
    expect({ ...counts2, audit_event: counts2.audit_event! - 1 }).toEqual(before);
  });

  it('refuses a file of the other engine and a file that is no backup, naming what to do', async () => {
    const other = join(dir, 'other-engine');
    await writeFile(other, engine === 'pglite' ? 'PGDMP\u0001rest' : Buffer.from([0x1f, 0x8b, 8]));
    const wrong = await refusal(restoreDatabase(actor, other, target));
    expect(wrong.code).toBe('VALIDATION_FAILED');
    expect(wrong.message).toMatch(engine === 'pglite' ? /DATABASE_URL/ : /without DATABASE_URL/);
    const junk = join(dir, 'junk');
    await writeFile(junk, 'not a backup');
    expect((await refusal(restoreDatabase(actor, junk, target))).message).toMatch(
      /not a PURL Ledger backup/,
    );
    expect((await refusal(restoreDatabase(actor, join(dir, 'absent'), target))).message).toMatch(
      /No backup file/,
    );
  });
});

describe('purl db backup / restore from the command line (embedded database)', () => {
  it(
    'backs up, refuses a restore over records, restores with --force',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'purl-backup-cli-'));
      try {
        const run = promisify(execFile);
        const env: NodeJS.ProcessEnv = { ...process.env, PURL_DATA_DIR: join(dir, 'data') };
        delete env.DATABASE_URL;
        const database = await openDatabase({ dataDir: env.PURL_DATA_DIR });
        await migrate(database);
        await loadDemo(database);
        await database.close();
        const file = join(dir, 'backup.tar.gz');
        const backup = await run(process.execPath, [PURL, 'db', 'backup', file], { env });
        expect(backup.stdout).toMatch(/backup written/);
        const refused = await run(process.execPath, [PURL, 'db', 'restore', file], { env }).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        );
        expect(refused?.code).toBeGreaterThan(0);
        expect(refused?.stderr).toMatch(/RESTORE_TARGET_NOT_EMPTY/);
        const restored = await run(process.execPath, [PURL, 'db', 'restore', file, '--force'], {
          env,
        });
        expect(restored.stdout).toMatch(/restored/);
        expect(restored.stdout).toMatch(/ledger OK.*audit chain OK/s);
        const verify = await run(process.execPath, [PURL, 'audit', 'verify'], { env });
        expect(verify.stdout).toMatch(/audit chain OK/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
