import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import type { DomainError } from '../../src/core/errors.js';
import type { Account } from '../../src/core/ledger.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { createConversion } from '../../src/services/ledger-conversion-service.js';
import {
  createAccount,
  createTransfers,
  getAccountByReference,
  verifyLedger,
} from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const actor = systemActor('conversion-test');
// A small ECB-format file: units per EUR, a trailing comma, N/A where none.
const RATES =
  'Date,USD,NOK,JPY,\n2025-08-08,1.1645,11.8965,171.56,\n2025-08-04,1.1578,11.8590,170.38,\n';

describe.each(ENGINES)('conversions on %s', (engine) => {
  let t: TestDatabase;
  let dir: string;
  let eurWallet: Account;
  let usdWallet: Account;
  let jpyWallet: Account;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), 'purl-conv-'));
    await writeFile(join(dir, 'rates.csv'), RATES);
    await importFxRates(t.database, actor, { file: join(dir, 'rates.csv') });
    const source = await createAccount(t.database, actor, {
      reference: 'donor:NLD',
      ledger: 'EUR',
      code: 1,
    });
    eurWallet = await createAccount(t.database, actor, {
      reference: 'wallet:EUR',
      ledger: 'EUR',
      code: 2,
      debitsMustNotExceedCredits: true,
    });
    usdWallet = await createAccount(t.database, actor, {
      reference: 'wallet:USD',
      ledger: 'USD',
      code: 2,
    });
    jpyWallet = await createAccount(t.database, actor, {
      reference: 'wallet:JPY',
      ledger: 'JPY',
      code: 2,
    });
    await createTransfers(t.database, actor, [
      {
        kind: 'posted',
        idempotencyKey: 'fund',
        debitAccountId: source.id,
        creditAccountId: eurWallet.id,
        amountMinor: 100_000_000_000n,
        code: 1,
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('converts €100.00 to USD at the ECB rate of the value date through the two FX accounts', async () => {
    const result = await createConversion(t.database, actor, {
      idempotencyKey: 'c1',
      fromAccountId: eurWallet.id,
      toAccountId: usdWallet.id,
      amountMinor: 10_000n,
      valueDate: '2025-08-04',
      code: 10,
    });
    // 100.00 EUR × 1.1578 USD/EUR = 115.78 USD exactly.
    expect(result.toTransfer.amountMinor).toBe(11_578n);
    expect(result.rate).toMatchObject({
      fromRatePerEur: '1',
      toRatePerEur: '1.1578',
      rateDate: '2025-08-04',
    });
    expect(result.rate.source).toMatch(/ECB/);
    const fxEur = await getAccountByReference(t.database, actor, 'fx:EUR');
    const fxUsd = await getAccountByReference(t.database, actor, 'fx:USD');
    expect(fxEur.creditsPostedMinor).toBe(10_000n);
    expect(fxUsd.debitsPostedMinor).toBe(11_578n);
    // Each ledger balances on its own.
    const v = await verifyLedger(t.database, actor);
    expect(v.ok).toBe(true);
    expect(v.ledgers.filter((l) => l.transfers > 0).map((l) => l.ledger)).toEqual(['EUR', 'USD']);
  });

  it('a replay returns the same conversion; a weekend value date uses Friday’s rates', async () => {
    const input = {
      idempotencyKey: 'c2',
      fromAccountId: eurWallet.id,
      toAccountId: usdWallet.id,
      amountMinor: 50_000_000_000n,
      valueDate: '2025-08-10',
      code: 10,
    };
    const first = await createConversion(t.database, actor, input);
    const again = await createConversion(t.database, actor, input);
    expect(again.created).toBe(false);
    expect(again.id).toBe(first.id);
    expect(first.rate.rateDate).toBe('2025-08-08');
    // €500,000,000.00 × 1.1645 = $582,250,000.00
    expect(first.toTransfer.amountMinor).toBe(58_225_000_000n);
  });

  it('a cross rate (USD → JPY) rounds once, half to even, into yen (no minor unit)', async () => {
    const result = await createConversion(t.database, actor, {
      idempotencyKey: 'c3',
      fromAccountId: usdWallet.id,
      toAccountId: jpyWallet.id,
      amountMinor: 1_000n, // $10.00
      valueDate: '2025-08-04',
      code: 10,
    });
    // 10.00 × 170.38 / 1.1578 = 1471.58… yen: in integers, 1000 cents × 17038 / 11578.
    const whole = (1_000n * 17_038n) / 11_578n;
    const remainder = (1_000n * 17_038n) % 11_578n;
    expect(whole).toBe(1_471n);
    expect(remainder * 2n > 11_578n).toBe(true); // above the half: rounds up
    expect(result.toTransfer.amountMinor).toBe(whole + 1n);
    expect(result.toTransfer.amountMinor).toBe(1_472n);
  });

  it('refuses a conversion within one ledger and a day without rates', async () => {
    const other = await createAccount(t.database, actor, {
      reference: 'wallet2:EUR',
      ledger: 'EUR',
      code: 2,
    });
    const same = await createConversion(t.database, actor, {
      idempotencyKey: 'c4',
      fromAccountId: eurWallet.id,
      toAccountId: other.id,
      amountMinor: 1n,
      valueDate: '2025-08-04',
      code: 10,
    }).catch((e: unknown) => e);
    expect((same as DomainError).code).toBe('VALIDATION_FAILED');
    const early = await createConversion(t.database, actor, {
      idempotencyKey: 'c5',
      fromAccountId: eurWallet.id,
      toAccountId: usdWallet.id,
      amountMinor: 1n,
      valueDate: '2024-01-02',
      code: 10,
    }).catch((e: unknown) => e);
    expect((early as DomainError).code).toBe('FX_RATE_UNAVAILABLE');
  });
});
