/**
 * Migration 0020 replaced the per-row foreign keys of contribution, ledger_account and
 * ledger_transfer by statement-level checks. These tests hold the guarantee the foreign keys
 * gave, on both engines: a bad reference — in a single-row or a many-row insert, among good rows,
 * or written by an update — fails the statement with foreign_key_violation (23503) naming the
 * same constraint, nothing of it stays; and a row still pointed at cannot be deleted or re-keyed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

/** The error's SQLSTATE and constraint, or undefined when the statement succeeded. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code?: string; constraint?: string } | undefined> {
  try {
    await promise;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    return { code, constraint };
  }
  return undefined;
}

const fk = (constraint: string) => ({ code: '23503', constraint });

describe.each(ENGINES)('reference checks (migration 0020) on %s', (engine) => {
  let t: TestDatabase;
  let run: (statement: string) => Promise<unknown>;
  let count: (query: string) => Promise<number>;
  let accounts: { eur1: bigint; eur2: bigint; usd: bigint };
  let transferId: bigint;
  let packageId: bigint;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    run = (statement) => sql.raw(statement).execute(t.database.kysely);
    count = async (query) =>
      (await sql.raw<{ n: number }>(`SELECT (${query})::int AS n`).execute(t.database.kysely))
        .rows[0]!.n;
    const ids = (
      await sql<{ id: bigint; reference: string }>`
        INSERT INTO ledger_account (ledger, code, reference)
        VALUES ('EUR', 1, 'ref:eur1'), ('EUR', 1, 'ref:eur2'), ('USD', 1, 'ref:usd')
        RETURNING id, reference`.execute(t.database.kysely)
    ).rows;
    const byRef = new Map(ids.map((r) => [r.reference, r.id]));
    accounts = {
      eur1: byRef.get('ref:eur1')!,
      eur2: byRef.get('ref:eur2')!,
      usd: byRef.get('ref:usd')!,
    };
    transferId = (
      await sql<{ id: bigint }>`
        INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id,
                                     credit_account_id, amount, code)
        VALUES ('ref:t1', ${'0'.repeat(64)}, 'EUR', 'pending', ${accounts.eur1}, ${accounts.eur2}, 5, 1)
        RETURNING id`.execute(t.database.kysely)
    ).rows[0]!.id;
    packageId = (
      await sql<{ id: bigint }>`
        INSERT INTO package (number, cycle, title, target_minor)
        VALUES ('PURL-901', '2026-01', 'Reference probe', 100) RETURNING id`.execute(
        t.database.kysely,
      )
    ).rows[0]!.id;
    await run(
      `INSERT INTO party (id, kind, nato_member, name_en, name_fr, name_uk, currency)
       VALUES ('QPA', 'partner', false, 'Probe', 'Sonde', 'Зонд', 'EUR')`,
    );
    await run(
      `INSERT INTO contribution (donor_party_id, currency, status, pledged_minor, announced_on, title, earmark_package_id)
       VALUES ('QPA', 'EUR', 'pledged', 100, '2026-01-01', 'probe', ${packageId})`,
    );
  });
  afterAll(async () => t?.close());

  const contribution = (donor: string, currency: string, packageRef = 'NULL') =>
    `('${donor}', '${currency}', 'pledged', 100, '2026-01-01', 'bad-ref', ${packageRef})`;
  const insertContributions = (...rows: string[]) =>
    run(`INSERT INTO contribution (donor_party_id, currency, status, pledged_minor, announced_on, title,
                                   earmark_package_id) VALUES ${rows.join(', ')}`);

  it('refuses a contribution of an unknown party, currency or package — alone or among good rows', async () => {
    const good = contribution('NLD', 'EUR');
    expect(await refusal(insertContributions(contribution('XXX', 'EUR')))).toEqual(
      fk('contribution_donor_party_id_fkey'),
    );
    expect(
      await refusal(insertContributions(good, good, contribution('XXX', 'EUR'), good)),
    ).toEqual(fk('contribution_donor_party_id_fkey'));
    expect(await refusal(insertContributions(good, contribution('NLD', 'ZZZ')))).toEqual(
      fk('contribution_currency_fkey'),
    );
    expect(await refusal(insertContributions(good, contribution('NLD', 'EUR', '987654')))).toEqual(
      fk('contribution_earmark_package_fk'),
    );
    // The set-based path of imports: INSERT … SELECT FROM unnest(…), thousands of rows at once.
    expect(
      await refusal(
        run(`INSERT INTO contribution (donor_party_id, currency, status, pledged_minor, announced_on, title)
             SELECT CASE WHEN i = 4321 THEN 'XXX' ELSE 'NLD' END, 'EUR', 'pledged', i, '2026-01-01', 'bulk'
             FROM generate_series(1, 5000) AS i`),
      ),
    ).toEqual(fk('contribution_donor_party_id_fkey'));
    expect(
      await count(`SELECT count(*) FROM contribution WHERE title IN ('bad-ref', 'bulk')`),
    ).toBe(0);
  });

  it('refuses an update of a contribution to an unknown party, currency or package', async () => {
    const where = `WHERE title = 'probe'`;
    expect(await refusal(run(`UPDATE contribution SET donor_party_id = 'XXX' ${where}`))).toEqual(
      fk('contribution_donor_party_id_fkey'),
    );
    expect(await refusal(run(`UPDATE contribution SET currency = 'ZZZ' ${where}`))).toEqual(
      fk('contribution_currency_fkey'),
    );
    expect(
      await refusal(run(`UPDATE contribution SET earmark_package_id = 987654 ${where}`)),
    ).toEqual(fk('contribution_earmark_package_fk'));
    // Updates that leave the references alone are not checked, and pass.
    expect(await refusal(run(`UPDATE contribution SET version = version + 1 ${where}`))).toBe(
      undefined,
    );
  });

  it('refuses an account of an unknown ledger, inserted or updated', async () => {
    expect(
      await refusal(
        run(`INSERT INTO ledger_account (ledger, code, reference)
             VALUES ('EUR', 1, 'ref:ok'), ('ZZZ', 1, 'ref:bad')`),
      ),
    ).toEqual(fk('ledger_account_ledger_fkey'));
    expect(
      await refusal(run(`UPDATE ledger_account SET ledger = 'ZZZ' WHERE reference = 'ref:usd'`)),
    ).toEqual(fk('ledger_account_ledger_fkey'));
    expect(
      await count(`SELECT count(*) FROM ledger_account WHERE reference IN ('ref:ok', 'ref:bad')`),
    ).toBe(0);
  });

  it('refuses a transfer on an unknown account, on an account of another ledger, or resolving or reversing an unknown transfer', async () => {
    const transfer = (key: string, debit: bigint | number, credit: bigint | number, extra = '') =>
      run(`INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id,
                                        credit_account_id, amount, code, pending_id, reverses_id)
           VALUES ('ok:${key}', '${'0'.repeat(64)}', 'EUR', 'posted', ${accounts.eur1}, ${accounts.eur2}, 1, 1, NULL, NULL),
                  ('bad:${key}', '${'0'.repeat(64)}', 'EUR', ${extra || `'posted', ${debit}, ${credit}, 1, 1, NULL, NULL`})`);
    expect(await refusal(transfer('a', 987654, accounts.eur2))).toEqual(
      fk('ledger_transfer_debit_account_id_ledger_fkey'),
    );
    expect(await refusal(transfer('b', accounts.eur1, 987654))).toEqual(
      fk('ledger_transfer_credit_account_id_ledger_fkey'),
    );
    // The account exists, but in the USD ledger: (id, ledger) must match as a pair.
    expect(await refusal(transfer('c', accounts.eur1, accounts.usd))).toEqual(
      fk('ledger_transfer_credit_account_id_ledger_fkey'),
    );
    expect(
      await refusal(
        transfer(
          'd',
          0,
          0,
          `'void_pending', ${accounts.eur1}, ${accounts.eur2}, 5, 1, 987654, NULL`,
        ),
      ),
    ).toEqual(fk('ledger_transfer_pending_id_fkey'));
    expect(
      await refusal(
        transfer('e', 0, 0, `'reversal', ${accounts.eur2}, ${accounts.eur1}, 5, 1, NULL, 987654`),
      ),
    ).toEqual(fk('ledger_transfer_reverses_id_fkey'));
    expect(
      await count(`SELECT count(*) FROM ledger_transfer WHERE idempotency_key LIKE 'ok:%'`),
    ).toBe(0);
    // The good references pass: resolving the pending transfer that exists.
    expect(
      await refusal(
        run(`INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id,
                                          credit_account_id, amount, code, pending_id)
             VALUES ('ref:void', '${'0'.repeat(64)}', 'EUR', 'void_pending', ${accounts.eur1},
                     ${accounts.eur2}, 5, 1, ${transferId})`),
      ),
    ).toBe(undefined);
  });

  it('refuses to delete a row still pointed at, or to change its key', async () => {
    expect(await refusal(run(`DELETE FROM party WHERE id = 'QPA'`))).toEqual(
      fk('contribution_donor_party_id_fkey'),
    );
    expect(await refusal(run(`DELETE FROM package WHERE id = ${packageId}`))).toEqual(
      fk('contribution_earmark_package_fk'),
    );
    // Contributions in EUR exist (the currency's other references are older foreign keys).
    expect(await refusal(run(`DELETE FROM currency WHERE code = 'EUR'`))).toMatchObject({
      code: '23503',
    });
    expect(await refusal(run(`DELETE FROM ledger_account WHERE id = ${accounts.eur1}`))).toEqual(
      fk('ledger_transfer_debit_account_id_ledger_fkey'),
    );
    expect(
      await refusal(run(`UPDATE ledger_account SET ledger = 'USD' WHERE id = ${accounts.eur2}`)),
    ).toEqual(fk('ledger_transfer_credit_account_id_ledger_fkey'));
    // An account nothing points at may go, as before.
    expect(await refusal(run(`DELETE FROM ledger_account WHERE id = ${accounts.usd}`))).toBe(
      undefined,
    );
  });

  it('names the missing key in the error, as the foreign key did', async () => {
    await expect(insertContributions(contribution('XXX', 'EUR'))).rejects.toThrow(
      /violates foreign key constraint "contribution_donor_party_id_fkey"/,
    );
    await expect(insertContributions(contribution('XXX', 'EUR'))).rejects.toMatchObject({
      detail: 'Key (donor_party_id)=(XXX) is not present in table "party".',
    });
  });
});
