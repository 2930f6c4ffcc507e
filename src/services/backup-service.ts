/**
 * `purl db backup` and `purl db restore`, for both engines, each in its own native format:
 *
 * - **PGlite**: the whole data folder as a gzip tar (`Database.dumpDataDir`, taken under the
 *   connection's mutex, so no transaction is half in it). Restored into a new folder beside the
 *   target, checked there, then swapped into place: the folder in use is never half-written.
 * - **PostgreSQL**: `pg_dump --format=custom` (the server's own consistent snapshot), restored
 *   by `pg_restore --clean --if-exists --single-transaction` (all or nothing).
 *
 * A restore refuses a database that holds records (any audit event: every write appends one)
 * unless forced; afterwards it applies pending migrations (a backup of an older version), runs
 * `ledger verify` and `audit verify`, and records the restore in the audit chain. A backup file
 * is written to a temporary name and renamed, so a failed backup leaves no partial file. The
 * engine a file belongs to is read from its first bytes; a file of the other engine is refused
 * with what to do instead.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { readDataVersion } from '../storage/analytics-repository.js';
import {
  isFreshDataDir,
  openDatabase,
  pgliteDataDirFromEnv,
  type Database,
  type Engine,
} from '../storage/database.js';
import { migrate } from '../storage/migrate.js';
import { inTransaction, sqlState } from '../storage/transaction.js';
import { recordAudit, verifyAudit } from './audit-service.js';
import { writeGzipAtomically } from './gzip-file.js';
import { verifyLedger } from './ledger-service.js';

/** SQLSTATE of a missing table: a database the migrations never ran on. */
const UNDEFINED_TABLE = '42P01';

/** Where PostgreSQL's client programs are (`pg_dump`, `pg_restore`): `PURL_PG_BIN`, else 15's. */
function pgBin(program: 'pg_dump' | 'pg_restore'): string {
  return join(process.env.PURL_PG_BIN ?? '/usr/lib/postgresql/15/bin', program);
}

export interface BackupProgress {
  step: 'dump' | 'write' | 'check' | 'restore' | 'migrate' | 'verify' | 'swap';
  message: string;
}

export interface BackupResult {
  engine: Engine;
  file: string;
  bytes: number;
  sha256: string;
  /** Audit events in the backup (the data version it was taken at). */
  auditEvents: string;
  seconds: number;
}

export interface RestoreResult extends BackupResult {
  /** Migrations applied after the restore (a backup of an older schema version). */
  migrationsApplied: number;
  ledgerOk: boolean;
  auditOk: boolean;
  /** Whether a database holding records was replaced (`--force`). */
  replaced: boolean;
}

const PGLITE_MAGIC = Buffer.from([0x1f, 0x8b]); // gzip
const PG_CUSTOM_MAGIC = Buffer.from('PGDMP', 'ascii');

/** The engine a backup file was taken from, by its first bytes. */
export async function backupEngineOf(file: string): Promise<Engine> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new DomainError(
      'VALIDATION_FAILED',
      error.code === 'ENOENT'
        ? `No backup file at ${file}: give the path \`purl db backup\` wrote.`
        : `Cannot read the backup file ${file}: ${error.message}`,
      { field: 'file' },
    );
  });
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    if (head.subarray(0, 2).equals(PGLITE_MAGIC)) return 'pglite';
    if (head.equals(PG_CUSTOM_MAGIC)) return 'postgres';
  } finally {
    await handle.close();
  }
  throw new DomainError(
    'VALIDATION_FAILED',
    `${file} is not a PURL Ledger backup (neither a PGlite data dump nor a pg_dump custom archive).`,
    { field: 'file' },
  );
}

export interface BackupOptions {
  /** PostgreSQL: the connection string `pg_dump` uses; default `DATABASE_URL`. */
  url?: string | undefined;
  onProgress?: (progress: BackupProgress) => void;
}

