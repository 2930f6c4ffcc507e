/**
 * A conversion between ledgers (currencies): two linked transfers through the FX accounts of
 * the two ledgers — the source account pays `fx:FROM` in the source currency, `fx:TO` pays the
 * destination account in the target currency — with the ECB rates, their date and source kept
 * beside them (`ledger_conversion`). Either both transfers exist or neither does.
 */
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import type { Transfer } from '../core/ledger.js';
import { authorize } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import {
  findAccounts,
  findConversionByTransfer,
  insertConversion,
} from '../storage/ledger-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { convert, type ConvertResult } from './fx-service.js';
import { createAccount, createTransfersIn } from './ledger-service.js';

import { FX_ACCOUNT_CODE } from '../core/fx.js';
export { FX_ACCOUNT_CODE };

export interface ConversionInput {
  idempotencyKey: string;
  /** Pays, in its ledger's currency. */
  fromAccountId: bigint;
  /** Receives, in its ledger's currency. */
  toAccountId: bigint;
  /** In the source currency's minor units. */
  amountMinor: bigint;
  /** Rates of this day (or the latest earlier business day) are used. */
  valueDate: string;
  /** Transfer code of both legs. */
  code: number;
  /** Pending legs hold the money until posted or voided (two-phase). */
  pending?: boolean;
  memo?: string;
}

export interface ConversionResult {
  id: bigint;
  fromTransfer: Transfer;
  toTransfer: Transfer;
  rate: Pick<ConvertResult, 'rate' | 'fromRatePerEur' | 'toRatePerEur' | 'rateDate' | 'source'>;
  created: boolean;
}

export async function createConversion(
  database: Database,
  actor: Actor,
  input: ConversionInput,
): Promise<ConversionResult> {
  authorize(actor, 'ledger.transfer.create');
  const [from, to] = await Promise.all([
    findAccounts(database.kysely, [input.fromAccountId]),
    findAccounts(database.kysely, [input.toAccountId]),
  ]);
  const fromAccount = from[0];
  const toAccount = to[0];
  if (!fromAccount)
    throw new DomainError('ACCOUNT_NOT_FOUND', undefined, { field: 'fromAccountId' });
  if (!toAccount) throw new DomainError('ACCOUNT_NOT_FOUND', undefined, { field: 'toAccountId' });
  if (fromAccount.ledger === toAccount.ledger) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Both accounts are on the same ledger: use a plain transfer, not a conversion.',
      {
        field: 'toAccountId',
      },
    );
  }
  // Rates are reference data: priced before the transaction, the same on a retry.
  const priced = await convert(database, actor, {
    amountMinor: input.amountMinor,
    from: fromAccount.ledger,
    to: toAccount.ledger,
    valueDate: input.valueDate,
  });
  if (priced.amountMinor <= 0n) {
    throw new DomainError(
      'AMOUNT_INVALID',
      'The amount converts to nothing in the target currency.',
      { field: 'amountMinor' },
    );
  }
  return inTransaction(database, (tx, attempt) =>
    createConversionIn(tx, database, actor, input, priced, { checkKeysFirst: attempt > 1 }),
  );
}

/**
 * The body of `createConversion` inside a transaction the caller owns, priced beforehand
 * (`convert` of fx-service). With `audit: false` the caller's command writes the one event.
 */
export async function createConversionIn(
  tx: Tx,
  database: Database,
  actor: Actor,
  input: ConversionInput,
  priced: ConvertResult,
  options: { checkKeysFirst?: boolean; audit?: boolean } = {},
): Promise<ConversionResult> {
  const checkKeysFirst = options.checkKeysFirst ?? false;
  const [fromLedger, toLedger] = [priced.fromCurrency, priced.currency];
  const fxFrom = await createAccount(
    database,
    actor,
    { reference: `fx:${fromLedger}`, ledger: fromLedger, code: FX_ACCOUNT_CODE },
    tx,
  );
  const fxTo = await createAccount(
    database,
    actor,
    { reference: `fx:${toLedger}`, ledger: toLedger, code: FX_ACCOUNT_CODE },
    tx,
  );
  const kind = input.pending ? ('pending' as const) : ('posted' as const);
  const memo =
    input.memo ?? `conversion ${fromLedger}→${toLedger} at ${priced.rate} (${priced.rateDate})`;
  const legs = await createTransfersIn(
    tx,
    actor,
    [
      {
        kind,
        idempotencyKey: `${input.idempotencyKey}:from`,
        debitAccountId: input.fromAccountId,
        creditAccountId: fxFrom.id,
        amountMinor: input.amountMinor,
        code: input.code,
        memo,
      },
      {
        kind,
        idempotencyKey: `${input.idempotencyKey}:to`,
        debitAccountId: fxTo.id,
        creditAccountId: input.toAccountId,
        amountMinor: priced.amountMinor,
        code: input.code,
        memo,
      },
    ],
    { checkKeysFirst, audit: false },
  );
  const [fromTransfer, toTransfer] = legs.transfers as [Transfer, Transfer];
  const rate = {
    rate: priced.rate,
    fromRatePerEur: priced.fromRatePerEur,
    toRatePerEur: priced.toRatePerEur,
    rateDate: priced.rateDate,
    source: priced.source,
  };
  if (!legs.created) {
    const existing = await findConversionByTransfer(tx, fromTransfer.id);
    if (!existing)
      throw new DomainError(
        'IDEMPOTENCY_CONFLICT',
        'This key names transfers that are not a conversion.',
        { field: 'idempotencyKey' },
      );
    return { id: existing.id, fromTransfer, toTransfer, rate: existing.rate, created: false };
  }
  const id = await insertConversion(tx, {
    fromTransferId: fromTransfer.id,
    toTransferId: toTransfer.id,
    ...rate,
  });
  if (options.audit !== false)
    await recordAudit(tx, actor, {
      entity: 'ledger_conversion',
      entityId: String(id),
      action: 'create',
      after: {
        fromTransfer: {
          id: fromTransfer.id,
          ledger: fromLedger,
          amountMinor: fromTransfer.amountMinor,
          kind,
        },
        toTransfer: {
          id: toTransfer.id,
          ledger: toLedger,
          amountMinor: toTransfer.amountMinor,
          kind,
        },
        ...rate,
        valueDate: priced.valueDate,
      },
    });
  return { id, fromTransfer, toTransfer, rate, created: true };
}
