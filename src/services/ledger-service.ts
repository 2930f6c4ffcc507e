/**
 * Use cases of the double-entry ledger. Each command: access check → input rules (core) →
 * one transaction (retried whole on 40001/40P01) that answers a repeated idempotency key from
 * the first result, locks the accounts in ascending id order, plans the batch in core, writes
 * the transfers and the balance deltas, and appends one audit event.
 */
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import {
  checkBatch,
  planTransfers,
  referencedTransferIds,
  transferPayloadHash,
  type Account,
  type AccountFlags,
  type Transfer,
  type TransferInput,
} from '../core/ledger.js';
import { LIMITS } from '../core/limits.js';
import { authorize } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import {
  currencyExists,
  findAccountByReference,
  findAccounts,
  findBalanceMismatches,
  findReferencedTransfers,
  findTransferInconsistencies,
  findTransfers,
  findTransfersByKeys,
  insertAccount,
  insertTransfersAndApply,
  ledgerTotals,
  listAccountTransfers,
  lockAccounts,
  type AccountMismatch,
  type LedgerTotals,
  type TransferInconsistency,
} from '../storage/ledger-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';

export interface CreateAccountInput extends Partial<AccountFlags> {
  /** A stable external name, unique: `contribution:12:available`, `fx:EUR`. */
  reference: string;
  /** The ledger: an ISO 4217 currency code. */
  ledger: string;
  /** Account type in the caller's chart of accounts, > 0. */
  code: number;
}

function checkAccountInput(input: CreateAccountInput): void {
  if (
    typeof input.reference !== 'string' ||
    input.reference.length === 0 ||
    input.reference.length > LIMITS.referenceMaxChars
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `reference must be 1 to ${LIMITS.referenceMaxChars} characters.`,
      { field: 'reference' },
    );
  }
  if (typeof input.ledger !== 'string' || !/^[A-Z]{3}$/.test(input.ledger)) {
    throw new DomainError('CURRENCY_UNKNOWN', 'ledger must be an ISO 4217 code such as EUR.', {
      field: 'ledger',
    });
  }
  if (!Number.isInteger(input.code) || input.code <= 0 || input.code > 2_147_483_647) {
    throw new DomainError('VALIDATION_FAILED', 'code must be a positive 32-bit integer.', {
      field: 'code',
    });
  }
  if (input.debitsMustNotExceedCredits && input.creditsMustNotExceedDebits) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'An account cannot forbid both overdraft directions.',
      {
        field: 'creditsMustNotExceedDebits',
      },
    );
  }
}

/** The account as data for the audit log. */
function accountFacts(account: Account) {
  return {
    id: account.id,
    reference: account.reference,
    ledger: account.ledger,
    code: account.code,
    debitsMustNotExceedCredits: account.debitsMustNotExceedCredits,
    creditsMustNotExceedDebits: account.creditsMustNotExceedDebits,
  };
}

/**
 * Creates an account, or returns the existing one when an account with the same reference and
 * the same attributes exists (idempotent); different attributes are ACCOUNT_EXISTS.
 */
export async function createAccount(
  database: Database,
  actor: Actor,
  input: CreateAccountInput,
  tx?: Tx,
): Promise<Account> {
  authorize(actor, 'ledger.account.create');
  checkAccountInput(input);
  const wanted = {
    ledger: input.ledger,
    code: input.code,
    reference: input.reference,
    debitsMustNotExceedCredits: input.debitsMustNotExceedCredits ?? false,
    creditsMustNotExceedDebits: input.creditsMustNotExceedDebits ?? false,
  };
  const run = async (t: Tx) => {
    if (!(await currencyExists(t, wanted.ledger))) {
      throw new DomainError('CURRENCY_UNKNOWN', `No currency ${wanted.ledger}.`, {
        field: 'ledger',
      });
    }
    // An account that exists is read, not inserted: `INSERT … ON CONFLICT` on a row another
    // transaction is updating (a balance) waits for that transaction to end — and if this one has
    // already appended to the audit chain, that wait closes a deadlock with every writer queued
    // for the chain's head (measured: ~10 a second under the soak's 16 clients).
    const existing = await findAccountByReference(t, wanted.reference);
    const { account, created } = existing
      ? { account: existing, created: false }
      : await insertAccount(t, wanted);
    if (!created) {
      const same =
        account.ledger === wanted.ledger &&
        account.code === wanted.code &&
        account.debitsMustNotExceedCredits === wanted.debitsMustNotExceedCredits &&
        account.creditsMustNotExceedDebits === wanted.creditsMustNotExceedDebits;
      if (!same)
        throw new DomainError('ACCOUNT_EXISTS', undefined, {
          field: 'reference',
          accountId: account.id,
        });
      return account;
    }
    await recordAudit(t, actor, {
      entity: 'ledger_account',
      entityId: String(account.id),
      action: 'create',
      after: accountFacts(account),
    });
    return account;
  };
  return tx ? run(tx) : inTransaction(database, run);
}

