/**
 * The FX import's write paths (issue 7): a batch whose key range is empty is inserted plainly, a
 * batch of rows all stored with the same rates is only read, any other batch is upserted — and
 * across batches the counts stay exact. Files of more than one batch are generated here. The
 * rule "a rate's currency is a known currency" is held by the database per statement (migration
 * 0018) as it was by the foreign key: an unknown currency is refused, and a currency with rates
 * cannot be deleted or renamed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { addDays } from '../../src/core/fx.js';
import { importFxRates } from '../../src/services/fx-service.js';
import {
  FX_UPSERT_BATCH_ROWS,
  upsertFxRates,
  type FxRateInput,
} from '../../src/storage/fx-repository.js';
import { inTransaction, type Tx } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const importer = systemActor('test:import-fx-batches');
const CODES = ['USD', 'JPY', 'NOK'];
/** Enough days that the file's rates span several write batches. */
const DAYS = Math.ceil((FX_UPSERT_BATCH_ROWS * 2.5) / CODES.length);

/** Day d's rate of currency c, exact text; `bump` revises one cell. */
function rate(c: number, d: number, bump?: { c: number; d: number }): string {
  const base = 1 + c * 10 + (d % 1000) / 1000;
  return (bump && bump.c === c && bump.d === d ? base + 0.5 : base).toFixed(4);
}

