/**
 * The ledger's semantics, pure — modelled on TigerBeetle's accounts and transfers.
 *
 * One ledger per currency. An account keeps four balances: debits and credits, each pending and
 * posted. A transfer moves `amount` from its debit account to its credit account on one ledger:
 *  - `posted`: debits_posted and credits_posted grow by amount;
 *  - `pending`: debits_pending and credits_pending grow (a hold, two-phase);
 *  - `post_pending`: resolves a pending transfer: releases its whole pending amount and posts
 *    `amount` (≤ the pending amount; a partial post releases the rest);
 *  - `void_pending`: resolves a pending transfer by releasing it (amount = pending amount);
 *  - `reversal`: posts the opposite of a posted transfer (at most once).
 * A pending transfer is resolved at most once. Transfers are never changed: a mistake is
 * corrected by a reversal. An account may forbid its debits exceeding its credits (an asset
 * that cannot be overdrawn) or the mirror; the check counts pending debits, so a hold reserves.
 *
 * `planTransfers` applies a batch in order to locked account states and returns the rows to
 * write and the new balances — or throws the first rule broken, naming the transfer's index:
 * a linked batch succeeds or fails as a whole.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { DomainError, assert } from './errors.js';
import { LIMITS } from './limits.js';

export const TRANSFER_KINDS = [
  'posted',
  'pending',
  'post_pending',
  'void_pending',
  'reversal',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** Largest balance a bigint column holds. */
export const BALANCE_MAX = 2n ** 63n - 1n;

export interface AccountFlags {
  /** Debits (pending + posted) may never exceed posted credits: no overdraft. */
  debitsMustNotExceedCredits: boolean;
  /** Credits (pending + posted) may never exceed posted debits. */
  creditsMustNotExceedDebits: boolean;
}

export interface Account extends AccountFlags {
  id: bigint;
  ledger: string;
  code: number;
  reference: string;
  debitsPendingMinor: bigint;
  debitsPostedMinor: bigint;
  creditsPendingMinor: bigint;
  creditsPostedMinor: bigint;
}

export interface Transfer {
  id: bigint;
  idempotencyKey: string;
  ledger: string;
  kind: TransferKind;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amountMinor: bigint;
  code: number;
  pendingId: bigint | null;
  reversesId: bigint | null;
  batchId: bigint | null;
  memo: string | null;
  createdAt: Date;
}

interface InputBase {
  idempotencyKey: string;
  memo?: string | undefined;
}
export interface NewTransferInput extends InputBase {
  kind: 'posted' | 'pending';
  debitAccountId: bigint;
  creditAccountId: bigint;
  amountMinor: bigint;
  /** Why the money moves (chart of transfer codes of the caller), > 0. */
  code: number;
}
export interface PostPendingInput extends InputBase {
  kind: 'post_pending';
  pendingId: bigint;
  /** Defaults to the whole pending amount; less posts partially and releases the rest. */
  amountMinor?: bigint | undefined;
}
export interface VoidPendingInput extends InputBase {
  kind: 'void_pending';
  pendingId: bigint;
}
export interface ReversalInput extends InputBase {
  kind: 'reversal';
  transferId: bigint;
}
export type TransferInput = NewTransferInput | PostPendingInput | VoidPendingInput | ReversalInput;

/** A transfer named by another one (the pending to resolve, the transfer to reverse). */
export interface ReferencedTransfer {
  transfer: Transfer;
  /** A post or void of it exists (pending transfers). */
  resolved: boolean;
  /** A reversal of it exists. */
  reversed: boolean;
}

/** A row to insert, fully resolved. */
export interface PlannedTransfer {
  idempotencyKey: string;
  payloadHash: string;
  ledger: string;
  kind: TransferKind;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amountMinor: bigint;
  code: number;
  pendingId: bigint | null;
  reversesId: bigint | null;
  memo: string | null;
}

export interface BalanceDelta {
  accountId: bigint;
  debitsPendingMinor: bigint;
  debitsPostedMinor: bigint;
  creditsPendingMinor: bigint;
  creditsPostedMinor: bigint;
}

export interface TransferPlan {
  transfers: PlannedTransfer[];
  /** Net change per touched account, in ascending account id order. */
  deltas: BalanceDelta[];
  /** Accounts after the batch. */
  accounts: Map<bigint, Account>;
}

