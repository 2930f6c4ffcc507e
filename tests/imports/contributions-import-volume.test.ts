/**
 * The volume target of issue 7: a 100,000-row contributions CSV (half of them committed, so
 * 50,000 commitments on the ledger) imports on PostgreSQL in one transaction. The test asserts
 * what was written — counts, per-currency totals worked out here from the generated rows, the
 * ledger and the audit chain sound — and prints the time it took (a figure for the report, not
 * an assertion: timings depend on the machine).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { importContributions } from '../../src/services/imports/contributions-import.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

const ROWS = 100_000;
const DONORS = ['NLD', 'SWE', 'DNK', 'NOR', 'DEU', 'CAN', 'BEL', 'FIN', 'GBR', 'POL'];
const CURRENCIES = ['EUR', 'SEK', 'DKK', 'NOK', 'EUR', 'CAD', 'EUR', 'EUR', 'GBP', 'PLN'];

/** Row i: donor i mod 10, amount (i + 1) × 1000 units and i mod 100 cents, every other one committed. */
function row(i: number): string {
  const d = i % DONORS.length;
  const amount = `${(i + 1) * 1000}.${String(i % 100).padStart(2, '0')}`;
  const committed = i % 2 === 0;
  return [
    DONORS[d],
    `Tranche ${i + 1}`,
    CURRENCIES[d],
    amount,
    '2025-09-01',
    committed ? 'committed' : 'pledged',
    committed ? '2025-09-15' : '',
    i % 3 === 0 ? 'air_missile_defence;artillery' : '',
    '',
    `VOL-${i + 1}`,
  ].join(',');
}

describe('contributions import of 100,000 rows on postgres', () => {
  let t: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    dir = await mkdtemp(join(tmpdir(), 'purl-volume-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports every row in one transaction, with the commitments on the ledger', async () => {
    const lines = [
      'donor,title,currency,amount,announced_on,status,committed_on,earmark_areas,source_note,external_id',
    ];
    for (let i = 0; i < ROWS; i++) lines.push(row(i));
    const file = join(dir, 'contributions-100k.csv');
    await writeFile(file, lines.join('\n') + '\n');

    // Expected totals, from the generator's own rule (minor units: amount × 100).
    const expected = new Map<string, { rows: number; minor: bigint }>();
    for (let i = 0; i < ROWS; i++) {
      const currency = CURRENCIES[i % DONORS.length]!;
      const e = expected.get(currency) ?? { rows: 0, minor: 0n };
      e.rows++;
      e.minor += BigInt(i + 1) * 100_000n + BigInt(i % 100);
      expected.set(currency, e);
    }

    const started = performance.now();
    const result = await importContributions(t.database, systemActor('test:volume'), { file });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[figure] contributions import, ${ROWS} rows (50% committed) on postgres: ${seconds.toFixed(1)} s`,
    );

    expect(result).toMatchObject({
      rows: ROWS,
      imported: ROWS,
      committed: ROWS / 2,
      errorCount: 0,
    });
    for (const total of result.totals) {
      expect(total.rows).toBe(expected.get(total.currency)!.rows);
      expect(total.amountMinor).toBe(expected.get(total.currency)!.minor);
    }
    const stored = await sql<{ n: number; committed: number; transfers: number }>`
      SELECT (SELECT count(*)::int FROM contribution) AS n,
             (SELECT count(*)::int FROM contribution WHERE status = 'committed') AS committed,
             (SELECT count(*)::int FROM ledger_transfer) AS transfers`.execute(t.database.kysely);
    expect(stored.rows[0]).toEqual({ n: ROWS, committed: ROWS / 2, transfers: ROWS / 2 });
    expect((await verifyLedger(t.database, systemActor('test'))).ok).toBe(true);
    expect((await verifyAudit(t.database, systemActor('test'))).ok).toBe(true);
  }, 300_000);
});