function ecbCsv(days: number, bump?: { c: number; d: number }): string {
  const lines = [`Date,${CODES.join(',')},`];
  for (let d = days - 1; d >= 0; d--) {
    const cells = CODES.map((_, c) => rate(c, d, bump));
    lines.push(`${addDays('1990-01-01', d)},${cells.join(',')},`);
  }
  return lines.join('\n') + '\n';
}

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe.each(ENGINES)('FX import batches on %s', (engine) => {
  let t: TestDatabase;
  let dir: string;
  /** As the import calls it: on PGlite, rows into an empty key range go by COPY. */
  const upsert = (tx: Tx, source: string, rates: FxRateInput[]) =>
    upsertFxRates(tx, source, rates, undefined, engine);

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), 'purl-fx-batches-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  async function stored(): Promise<number> {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM fx_rate`.execute(
      t.database.kysely,
    );
    return result.rows[0]!.n;
  }

  it('counts inserts, updates and unchanged rows exactly across batches of every kind', async () => {
    const total = DAYS * CODES.length;
    expect(total).toBeGreaterThan(2 * FX_UPSERT_BATCH_ROWS);
    // The first half of the days: every batch's key range is empty (plain inserts).
    const half = Math.floor(DAYS / 2);
    const first = await importFxRates(t.database, importer, {
      file: await file('half.csv', ecbCsv(half)),
    });
    expect(first).toMatchObject({ inserted: half * CODES.length, updated: 0, unchanged: 0 });

    // All the days, one of the stored rates revised: batches mixing stored and new rows.
    const bump = { c: 1, d: 3 };
    const all = await importFxRates(t.database, importer, {
      file: await file('all.csv', ecbCsv(DAYS, bump)),
    });
    expect(all).toMatchObject({
      rates: total,
      inserted: (DAYS - half) * CODES.length,
      updated: 1,
      unchanged: half * CODES.length - 1,
    });
    expect(await stored()).toBe(total);
    const revised = await sql<{ rate: string }>`
      SELECT rate_per_eur::text AS rate FROM fx_rate
      WHERE currency = 'JPY' AND rate_date = ${addDays('1990-01-01', 3)}::date`.execute(
      t.database.kysely,
    );
    expect(Number(revised.rows[0]!.rate)).toBe(Number(rate(1, 3, bump)));

    // The same file again: every batch only read, nothing written, the import still audited.
    const audits = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM audit_event WHERE entity = 'fx_rate'`.execute(
          t.database.kysely,
        )
      ).rows[0]!.n;
    const auditsBefore = await audits();
    const again = await importFxRates(t.database, importer, {
      file: await file('again.csv', ecbCsv(DAYS, bump)),
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: total });
    expect(await audits()).toBe(auditsBefore + 1);

    // The rate restored: exactly that row updated back.
    const restored = await importFxRates(t.database, importer, {
      file: await file('restored.csv', ecbCsv(DAYS)),
    });
    expect(restored).toMatchObject({ inserted: 0, updated: 1, unchanged: total - 1 });
  });

  it('writes rates given in any order, and refuses two rates of one currency and day', async () => {
    const early = async () =>
      (
        await sql<{ currency: string; rate_date: string; rate: string }>`
          SELECT currency, rate_date, rate_per_eur::text AS rate FROM fx_rate
          WHERE rate_date < '1981-01-01' ORDER BY currency, rate_date`.execute(t.database.kysely)
      ).rows;
    // Neither by currency nor by day: the repository sorts them (no caller can trip).
    const counts = await inTransaction(t.database, (tx) =>
      upsert(tx, 'test', [
        { currency: 'USD', rateDate: '1980-01-02', ratePerEur: '1.2' },
        { currency: 'JPY', rateDate: '1980-01-01', ratePerEur: '250' },
        { currency: 'USD', rateDate: '1980-01-01', ratePerEur: '1.1' },
      ]),
    );
    expect(counts).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await early()).toEqual([
      { currency: 'JPY', rate_date: '1980-01-01', rate: '250' },
      { currency: 'USD', rate_date: '1980-01-01', rate: '1.1' },
      { currency: 'USD', rate_date: '1980-01-02', rate: '1.2' },
    ]);
    // Unsorted again, over stored rows: one revised, one new, one unchanged.
    const again = await inTransaction(t.database, (tx) =>
      upsert(tx, 'test', [
        { currency: 'USD', rateDate: '1980-01-03', ratePerEur: '1.3' },
        { currency: 'USD', rateDate: '1980-01-01', ratePerEur: '1.15' },
        { currency: 'JPY', rateDate: '1980-01-01', ratePerEur: '250.0' },
      ]),
    );
    expect(again).toEqual({ inserted: 1, updated: 1, unchanged: 1 });

    // The same currency and day twice is the caller's error: refused, nothing written.
    const before = await early();
    await expect(
      inTransaction(t.database, (tx) =>
        upsert(tx, 'test', [
          { currency: 'USD', rateDate: '1980-02-01', ratePerEur: '1.1' },
          { currency: 'NOK', rateDate: '1980-02-01', ratePerEur: '9' },
          { currency: 'USD', rateDate: '1980-02-01', ratePerEur: '1.2' },
        ]),
      ),
    ).rejects.toThrow(/unique/);
    expect(await early()).toEqual(before);
    await sql`DELETE FROM fx_rate WHERE rate_date < '1981-01-01'`.execute(t.database.kysely);
  });

  it('stores a source holding a tab, a newline or a backslash as given', async () => {
    const source = 'a\tsource\\with\nodd characters\r';
    const counts = await inTransaction(t.database, (tx) =>
      upsert(tx, source, [{ currency: 'USD', rateDate: '1979-01-01', ratePerEur: '1.25' }]),
    );
    expect(counts).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const stored = await sql<{ source: string; rate: string }>`
      SELECT source, rate_per_eur::text AS rate FROM fx_rate
      WHERE currency = 'USD' AND rate_date = '1979-01-01'`.execute(t.database.kysely);
    expect(stored.rows).toEqual([{ source, rate: '1.25' }]);
    await sql`DELETE FROM fx_rate WHERE rate_date = '1979-01-01'`.execute(t.database.kysely);
  });

  it('refuses, in the database, a rate of a currency it does not know — plain insert or upsert', async () => {
    const db = t.database.kysely;
    // The bulk path's plain insert (an empty key range) and its upsert (a stored range).
    for (const rateDate of ['1970-01-01', addDays('1990-01-01', 5)]) {
      expect(
        await sqlState(
          inTransaction(t.database, (tx) =>
            upsert(tx, 'test', [{ currency: 'ZZZ', rateDate, ratePerEur: '2' }]),
          ),
        ),
      ).toBe('23503');
    }
    expect(
      await sqlState(
        sql`INSERT INTO fx_rate (currency, rate_date, rate_per_eur, source)
            VALUES ('USD', '1970-01-01', 1, 't'), ('QQQ', '1970-01-01', 1, 't')`.execute(db),
      ),
    ).toBe('23503');
    expect(
      await sqlState(
        sql`UPDATE fx_rate SET currency = 'QQQ' WHERE currency = 'NOK' AND rate_date = '1990-01-01'`.execute(
          db,
        ),
      ),
    ).toBe('23503');
    expect(
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM fx_rate WHERE currency IN ('ZZZ', 'QQQ') OR rate_date = '1970-01-01'`.execute(
          db,
        )
      ).rows[0]!.n,
    ).toBe(0);
  });

  it('refuses deleting or renaming a currency that has rates', async () => {
    const db = t.database.kysely;
    await sql`INSERT INTO fx_rate (currency, rate_date, rate_per_eur, source)
              VALUES ('CYP', '1999-01-04', 0.58231, 'test')`.execute(db);
    await expect(sql`DELETE FROM currency WHERE code = 'CYP'`.execute(db)).rejects.toThrow(
      /CYP has FX rates/,
    );
    await expect(
      sql`UPDATE currency SET code = 'CYQ' WHERE code = 'CYP'`.execute(db),
    ).rejects.toThrow(/CYP has FX rates/);
    // Other changes of a rated currency are allowed.
    await sql`UPDATE currency SET name = name WHERE code = 'CYP'`.execute(db);
  });
});
