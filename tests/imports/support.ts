/** What the import tests share: a temp folder, table counts, and catching a DomainError. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { DomainError } from '../../src/core/errors.js';
import type { Database } from '../../src/storage/database.js';

/** `../shared/data/` beside the project root: the real World Bank files. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export const KIEL_FIXTURE = fileURLToPath(
  new URL('../fixtures/imports/kiel-data_explorer.csv', import.meta.url),
);

export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

/** A temp folder that writes numbered files. */
export async function tempFolder(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let n = 0;
  return {
    dir,
    async write(content: string | Uint8Array, name?: string): Promise<string> {
      const path = join(dir, name ?? `file-${++n}.csv`);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Rows of each table an import may write, and of the audit chain. */
export async function counts(database: Database) {
  const result = await sql<{
    indicators: number;
    kiel: number;
    contributions: number;
    accounts: number;
    transfers: number;
    audits: number;
  }>`
    SELECT (SELECT count(*)::int FROM country_indicator) AS indicators,
           (SELECT count(*)::int FROM kiel_figure) AS kiel,
           (SELECT count(*)::int FROM contribution) AS contributions,
           (SELECT count(*)::int FROM ledger_account) AS accounts,
           (SELECT count(*)::int FROM ledger_transfer) AS transfers,
           (SELECT count(*)::int FROM audit_event) AS audits`.execute(database.kysely);
  return result.rows[0]!;
}

/** `n / d` rounded half to even, for bigints (d > 0): the tests' own rounding. */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const m = negative ? -n : n;
  const q = m / d;
  const r2 = (m - q * d) * 2n;
  const rounded = r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
  return negative ? -rounded : rounded;
}