export interface CreateTransfersResult {
  transfers: Transfer[];
  /** False when every transfer already existed under its idempotency key (a replay). */
  created: boolean;
}

/** The transfer as data for the audit log. */
function transferFacts(t: Transfer) {
  return {
    id: t.id,
    kind: t.kind,
    ledger: t.ledger,
    debitAccountId: t.debitAccountId,
    creditAccountId: t.creditAccountId,
    amountMinor: t.amountMinor,
    code: t.code,
    pendingId: t.pendingId,
    reversesId: t.reversesId,
    idempotencyKey: t.idempotencyKey,
  };
}

/** Looks the keys up: returns the inputs not seen before; a key reused with another payload is a conflict. */
async function splitReplays(
  tx: Tx,
  inputs: readonly TransferInput[],
): Promise<{ fresh: TransferInput[]; existing: Map<string, { transfer: Transfer }> }> {
  const existing = await findTransfersByKeys(
    tx,
    inputs.map((i) => i.idempotencyKey),
  );
  const fresh: TransferInput[] = [];
  inputs.forEach((input, index) => {
    const found = existing.get(input.idempotencyKey);
    if (!found) {
      fresh.push(input);
    } else if (found.payloadHash !== transferPayloadHash(input)) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', undefined, {
        field: `transfers.${index}.idempotencyKey`,
        index,
        transferId: found.transfer.id,
      });
    }
  });
  return { fresh, existing };
}

function inInputOrder(
  inputs: readonly TransferInput[],
  inserted: readonly Transfer[],
  existing: ReadonlyMap<string, { transfer: Transfer }>,
): Transfer[] {
  const byKey = new Map(inserted.map((t) => [t.idempotencyKey, t]));
  return inputs.map((i) => byKey.get(i.idempotencyKey) ?? existing.get(i.idempotencyKey)!.transfer);
}

export interface CreateTransfersOptions {
  /**
   * Look the idempotency keys up before anything else. The first attempt of a batch of new
   * transfers skips it (one statement fewer): a repeated key then fails the insert with a
   * unique violation, `inTransaction` retries, and the retry (attempt > 1) looks first.
   */
  checkKeysFirst?: boolean;
  /** False when the caller writes one audit event for its whole command (default true). */
  audit?: boolean;
}

/**
 * The body of `createTransfers`, inside a transaction the caller owns (a workflow service can
 * move money and change its own records atomically). Returns the transfers in input order.
 */
export async function createTransfersIn(
  tx: Tx,
  actor: Actor,
  inputs: readonly TransferInput[],
  options: CreateTransfersOptions = {},
): Promise<CreateTransfersResult> {
  authorize(actor, 'ledger.transfer.create');
  checkBatch(inputs);
  const onlyNew = inputs.every((i) => i.kind === 'posted' || i.kind === 'pending');

  // 1. Idempotency: a key seen before answers from its first result, or conflicts.
  let fresh: readonly TransferInput[] = inputs;
  let existing: ReadonlyMap<string, { transfer: Transfer }> = new Map();
  if (options.checkKeysFirst || !onlyNew) {
    ({ fresh, existing } = await splitReplays(tx, inputs));
    if (fresh.length === 0)
      return { transfers: inInputOrder(inputs, [], existing), created: false };
  }

  // 2. The transfers this batch names, then every account it touches, locked in id order.
  const named = await findTransfers(tx, referencedTransferIds(fresh));
  const accountIds: bigint[] = named.flatMap((t) => [t.debitAccountId, t.creditAccountId]);
  for (const input of fresh) {
    if (input.kind === 'posted' || input.kind === 'pending')
      accountIds.push(input.debitAccountId, input.creditAccountId);
  }
  const accounts = await lockAccounts(tx, accountIds);
  const referenced = await findReferencedTransfers(tx, named);

  // 3. Rules (core). A refusal of a batch whose keys were not looked up may be a replay of a
  //    request that already succeeded (and spent the money): answer that from the first result.
  let plan: ReturnType<typeof planTransfers>;
  try {
    plan = planTransfers(fresh, accounts, referenced);
  } catch (error) {
    if (!(error instanceof DomainError) || fresh !== inputs || existing.size > 0) throw error;
    const replay = await splitReplays(tx, inputs);
    if (replay.fresh.length === inputs.length) throw error;
    if (replay.fresh.length === 0)
      return { transfers: inInputOrder(inputs, [], replay.existing), created: false };
    return createTransfersIn(tx, actor, inputs, { ...options, checkKeysFirst: true });
  }

  // 4. The writes: transfers and balances in one statement, then the audit event.
  const inserted = await insertTransfersAndApply(tx, plan.transfers, plan.deltas);
  if (options.audit !== false)
    await recordAudit(tx, actor, {
      entity: 'ledger_transfer',
      entityId: inserted.length === 1 ? String(inserted[0]!.id) : `batch:${inserted[0]!.batchId}`,
      action: inserted.length === 1 ? `transfer.${inserted[0]!.kind}` : 'transfer.batch',
      after: { transfers: inserted.map(transferFacts) },
    });
  return { transfers: inInputOrder(inputs, inserted, existing), created: true };
}

