/**
 * Concurrency on real PostgreSQL: 8 workers on overlapping hot accounts, with repeated and
 * racing idempotency keys. No lost update, no duplicate transfer, no overdraft; a deadlock or
 * serialization failure is retried and never reaches the caller as a business error.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import type { Account, TransferInput } from '../../src/core/ledger.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import {
  createAccount,
  createTransfers,
  getAccount,
  verifyLedger,
} from '../../src/services/ledger-service.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

const actor = systemActor('concurrency-test');
const WORKERS = 8;

/** A deterministic pseudo-random generator per worker (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ledger concurrency on postgres', () => {
  let t: TestDatabase;
  let source: Account;
  let sink: Account;
  let wallets: Account[];

  beforeAll(async () => {
    t = await openTestDatabase('postgres', { poolSize: WORKERS + 4 });
    source = await createAccount(t.database, actor, {
      reference: 'source',
      ledger: 'USD',
      code: 1,
    });
    sink = await createAccount(t.database, actor, { reference: 'sink', ledger: 'USD', code: 1 });
    wallets = [];
    for (let i = 0; i < 3; i++) {
      wallets.push(
        await createAccount(t.database, actor, {
          reference: `hot:${i}`,
          ledger: 'USD',
          code: 2,
          debitsMustNotExceedCredits: true,
        }),
      );
    }
    await createTransfers(
      t.database,
      actor,
      wallets.map((w, i) => ({
        kind: 'posted',
        idempotencyKey: `fund:${i}`,
        debitAccountId: source.id,
        creditAccountId: w.id,
        amountMinor: 1_000_000n,
        code: 1,
      })),
    );
  });
  afterAll(async () => t?.close());

  it('8 workers on 3 hot accounts with repeated and racing keys: no lost update, no duplicate, no error', async () => {
    const acknowledged = new Map<string, { input: TransferInput; id: bigint }>();
    const errors: unknown[] = [];
    const ops = 60;

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const rnd = random(w + 1);
        const mine: TransferInput[] = [];
        for (let i = 0; i < ops; i++) {
          let input: TransferInput;
          const roll = rnd();
          if (roll < 0.15 && mine.length > 0) {
            input = mine[Math.floor(rnd() * mine.length)]!; // retry of an earlier request
          } else if (roll < 0.3) {
            // Racing key: every worker sends the same request for this slot at about the same time.
            input = {
              kind: 'posted',
              idempotencyKey: `shared:${i}`,
              debitAccountId: wallets[i % 3]!.id,
              creditAccountId: sink.id,
              amountMinor: 7n,
              code: 3,
            };
          } else {
            const from = wallets[Math.floor(rnd() * 3)]!;
            const to =
              rnd() < 0.3 ? sink : wallets.filter((x) => x !== from)[Math.floor(rnd() * 2)]!;
            input = {
              kind: 'posted',
              idempotencyKey: `w${w}:${i}`,
              debitAccountId: from.id,
              creditAccountId: to.id,
              amountMinor: BigInt(1 + Math.floor(rnd() * 50)),
              code: 2,
            };
            mine.push(input);
          }
          try {
            const result = await createTransfers(t.database, actor, [input]);
            const id = result.transfers[0]!.id;
            const seen = acknowledged.get(input.idempotencyKey);
            if (seen)
              expect(seen.id).toBe(id); // a replay returns the first result
            else acknowledged.set(input.idempotencyKey, { input, id });
          } catch (error) {
            errors.push(error);
          }
        }
      }),
    );

    expect(errors).toEqual([]);
    // No duplicate: exactly one row per acknowledged key.
    const rows = await t.database.kysely
      .selectFrom('ledger_transfer')
      .select(['idempotency_key', 'id'])
      .where('code', 'in', [2, 3])
      .execute();
    expect(rows.length).toBe(acknowledged.size);
    for (const row of rows) expect(acknowledged.get(row.idempotency_key)?.id).toBe(row.id);

    // No lost update: every balance equals what the acknowledged transfers add up to.
    const expected = new Map<bigint, bigint>();
    for (const w of wallets) expected.set(w.id, 1_000_000n);
    expected.set(sink.id, 0n);
    for (const { input } of acknowledged.values()) {
      if (input.kind !== 'posted') continue;
      expected.set(input.debitAccountId, expected.get(input.debitAccountId)! - input.amountMinor);
      expected.set(input.creditAccountId, expected.get(input.creditAccountId)! + input.amountMinor);
    }
    for (const account of [...wallets, sink]) {
      const a = await getAccount(t.database, actor, account.id);
      expect(a.creditsPostedMinor - a.debitsPostedMinor, account.reference).toBe(
        expected.get(account.id),
      );
    }
    expect((await verifyLedger(t.database, actor)).ok).toBe(true);
    expect((await verifyAudit(t.database, actor)).ok).toBe(true);
  });

  it('draining one hot account from 8 workers succeeds exactly as often as the money allows', async () => {
    const drained = await createAccount(t.database, actor, {
      reference: 'drained',
      ledger: 'USD',
      code: 2,
      debitsMustNotExceedCredits: true,
    });
    await createTransfers(t.database, actor, [
      {
        kind: 'posted',
        idempotencyKey: 'fund:drained',
        debitAccountId: source.id,
        creditAccountId: drained.id,
        amountMinor: 1_000n,
        code: 1,
      },
    ]);
    const outcomes = await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const codes: string[] = [];
        for (let i = 0; i < 30; i++) {
          try {
            await createTransfers(t.database, actor, [
              {
                kind: i % 2 ? 'posted' : 'pending',
                idempotencyKey: `drain:${w}:${i}`,
                debitAccountId: drained.id,
                creditAccountId: sink.id,
                amountMinor: 10n,
                code: 4,
              },
            ]);
            codes.push('ok');
          } catch (error) {
            codes.push(error instanceof DomainError ? error.code : `unexpected: ${String(error)}`);
          }
        }
        return codes;
      }),
    );
    const all = outcomes.flat();
    // 1,000 / 10 = 100 transfers fit; every other attempt is an honest refusal.
    expect(all.filter((c) => c === 'ok')).toHaveLength(100);
    expect(all.filter((c) => c !== 'ok').every((c) => c === 'EXCEEDS_CREDITS')).toBe(true);
    const a = await getAccount(t.database, actor, drained.id);
    expect(a.creditsPostedMinor - a.debitsPostedMinor - a.debitsPendingMinor).toBe(0n);
  });

  it('a real deadlock against the ledger is retried: the transfer succeeds, no business error', async () => {
    const a = await createAccount(t.database, actor, { reference: 'dl:a', ledger: 'USD', code: 1 });
    const b = await createAccount(t.database, actor, { reference: 'dl:b', ledger: 'USD', code: 1 });
    const deadlocksBefore = await deadlockCount(t);
    // Another client locks b, then (once the ledger holds a and waits for b) asks for a.
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM ledger_account WHERE id = $1 FOR UPDATE', [b.id.toString()]);
    const transfer = createTransfers(t.database, actor, [
      {
        kind: 'posted',
        idempotencyKey: 'dl:1',
        debitAccountId: a.id,
        creditAccountId: b.id,
        amountMinor: 5n,
        code: 1,
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the ledger now holds a, waits for b
    const otherResult = other
      .query('SELECT 1 FROM ledger_account WHERE id = $1 FOR UPDATE', [a.id.toString()])
      .then(
        () => 'locked',
        (e: { code?: string }) => e.code,
      );
    const [outcome, otherOutcome] = await Promise.all([
      transfer.then((r) => r.transfers[0]!.amountMinor),
      otherResult.then(async (r) => {
        await other.query('ROLLBACK');
        return r;
      }),
    ]);
    await other.end();
    expect(outcome).toBe(5n);
    // PostgreSQL broke the cycle by aborting one side; the ledger's side, if chosen, was retried.
    // (Statistics reach pg_stat_database within about a second: poll.)
    await expect
      .poll(() => deadlockCount(t), { timeout: 5_000, interval: 200 })
      .toBeGreaterThan(deadlocksBefore);
    expect(['locked', '40P01']).toContain(otherOutcome);
  });

  it('a serialization failure (40001) is retried whole by inTransaction', async () => {
    await sql`CREATE TABLE IF NOT EXISTS skew (id int PRIMARY KEY, on_call boolean NOT NULL)`.execute(
      t.database.kysely,
    );
    await sql`INSERT INTO skew VALUES (1, true), (2, true) ON CONFLICT (id) DO UPDATE SET on_call = true`.execute(
      t.database.kysely,
    );
    let retries = 0;
    // Classic write skew: each transaction reads both rows, then takes one off call. Under
    // SERIALIZABLE one of them must fail with 40001; retried, it sees the other's write.
    const barrier = (() => {
      let arrived = 0;
      let release!: () => void;
      const all = new Promise<void>((r) => (release = r));
      return async () => {
        if (++arrived === 2) release();
        await Promise.race([all, new Promise((r) => setTimeout(r, 500))]);
      };
    })();
    const takeOff = (id: number) =>
      inTransaction(
        t.database,
        async (tx) => {
          const onCall = await sql<{
            n: bigint;
          }>`SELECT count(*)::int8 AS n FROM skew WHERE on_call`.execute(tx);
          await barrier();
          if (onCall.rows[0]!.n < 2n) return 'stayed';
          await sql`UPDATE skew SET on_call = false WHERE id = ${id}`.execute(tx);
          return 'left';
        },
        { isolation: 'serializable', onRetry: () => retries++ },
      );
    const results = await Promise.all([takeOff(1), takeOff(2)]);
    expect(results.sort()).toEqual(['left', 'stayed']);
    expect(retries).toBeGreaterThan(0);
  });
});

async function deadlockCount(t: TestDatabase): Promise<bigint> {
  return t.database.withConnection(async (c) => {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const rows = await c.query<{ n: bigint }>(
      'SELECT deadlocks::int8 AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return rows[0]!.n;
  });
}
