import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationVersion, loadMigrations } from '../../src/storage/migrate.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('storage on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  });
  afterAll(async () => t?.close());

  it('applies every migration once and reports the version; a second run applies nothing', async () => {
    const migrations = await loadMigrations();
    expect(await migrationVersion(t.database)).toBe(migrations.at(-1)!.version);
    const again = await migrate(t.database);
    expect(again.applied).toEqual([]);
  });

  it('returns int8 as bigint, numeric as exact string and date as YYYY-MM-DD on both engines', async () => {
    const row = await sql<{ big: bigint; exact: string; day: string }>`
      SELECT 9223372036854775807::int8 AS big, 1.10000000000000000001::numeric AS exact, '2025-08-04'::date AS day`.execute(
      t.database.kysely,
    );
    expect(row.rows[0]).toEqual({
      big: 9223372036854775807n,
      exact: '1.10000000000000000001',
      day: '2025-08-04',
    });
  });

  it('accepts bigint parameters beyond 2^53 without losing a digit', async () => {
    const big = 2n ** 62n + 1n;
    const row = await sql<{ v: bigint }>`SELECT ${big}::int8 AS v`.execute(t.database.kysely);
    expect(row.rows[0]!.v).toBe(big);
  });

  it('knows ISO 4217 minor units (JPY 0, USD 2, KWD 3) and historical ECB currencies', async () => {
    const rows = await t.database.kysely
      .selectFrom('currency')
      .select(['code', 'minor_unit'])
      .where('code', 'in', ['JPY', 'USD', 'KWD', 'CYP'])
      .orderBy('code')
      .execute();
    expect(rows).toEqual([
      { code: 'CYP', minor_unit: 2 },
      { code: 'JPY', minor_unit: 0 },
      { code: 'KWD', minor_unit: 3 },
      { code: 'USD', minor_unit: 2 },
    ]);
  });

  it('rolls a failed transaction back whole: nothing half-written survives', async () => {
    await expect(
      inTransaction(t.database, async (tx) => {
        await tx
          .insertInto('ledger_account')
          .values({ ledger: 'EUR', code: 1, reference: 'rollback-probe' })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const found = await t.database.kysely
      .selectFrom('ledger_account')
      .select('id')
      .where('reference', '=', 'rollback-probe')
      .execute();
    expect(found).toEqual([]);
  });

  it('refuses UPDATE and DELETE on append-only tables', async () => {
    await expect(
      sql`UPDATE audit_head SET last_id = last_id`.execute(t.database.kysely),
    ).resolves.toBeDefined();
    await expect(sql`DELETE FROM audit_event`.execute(t.database.kysely)).resolves.toBeDefined(); // no rows: trigger is per row
    await t.database.kysely
      .insertInto('ledger_account')
      .values({ ledger: 'EUR', code: 1, reference: 'ao-a' })
      .execute();
    await t.database.kysely
      .insertInto('ledger_account')
      .values({ ledger: 'EUR', code: 1, reference: 'ao-b' })
      .execute();
    const [a, b] = await t.database.kysely
      .selectFrom('ledger_account')
      .select('id')
      .where('reference', 'in', ['ao-a', 'ao-b'])
      .orderBy('reference')
      .execute();
    await t.database.kysely
      .insertInto('ledger_transfer')
      .values({
        idempotency_key: 'ao-1',
        payload_hash: '0'.repeat(64),
        ledger: 'EUR',
        kind: 'posted',
        debit_account_id: a!.id,
        credit_account_id: b!.id,
        amount: 5n,
        code: 1,
      })
      .execute();
    await expect(
      sql`UPDATE ledger_transfer SET amount = 6 WHERE idempotency_key = 'ao-1'`.execute(
        t.database.kysely,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`DELETE FROM ledger_transfer WHERE idempotency_key = 'ao-1'`.execute(t.database.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE ledger_transfer CASCADE`.execute(t.database.kysely)).rejects.toThrow(
      /append-only/,
    );
  });
});