/**
 * Creates a linked batch of transfers: all succeed or none does. Each transfer is
 * idempotent under its key: the same key with the same payload returns the first result,
 * with another payload it is IDEMPOTENCY_CONFLICT.
 */
export async function createTransfers(
  database: Database,
  actor: Actor,
  inputs: readonly TransferInput[],
): Promise<CreateTransfersResult> {
  return inTransaction(database, (tx, attempt) =>
    createTransfersIn(tx, actor, inputs, { checkKeysFirst: attempt > 1 }),
  );
}

export async function createTransfer(
  database: Database,
  actor: Actor,
  input: TransferInput,
): Promise<Transfer> {
  const result = await createTransfers(database, actor, [input]);
  return result.transfers[0]!;
}

export async function getAccount(database: Database, actor: Actor, id: bigint): Promise<Account> {
  authorize(actor, 'ledger.read');
  const [account] = await findAccounts(database.kysely, [id]);
  if (!account)
    throw new DomainError('ACCOUNT_NOT_FOUND', undefined, { field: 'accountId', accountId: id });
  return account;
}

export async function getAccountByReference(
  database: Database,
  actor: Actor,
  reference: string,
): Promise<Account> {
  authorize(actor, 'ledger.read');
  const account = await findAccountByReference(database.kysely, reference);
  if (!account)
    throw new DomainError('ACCOUNT_NOT_FOUND', undefined, { field: 'reference', reference });
  return account;
}

export async function getTransfer(database: Database, actor: Actor, id: bigint): Promise<Transfer> {
  authorize(actor, 'ledger.read');
  const [transfer] = await findTransfers(database.kysely, [id]);
  if (!transfer)
    throw new DomainError('NOT_FOUND', 'No such transfer.', {
      field: 'transferId',
      transferId: id,
    });
  return transfer;
}

export async function findAccountTransfers(
  database: Database,
  actor: Actor,
  accountId: bigint,
  page: { afterId?: bigint; limit?: number } = {},
): Promise<Transfer[]> {
  authorize(actor, 'ledger.read');
  const limit = page.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageSizeMax) {
    throw new DomainError('LIMIT_EXCEEDED', `A page holds 1 to ${LIMITS.pageSizeMax} rows.`, {
      field: 'limit',
      limit: 'pageSizeMax',
    });
  }
  return listAccountTransfers(database.kysely, accountId, page.afterId ?? 0n, limit);
}

export interface LedgerVerification {
  ok: boolean;
  ledgers: (LedgerTotals & { balanced: boolean })[];
  mismatches: AccountMismatch[];
  inconsistencies: TransferInconsistency[];
}

/**
 * Recomputes every balance from the transfers and checks, per ledger, Σ debits = Σ credits
 * (posted and pending), that every post/void/reversal agrees with what it points at, and that
 * no account's flag is violated. Runs in one REPEATABLE READ snapshot so concurrent writes
 * cannot make a consistent ledger look broken.
 */
export async function verifyLedger(database: Database, actor: Actor): Promise<LedgerVerification> {
  authorize(actor, 'ledger.verify');
  return inTransaction(
    database,
    async (tx) => {
      const [totals, mismatches, inconsistencies] = [
        await ledgerTotals(tx),
        await findBalanceMismatches(tx),
        await findTransferInconsistencies(tx),
      ];
      const ledgers = totals.map((t) => ({
        ...t,
        balanced:
          t.debitsPostedMinor === t.creditsPostedMinor &&
          t.debitsPendingMinor === t.creditsPendingMinor,
      }));
      return {
        ok:
          ledgers.every((l) => l.balanced) &&
          mismatches.length === 0 &&
          inconsistencies.length === 0,
        ledgers,
        mismatches,
        inconsistencies,
      };
    },
    { isolation: 'repeatable read' },
  );
}
