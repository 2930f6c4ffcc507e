/** What every command shares: opening the configured database, and reporting errors. */
import { DomainError, isDomainError } from '../core/errors.js';
import { isDatabaseUnavailableError } from '../storage/database-errors.js';
import { openDatabase, type Database } from '../storage/database.js';
import { migrate } from '../storage/migrate.js';
import { EXIT_CODES } from './exit-codes.js';

/** Opens the database named by the environment (DATABASE_URL, else PGlite in PURL_DATA_DIR), migrated. */
export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase();
  try {
    await migrate(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Prints an error the way a user can act on, and returns the exit code. */
export function reportError(thrown: unknown): number {
  const error = isDatabaseUnavailableError(thrown)
    ? new DomainError('DATABASE_UNAVAILABLE')
    : thrown;
  if (isDomainError(error)) {
    const field = error.details.field ? ` (field: ${error.details.field})` : '';
    process.stderr.write(`error ${error.code}${field}: ${error.message}\n`);
    const rest = Object.entries(error.details).filter(([k]) => k !== 'field');
    for (const [key, value] of rest) process.stderr.write(`  ${key}: ${String(value)}\n`);
    return EXIT_CODES[error.code];
  }
  process.stderr.write(
    `error INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT_CODES.INTERNAL;
}