/** Writes the whole database to `file` (atomically), then records the backup in the audit chain. */
export async function backupDatabase(
  database: Database,
  actor: Actor,
  file: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const onProgress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  const target = resolve(file);
  const auditEvents = await readDataVersion(database.kysely);
  let written: { bytes: number; sha256: string };
  if (database.engine === 'pglite') {
    onProgress({ step: 'dump', message: `dumping the data folder ${database.location}` });
    const dump = await database.dumpDataDir!();
    onProgress({ step: 'write', message: `writing ${target} (gzip)` });
    written = await writeGzipAtomically(dump, target);
  } else {
    onProgress({ step: 'dump', message: `pg_dump of ${database.location}` });
    await mkdir(dirname(target), { recursive: true });
    const partial = join(dirname(target), `.${basename(target)}.${randomUUID()}.partial`);
    try {
      await run(
        pgBin('pg_dump'),
        ['--format=custom', '--no-owner', '--file', partial],
        database,
        options.url,
      );
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    written = digest(await readFile(target));
  }
  const { bytes, sha256 } = written;
  const result: BackupResult = {
    engine: database.engine,
    file: target,
    bytes,
    sha256,
    auditEvents: String(auditEvents),
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  await inTransaction(database, (tx) =>
    recordAudit(tx, actor, { entity: 'database', action: 'backup', after: result }),
  );
  return result;
}

export interface RestoreOptions {
  /** Replace a database that holds records. */
  force?: boolean;
  onProgress?: (progress: BackupProgress) => void;
  /** PostgreSQL: the database to restore into; default `DATABASE_URL`. */
  url?: string;
  /** PGlite: the data folder to restore into; default `PURL_DATA_DIR` or `./data`. */
  dataDir?: string;
}

/**
 * Restores `file` into the configured database (PostgreSQL when `url` / `DATABASE_URL` is set,
 * else the PGlite data folder), then migrates, verifies and records it.
 */
export async function restoreDatabase(
  actor: Actor,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const say = options.onProgress ?? (() => undefined);
  const source = resolve(file);
  const engine = await backupEngineOf(source);
  const url = options.url ?? process.env.DATABASE_URL;
  const targetEngine: Engine = url ? 'postgres' : 'pglite';
  if (engine !== targetEngine) {
    throw new DomainError(
      'VALIDATION_FAILED',
      engine === 'pglite'
        ? `${file} is a backup of the embedded database (PGlite); restore it without DATABASE_URL set.`
        : `${file} is a backup of a PostgreSQL server; set DATABASE_URL to the database to restore it into.`,
      { field: 'file', backupEngine: engine, targetEngine },
    );
  }
  // Read once: hashed here, and (PGlite) handed to the restore as it is.
  const contents = await readFile(source);
  const { bytes, sha256 } = digest(contents);
  say({ step: 'check', message: `backup ${source}: ${engine}, ${bytes} bytes, sha256 ${sha256}` });
  if (engine === 'pglite') {
    return restorePglite(actor, source, contents, { bytes, sha256, started }, options);
  }
  return restorePostgres(actor, source, url!, { bytes, sha256, started }, options);
}

interface Digest {
  bytes: number;
  sha256: string;
  started: number;
}

/** Refuses a database holding records unless forced; says whether it held any. */
async function checkReplaceable(database: Database, force: boolean): Promise<boolean> {
  // A database without our schema (undefined_table) holds none of our records; any other
  // failure (unreachable, no permission) is not a reason to replace anything.
  const events = await readDataVersion(database.kysely).catch((error: unknown) => {
    if (sqlState(error) === UNDEFINED_TABLE) return 0n;
    throw error;
  });
  if (events > 0n && !force) {
    throw new DomainError(
      'RESTORE_TARGET_NOT_EMPTY',
      `The database at ${database.location} holds records (${events} audit events): a restore ` +
        'would replace them all. Back it up first (`purl db backup FILE`), then restore with --force.',
      { field: 'force', auditEvents: String(events) },
    );
  }
  return events > 0n;
}

async function restorePglite(
  actor: Actor,
  source: string,
  contents: Buffer,
  digestOf: Digest,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const say = options.onProgress ?? (() => undefined);
  const dataDir = resolve(options.dataDir ?? pgliteDataDirFromEnv());
  let replaced = false;
  if (!(await isFreshDataDir(dataDir))) {
    const current = await openDatabase({ dataDir });
    try {
      replaced = await checkReplaceable(current, options.force === true);
    } finally {
      await current.close();
    }
  }
  // Restored and checked beside the target; the target changes only by two renames at the end.
  const staging = `${dataDir}.restoring-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  let result: RestoreResult;
  try {
    say({ step: 'restore', message: `restoring into ${staging}` });
    const database = await openDatabase({
      dataDir: staging,
      template: new Blob([contents]),
    });
    try {
      result = await afterRestore(database, actor, source, digestOf, replaced, say);
    } finally {
      await database.close();
    }
    say({ step: 'swap', message: `moving the restored folder into ${dataDir}` });
    const previous = `${dataDir}.replaced-${process.pid}`;
    const hadFolder = await stat(dataDir).then(
      () => true,
      () => false,
    );
    if (hadFolder) await rename(dataDir, previous);
    await rename(staging, dataDir);
    if (hadFolder) await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return result;
}

async function restorePostgres(
  actor: Actor,
  source: string,
  url: string,
  digestOf: Digest,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const say = options.onProgress ?? (() => undefined);
  const database = await openDatabase({ url });
  try {
    const replaced = await checkReplaceable(database, options.force === true);
    say({ step: 'restore', message: `pg_restore into ${database.location} (one transaction)` });
    await run(
      pgBin('pg_restore'),
      ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', source],
      database,
      url,
    );
    return await afterRestore(database, actor, source, digestOf, replaced, say);
  } finally {
    await database.close();
  }
}

async function afterRestore(
  database: Database,
  actor: Actor,
  source: string,
  digestOf: Digest,
  replaced: boolean,
  say: (progress: BackupProgress) => void,
): Promise<RestoreResult> {
  say({ step: 'migrate', message: 'applying pending migrations' });
  const { applied } = await migrate(database);
  say({ step: 'verify', message: 'ledger verify and audit verify' });
  const ledger = await verifyLedger(database, actor);
  const audit = await verifyAudit(database, actor);
  const auditEvents = await readDataVersion(database.kysely);
  if (!ledger.ok || !audit.ok) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The restored database does not verify (ledger ${ledger.ok ? 'OK' : 'BROKEN'}, audit ` +
        `chain ${audit.ok ? 'OK' : 'BROKEN'}): nothing was replaced. Run \`purl ledger verify\` ` +
        'and `purl audit verify` on the database the backup was taken from.',
      { field: 'file' },
    );
  }
  const result: RestoreResult = {
    engine: database.engine,
    file: source,
    bytes: digestOf.bytes,
    sha256: digestOf.sha256,
    auditEvents: String(auditEvents),
    seconds: Number(((performance.now() - digestOf.started) / 1000).toFixed(2)),
    migrationsApplied: applied.length,
    ledgerOk: ledger.ok,
    auditOk: audit.ok,
    replaced,
  };
  await inTransaction(database, (tx) =>
    recordAudit(tx, actor, { entity: 'database', action: 'restore', after: result }),
  );
  return result;
}

function digest(contents: Buffer): { bytes: number; sha256: string } {
  return { bytes: contents.length, sha256: createHash('sha256').update(contents).digest('hex') };
}

/** Runs a PostgreSQL client program against the database; its stderr becomes the error. */
function run(program: string, args: string[], database: Database, url?: string): Promise<void> {
  const connection = url ?? process.env.DATABASE_URL;
  if (!connection) throw new Error(`${basename(program)}: no connection string`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, [...args, `--dbname=${connection}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new DomainError(
          'DATABASE_UNAVAILABLE',
          error.code === 'ENOENT'
            ? `${program} is missing: install PostgreSQL's client programs or set PURL_PG_BIN.`
            : error.message,
          { location: database.location },
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(
            new DomainError(
              'DATABASE_UNAVAILABLE',
              `${basename(program)} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`,
              { location: database.location },
            ),
          ),
    );
  });
}