/** The identity of a request for idempotency: everything but the key itself. */
export function transferPayloadHash(input: TransferInput): string {
  const { idempotencyKey: _key, ...payload } = input;
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** Ids of the transfers a batch names (pending to resolve, transfer to reverse). */
export function referencedTransferIds(inputs: readonly TransferInput[]): bigint[] {
  const ids = new Set<bigint>();
  for (const input of inputs) {
    if (input.kind === 'post_pending' || input.kind === 'void_pending') ids.add(input.pendingId);
    if (input.kind === 'reversal') ids.add(input.transferId);
  }
  return [...ids];
}

/** Validates the shape of one input (before any database access). */
export function checkTransferInput(input: TransferInput, field: string): void {
  const key = input.idempotencyKey;
  if (typeof key !== 'string' || key.length === 0 || key.length > LIMITS.idempotencyKeyMaxChars) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `idempotencyKey must be 1 to ${LIMITS.idempotencyKeyMaxChars} characters.`,
      {
        field: `${field}.idempotencyKey`,
      },
    );
  }
  if (input.memo !== undefined && input.memo.length > LIMITS.referenceMaxChars) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `memo is longer than ${LIMITS.referenceMaxChars} characters.`,
      {
        field: `${field}.memo`,
        limit: 'referenceMaxChars',
      },
    );
  }
  const amount =
    input.kind === 'reversal' || input.kind === 'void_pending' ? undefined : input.amountMinor;
  if (amount !== undefined) {
    if (amount <= 0n) {
      throw new DomainError(
        'AMOUNT_INVALID',
        'amountMinor must be a positive whole number of minor units.',
        {
          field: `${field}.amountMinor`,
        },
      );
    }
    if (amount > LIMITS.transferAmountMaxMinor) {
      throw new DomainError(
        'LIMIT_EXCEEDED',
        `amountMinor exceeds ${LIMITS.transferAmountMaxMinor} minor units.`,
        {
          field: `${field}.amountMinor`,
          limit: 'transferAmountMaxMinor',
        },
      );
    }
  }
  if (input.kind === 'posted' || input.kind === 'pending') {
    if (!Number.isInteger(input.code) || input.code <= 0 || input.code > 2_147_483_647) {
      throw new DomainError('VALIDATION_FAILED', 'code must be a positive 32-bit integer.', {
        field: `${field}.code`,
      });
    }
    if (input.debitAccountId === input.creditAccountId) {
      throw new DomainError('ACCOUNTS_MUST_DIFFER', undefined, {
        field: `${field}.creditAccountId`,
      });
    }
  }
}

export function checkBatch(inputs: readonly TransferInput[]): void {
  if (inputs.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'A batch needs at least one transfer.', {
      field: 'transfers',
    });
  }
  if (inputs.length > LIMITS.transferBatchMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `A batch holds at most ${LIMITS.transferBatchMax} transfers.`,
      {
        field: 'transfers',
        limit: 'transferBatchMax',
      },
    );
  }
  const keys = new Set<string>();
  inputs.forEach((input, index) => {
    checkTransferInput(input, `transfers.${index}`);
    if (keys.has(input.idempotencyKey)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Two transfers of one batch share an idempotency key.',
        {
          field: `transfers.${index}.idempotencyKey`,
        },
      );
    }
    keys.add(input.idempotencyKey);
  });
}

function fail(
  code: ConstructorParameters<typeof DomainError>[0],
  index: number,
  field: string,
  extra: Record<string, unknown> = {},
): never {
  throw new DomainError(code, undefined, { field: `transfers.${index}.${field}`, index, ...extra });
}

function checkFlags(account: Account, index: number, field: string): void {
  const debits = account.debitsPendingMinor + account.debitsPostedMinor;
  const credits = account.creditsPendingMinor + account.creditsPostedMinor;
  if (account.debitsMustNotExceedCredits && debits > account.creditsPostedMinor) {
    fail('EXCEEDS_CREDITS', index, field, {
      accountId: account.id,
      reference: account.reference,
      shortfallMinor: debits - account.creditsPostedMinor,
    });
  }
  if (account.creditsMustNotExceedDebits && credits > account.debitsPostedMinor) {
    fail('EXCEEDS_DEBITS', index, field, {
      accountId: account.id,
      reference: account.reference,
      shortfallMinor: credits - account.debitsPostedMinor,
    });
  }
  for (const balance of [
    account.debitsPendingMinor,
    account.debitsPostedMinor,
    account.creditsPendingMinor,
    account.creditsPostedMinor,
  ]) {
    if (balance > BALANCE_MAX)
      fail('LIMIT_EXCEEDED', index, field, { limit: 'BALANCE_MAX', accountId: account.id });
    assert(balance >= 0n, `balance of account ${account.id} went negative`);
  }
}

/**
 * Applies `inputs` in order. `accounts` must hold every account the batch touches (locked by
 * the caller); `referenced` every transfer it names. Pure: the maps passed in are not changed.
 */
