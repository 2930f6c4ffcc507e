import type { Command } from 'commander';
import { openDatabase } from '../../storage/database.js';
import { migrate } from '../../storage/migrate.js';

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
}
