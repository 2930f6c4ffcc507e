import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import {
  backupDatabase,
  restoreDatabase,
  type BackupProgress,
} from '../../services/backup-service.js';
import { openDatabase } from '../../storage/database.js';
import { migrate } from '../../storage/migrate.js';
import { withDatabase } from '../context.js';

/** Each step on stderr as it starts, with the seconds since the command began. */
function progressLine(): (progress: BackupProgress) => void {
  const started = performance.now();
  return ({ message }) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`[${seconds.padStart(5)} s] ${message}\n`);
  };
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending migrations to the configured database')
    .action(async () => {
      const database = await openDatabase();
      try {
        const result = await migrate(database);
        for (const m of result.applied)
          process.stdout.write(`applied ${String(m.version).padStart(4, '0')} ${m.name}\n`);
        process.stdout.write(
          `${database.engine} at ${database.location}: schema version ${result.version}` +
            (result.applied.length === 0 ? ' (already up to date)\n' : '\n'),
        );
      } finally {
        await database.close();
      }
    });
  db.command('backup <file>')
    .description(
      'write the whole database to FILE: the embedded database as a gzip tar of its data folder, ' +
        'PostgreSQL as a pg_dump custom archive (written to a temporary name, then renamed)',
    )
    .action(async (file: string) => {
      await withDatabase(async (database) => {
        const result = await backupDatabase(database, systemActor('cli:db-backup'), file, {
          onProgress: progressLine(),
        });
        process.stdout.write(
          `backup written: ${result.file} (${result.engine}, ${result.bytes} bytes, ` +
            `sha256 ${result.sha256}, ${result.auditEvents} audit events, ${result.seconds} s)\n`,
        );
      });
    });
  db.command('restore <file>')
    .description(
      'restore FILE (from `purl db backup`) into the configured database, migrate it, verify the ' +
        'ledger and the audit chain; refuses a database holding records unless --force',
    )
    .option('--force', 'replace a database that holds records (back it up first)')
    .action(async (file: string, options: { force?: boolean }) => {
      const result = await restoreDatabase(systemActor('cli:db-restore'), file, {
        force: options.force === true,
        onProgress: progressLine(),
      });
      process.stdout.write(
        `restored ${result.file} (${result.engine}, sha256 ${result.sha256}) in ${result.seconds} s` +
          `${result.replaced ? ', replacing the records that were there' : ''}; ` +
          `${result.migrationsApplied} migration(s) applied; ledger OK; audit chain OK ` +
          `(${result.auditEvents} events)\n`,
      );
    });
}