export function planTransfers(
  inputs: readonly TransferInput[],
  accounts: ReadonlyMap<bigint, Account>,
  referenced: ReadonlyMap<bigint, ReferencedTransfer>,
): TransferPlan {
  const state = new Map<bigint, Account>();
  const get = (id: bigint, index: number, field: string): Account => {
    const current = state.get(id) ?? accounts.get(id);
    if (!current) fail('ACCOUNT_NOT_FOUND', index, field, { accountId: id });
    return current;
  };
  const resolvedInBatch = new Set<bigint>();
  const reversedInBatch = new Set<bigint>();
  const transfers: PlannedTransfer[] = [];

  inputs.forEach((input, index) => {
    let debitId: bigint;
    let creditId: bigint;
    let amount: bigint;
    let code: number;
    let pendingId: bigint | null = null;
    let reversesId: bigint | null = null;
    // Changes to the two accounts' balances.
    let pendingChange = 0n; // both sides' pending
    let postedChange = 0n; // both sides' posted

    if (input.kind === 'posted' || input.kind === 'pending') {
      debitId = input.debitAccountId;
      creditId = input.creditAccountId;
      amount = input.amountMinor;
      code = input.code;
      if (input.kind === 'posted') postedChange = amount;
      else pendingChange = amount;
    } else if (input.kind === 'post_pending' || input.kind === 'void_pending') {
      const ref = referenced.get(input.pendingId);
      if (!ref) fail('PENDING_NOT_FOUND', index, 'pendingId', { pendingId: input.pendingId });
      if (ref.transfer.kind !== 'pending')
        fail('NOT_PENDING', index, 'pendingId', { pendingId: input.pendingId });
      if (ref.resolved || resolvedInBatch.has(input.pendingId)) {
        fail('PENDING_ALREADY_RESOLVED', index, 'pendingId', { pendingId: input.pendingId });
      }
      resolvedInBatch.add(input.pendingId);
      debitId = ref.transfer.debitAccountId;
      creditId = ref.transfer.creditAccountId;
      code = ref.transfer.code;
      pendingId = input.pendingId;
      pendingChange = -ref.transfer.amountMinor;
      if (input.kind === 'post_pending') {
        amount = input.amountMinor ?? ref.transfer.amountMinor;
        if (amount > ref.transfer.amountMinor) {
          fail('PENDING_AMOUNT_EXCEEDED', index, 'amountMinor', {
            pendingAmountMinor: ref.transfer.amountMinor,
          });
        }
        postedChange = amount;
      } else {
        amount = ref.transfer.amountMinor;
      }
    } else {
      const reversal = input as ReversalInput;
      const ref = referenced.get(reversal.transferId);
      if (!ref) fail('NOT_FOUND', index, 'transferId', { transferId: reversal.transferId });
      const original = ref.transfer;
      if (original.kind !== 'posted' && original.kind !== 'post_pending') {
        fail('REVERSAL_NOT_ALLOWED', index, 'transferId', {
          transferId: reversal.transferId,
          kind: original.kind,
        });
      }
      if (ref.reversed || reversedInBatch.has(reversal.transferId)) {
        fail('REVERSAL_NOT_ALLOWED', index, 'transferId', {
          transferId: reversal.transferId,
          reason: 'already reversed',
        });
      }
      reversedInBatch.add(reversal.transferId);
      debitId = original.creditAccountId;
      creditId = original.debitAccountId;
      amount = original.amountMinor;
      code = original.code;
      reversesId = reversal.transferId;
      postedChange = amount;
    }

    const debit = get(debitId, index, 'debitAccountId');
    const credit = get(creditId, index, 'creditAccountId');
    if (debit.ledger !== credit.ledger) {
      fail('LEDGER_MISMATCH', index, 'creditAccountId', {
        debitLedger: debit.ledger,
        creditLedger: credit.ledger,
      });
    }
    const nextDebit: Account = {
      ...debit,
      debitsPendingMinor: debit.debitsPendingMinor + pendingChange,
      debitsPostedMinor: debit.debitsPostedMinor + postedChange,
    };
    const nextCredit: Account = {
      ...credit,
      creditsPendingMinor: credit.creditsPendingMinor + pendingChange,
      creditsPostedMinor: credit.creditsPostedMinor + postedChange,
    };
    checkFlags(nextDebit, index, 'debitAccountId');
    checkFlags(nextCredit, index, 'creditAccountId');
    state.set(debitId, nextDebit);
    state.set(creditId, nextCredit);
    transfers.push({
      idempotencyKey: input.idempotencyKey,
      payloadHash: transferPayloadHash(input),
      ledger: debit.ledger,
      kind: input.kind,
      debitAccountId: debitId,
      creditAccountId: creditId,
      amountMinor: amount,
      code,
      pendingId,
      reversesId,
      memo: input.memo ?? null,
    });
  });

  const deltas: BalanceDelta[] = [...state.values()]
    .map((after) => {
      const before = accounts.get(after.id)!;
      return {
        accountId: after.id,
        debitsPendingMinor: after.debitsPendingMinor - before.debitsPendingMinor,
        debitsPostedMinor: after.debitsPostedMinor - before.debitsPostedMinor,
        creditsPendingMinor: after.creditsPendingMinor - before.creditsPendingMinor,
        creditsPostedMinor: after.creditsPostedMinor - before.creditsPostedMinor,
      };
    })
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  const after = new Map(accounts);
  for (const [id, account] of state) after.set(id, account);
  return { transfers, deltas, accounts: after };
}

/** Balance of an account in the sense of its flag: what it holds (credits − debits). */
export function availableMinor(account: Account): bigint {
  return account.creditsPostedMinor - account.debitsPostedMinor - account.debitsPendingMinor;
}
