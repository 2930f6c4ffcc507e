import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import type { Account } from '../../src/core/ledger.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import {
  createAccount,
  createTransfer,
  createTransfers,
  getAccount,
  verifyLedger,
} from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const actor = systemActor('test');
let seq = 0;
const key = (label: string) => `${label}-${++seq}`;

async function expectCode(promise: Promise<unknown>, code: string, field?: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (field) expect((error as DomainError).details.field).toBe(field);
}

describe.each(ENGINES)('ledger on %s', (engine) => {
  let t: TestDatabase;
  let funding: Account; // an external source: may go negative (no flag)
  let wallet: Account; // cannot be overdrawn
  let supplier: Account;
  let usdWallet: Account;

  const balance = async (a: Account) => getAccount(t.database, actor, a.id);

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    funding = await createAccount(t.database, actor, {
      reference: 'funding:EUR',
      ledger: 'EUR',
      code: 1,
    });
    wallet = await createAccount(t.database, actor, {
      reference: 'wallet:EUR',
      ledger: 'EUR',
      code: 2,
      debitsMustNotExceedCredits: true,
    });
    supplier = await createAccount(t.database, actor, {
      reference: 'supplier:EUR',
      ledger: 'EUR',
      code: 3,
    });
    usdWallet = await createAccount(t.database, actor, {
      reference: 'wallet:USD',
      ledger: 'USD',
      code: 2,
    });
    await createTransfer(t.database, actor, {
      kind: 'posted',
      idempotencyKey: 'fund-wallet',
      debitAccountId: funding.id,
      creditAccountId: wallet.id,
      amountMinor: 100_000n,
      code: 1,
    });
  });
  afterAll(async () => t?.close());

  it('creating an account twice with the same attributes returns the same account; other attributes conflict', async () => {
    const again = await createAccount(t.database, actor, {
      reference: 'wallet:EUR',
      ledger: 'EUR',
      code: 2,
      debitsMustNotExceedCredits: true,
    });
    expect(again.id).toBe(wallet.id);
    await expectCode(
      createAccount(t.database, actor, { reference: 'wallet:EUR', ledger: 'USD', code: 2 }),
      'ACCOUNT_EXISTS',
      'reference',
    );
    await expectCode(
      createAccount(t.database, actor, { reference: 'x', ledger: 'ZZZ', code: 2 }),
      'CURRENCY_UNKNOWN',
      'ledger',
    );
  });

  it('a posted transfer moves money and keeps Σ debits = Σ credits', async () => {
    const before = await balance(wallet);
    await createTransfer(t.database, actor, {
      kind: 'posted',
      idempotencyKey: key('pay'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 1_000n,
      code: 7,
    });
    const after = await balance(wallet);
    expect(after.debitsPostedMinor - before.debitsPostedMinor).toBe(1_000n);
    expect((await verifyLedger(t.database, actor)).ok).toBe(true);
  });

  it('refuses an overdraft of a flagged account, naming the field, and writes nothing', async () => {
    const before = await balance(wallet);
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'posted',
        idempotencyKey: key('overdraft'),
        debitAccountId: wallet.id,
        creditAccountId: supplier.id,
        amountMinor: 10n ** 12n,
        code: 7,
      }),
      'EXCEEDS_CREDITS',
      'transfers.0.debitAccountId',
    );
    expect(await balance(wallet)).toEqual(before);
  });

  it('refuses a transfer across ledgers (currencies)', async () => {
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'posted',
        idempotencyKey: key('cross'),
        debitAccountId: wallet.id,
        creditAccountId: usdWallet.id,
        amountMinor: 1n,
        code: 7,
      }),
      'LEDGER_MISMATCH',
    );
  });

  it('two-phase: a pending hold reserves funds, a partial post releases the rest, a second resolution is refused', async () => {
    const before = await balance(wallet);
    const pending = await createTransfer(t.database, actor, {
      kind: 'pending',
      idempotencyKey: key('hold'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 5_000n,
      code: 9,
    });
    const held = await balance(wallet);
    expect(held.debitsPendingMinor - before.debitsPendingMinor).toBe(5_000n);
    const posted = await createTransfer(t.database, actor, {
      kind: 'post_pending',
      idempotencyKey: key('post'),
      pendingId: pending.id,
      amountMinor: 3_000n,
    });
    expect(posted.amountMinor).toBe(3_000n);
    expect(posted.debitAccountId).toBe(wallet.id);
    const after = await balance(wallet);
    expect(after.debitsPendingMinor).toBe(before.debitsPendingMinor);
    expect(after.debitsPostedMinor - before.debitsPostedMinor).toBe(3_000n);
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'void_pending',
        idempotencyKey: key('void'),
        pendingId: pending.id,
      }),
      'PENDING_ALREADY_RESOLVED',
      'transfers.0.pendingId',
    );
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'post_pending',
        idempotencyKey: key('post2'),
        pendingId: pending.id,
      }),
      'PENDING_ALREADY_RESOLVED',
    );
    expect((await verifyLedger(t.database, actor)).ok).toBe(true);
  });

  it('a void releases the hold; posting more than pending or resolving a posted transfer is refused', async () => {
    const before = await balance(wallet);
    const pending = await createTransfer(t.database, actor, {
      kind: 'pending',
      idempotencyKey: key('hold'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 700n,
      code: 9,
    });
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'post_pending',
        idempotencyKey: key('post'),
        pendingId: pending.id,
        amountMinor: 701n,
      }),
      'PENDING_AMOUNT_EXCEEDED',
      'transfers.0.amountMinor',
    );
    const voided = await createTransfer(t.database, actor, {
      kind: 'void_pending',
      idempotencyKey: key('void'),
      pendingId: pending.id,
    });
    expect(voided.amountMinor).toBe(700n);
    expect(await balance(wallet)).toEqual(before);
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'void_pending',
        idempotencyKey: key('void'),
        pendingId: voided.id,
      }),
      'NOT_PENDING',
    );
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'void_pending',
        idempotencyKey: key('void'),
        pendingId: 999_999_999n,
      }),
      'PENDING_NOT_FOUND',
    );
  });

  it('a reversal mirrors a posted transfer once; a pending transfer cannot be reversed', async () => {
    const before = await balance(supplier);
    const paid = await createTransfer(t.database, actor, {
      kind: 'posted',
      idempotencyKey: key('pay'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 250n,
      code: 7,
    });
    const reversal = await createTransfer(t.database, actor, {
      kind: 'reversal',
      idempotencyKey: key('rev'),
      transferId: paid.id,
    });
    expect(reversal).toMatchObject({
      debitAccountId: supplier.id,
      creditAccountId: wallet.id,
      amountMinor: 250n,
      reversesId: paid.id,
    });
    const after = await balance(supplier);
    expect(after.creditsPostedMinor - after.debitsPostedMinor).toBe(
      before.creditsPostedMinor - before.debitsPostedMinor,
    );
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'reversal',
        idempotencyKey: key('rev'),
        transferId: paid.id,
      }),
      'REVERSAL_NOT_ALLOWED',
    );
    const pending = await createTransfer(t.database, actor, {
      kind: 'pending',
      idempotencyKey: key('hold'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 1n,
      code: 9,
    });
    await expectCode(
      createTransfer(t.database, actor, {
        kind: 'reversal',
        idempotencyKey: key('rev'),
        transferId: pending.id,
      }),
      'REVERSAL_NOT_ALLOWED',
    );
  });

  it('a linked batch is all or nothing: one bad transfer leaves every balance untouched', async () => {
    const [w, s] = [await balance(wallet), await balance(supplier)];
    const error = await createTransfers(t.database, actor, [
      {
        kind: 'posted',
        idempotencyKey: key('b'),
        debitAccountId: wallet.id,
        creditAccountId: supplier.id,
        amountMinor: 10n,
        code: 1,
      },
      {
        kind: 'posted',
        idempotencyKey: key('b'),
        debitAccountId: wallet.id,
        creditAccountId: supplier.id,
        amountMinor: 10n ** 13n,
        code: 1,
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details).toMatchObject({
      index: 1,
      field: 'transfers.1.debitAccountId',
    });
    expect([await balance(wallet), await balance(supplier)]).toEqual([w, s]);
    const ok = await createTransfers(t.database, actor, [
      {
        kind: 'posted',
        idempotencyKey: key('b'),
        debitAccountId: wallet.id,
        creditAccountId: supplier.id,
        amountMinor: 10n,
        code: 1,
      },
      {
        kind: 'posted',
        idempotencyKey: key('b'),
        debitAccountId: supplier.id,
        creditAccountId: wallet.id,
        amountMinor: 4n,
        code: 1,
      },
    ]);
    expect(ok.transfers).toHaveLength(2);
    expect(ok.transfers[0]!.batchId).not.toBeNull();
    expect(ok.transfers[0]!.batchId).toBe(ok.transfers[1]!.batchId);
  });

  it('idempotency: the same key and payload returns the first transfer; another payload is a conflict', async () => {
    const input = {
      kind: 'posted' as const,
      idempotencyKey: key('idem'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 33n,
      code: 1,
    };
    const first = await createTransfers(t.database, actor, [input]);
    const before = await balance(wallet);
    const again = await createTransfers(t.database, actor, [input]);
    expect(again.created).toBe(false);
    expect(again.transfers[0]!.id).toBe(first.transfers[0]!.id);
    expect(await balance(wallet)).toEqual(before);
    await expectCode(
      createTransfers(t.database, actor, [{ ...input, amountMinor: 34n }]),
      'IDEMPOTENCY_CONFLICT',
      'transfers.0.idempotencyKey',
    );
  });

  it('validates inputs with the field named', async () => {
    const base = {
      kind: 'posted' as const,
      idempotencyKey: key('v'),
      debitAccountId: wallet.id,
      creditAccountId: supplier.id,
      amountMinor: 1n,
      code: 1,
    };
    await expectCode(
      createTransfer(t.database, actor, { ...base, amountMinor: 0n }),
      'AMOUNT_INVALID',
      'transfers.0.amountMinor',
    );
    await expectCode(
      createTransfer(t.database, actor, { ...base, amountMinor: 10n ** 16n }),
      'LIMIT_EXCEEDED',
      'transfers.0.amountMinor',
    );
    await expectCode(
      createTransfer(t.database, actor, { ...base, creditAccountId: wallet.id }),
      'ACCOUNTS_MUST_DIFFER',
    );
    await expectCode(
      createTransfer(t.database, actor, { ...base, idempotencyKey: '' }),
      'VALIDATION_FAILED',
      'transfers.0.idempotencyKey',
    );
    await expectCode(
      createTransfer(t.database, actor, { ...base, creditAccountId: 987_654_321n }),
      'ACCOUNT_NOT_FOUND',
    );
    await expectCode(createTransfers(t.database, actor, []), 'VALIDATION_FAILED', 'transfers');
  });

  it('refuses a role without ledger rights', async () => {
    const auditor: Actor = { id: 'u-1', role: 'auditor' };
    await expectCode(
      createAccount(t.database, auditor, { reference: 'nope', ledger: 'EUR', code: 1 }),
      'FORBIDDEN',
    );
  });

  it('every ledger command wrote its audit event and the chain verifies', async () => {
    const audit = await verifyAudit(t.database, actor);
    expect(audit.ok).toBe(true);
    expect(audit.events).toBeGreaterThan(10);
  });

  it('ledger verify finds a transfer edited behind the ledger’s back and names the accounts', async () => {
    expect((await verifyLedger(t.database, actor)).ok).toBe(true);
    // An administrator bypasses the append-only trigger and changes an amount.
    await sql`ALTER TABLE ledger_transfer DISABLE TRIGGER ledger_transfer_append_only`.execute(
      t.database.kysely,
    );
    await sql`UPDATE ledger_transfer SET amount = amount + 1 WHERE idempotency_key = 'fund-wallet'`.execute(
      t.database.kysely,
    );
    await sql`ALTER TABLE ledger_transfer ENABLE TRIGGER ledger_transfer_append_only`.execute(
      t.database.kysely,
    );
    const report = await verifyLedger(t.database, actor);
    expect(report.ok).toBe(false);
    const refs = report.mismatches.map((m) => `${m.reference}.${m.field}`).sort();
    expect(refs).toEqual(['funding:EUR.debits_posted', 'wallet:EUR.credits_posted']);
    expect(report.mismatches.find((m) => m.reference === 'wallet:EUR')!.computedMinor).toBe(
      report.mismatches.find((m) => m.reference === 'wallet:EUR')!.storedMinor + 1n,
    );
  });
});
