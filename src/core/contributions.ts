/**
 * Contributions: what an ally or partner announces, commits and pays. Pure rules.
 *
 *   pledged ──commit──▶ committed ──payment──▶ partially_paid ──payment──▶ paid
 *      │                    │  ▲ reduce (≥ allocated, ≥ paid)
 *      └──cancel──▶ cancelled ◀──cancel (nothing allocated or paid)
 *
 * A pledge is not funding (as in OCHA FTS): it is recorded, never put on the ledger. A
 * commitment puts its amount on the ledger (receivable from the donor → available to
 * allocate); a payment settles the receivable into the fund's cash. Reductions and
 * cancellations carry a reason and never go below what is already allocated or paid.
 */
import { DomainError } from './errors.js';
import type { AccountFlags } from './ledger.js';
import { LIMITS } from './limits.js';

export const CONTRIBUTION_STATUSES = [
  'pledged',
  'committed',
  'partially_paid',
  'paid',
  'cancelled',
] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

export type ContributionAction = 'commit' | 'pay' | 'reduce' | 'cancel' | 'edit';

/** Where each action may start from. */
export const CONTRIBUTION_TRANSITIONS: Record<ContributionAction, readonly ContributionStatus[]> = {
  edit: ['pledged', 'committed', 'partially_paid', 'paid'],
  commit: ['pledged'],
  pay: ['committed', 'partially_paid'],
  reduce: ['pledged', 'committed', 'partially_paid'],
  cancel: ['pledged', 'committed'],
};

/** Chart of ledger account codes used by the funding workflows. */
export const ACCOUNT_CODES = {
  fundCash: 100,
  contributionReceivable: 110,
  contributionAvailable: 120,
  donorCommitments: 130,
} as const;

export const TRANSFER_CODES = {
  commitment: 1_001,
  payment: 1_002,
  reduction: 1_003,
} as const;

export function contributionAccounts(id: bigint) {
  return { receivable: `contribution:${id}:receivable`, available: `contribution:${id}:available` };
}

export function donorCommitmentsAccount(partyId: string, currency: string) {
  return `donor:${partyId}:${currency}:commitments`;
}

export function fundCashAccount(currency: string) {
  return `fund:${currency}:cash`;
}

/** A ledger account as the funding workflows open it: reference, ledger, code and flags. */
export interface FundingAccountSpec extends AccountFlags {
  reference: string;
  ledger: string;
  code: number;
}

const NO_FLAGS: AccountFlags = {
  debitsMustNotExceedCredits: false,
  creditsMustNotExceedDebits: false,
};

/**
 * The two accounts of a committed contribution, in its currency's ledger — the one definition
 * of their flags, for the commands, the bulk import and the scale generator alike:
 * - receivable (what the donor still owes): credits never exceed debits — nothing is paid or
 *   reduced beyond what was committed;
 * - available (committed, not yet allocated): no overdraft — nothing is allocated beyond it.
 */
export function contributionAccountSpecs(
  id: bigint,
  currency: string,
): { receivable: FundingAccountSpec; available: FundingAccountSpec } {
  const names = contributionAccounts(id);
  return {
    receivable: {
      reference: names.receivable,
      ledger: currency,
      code: ACCOUNT_CODES.contributionReceivable,
      debitsMustNotExceedCredits: false,
      creditsMustNotExceedDebits: true,
    },
    available: {
      reference: names.available,
      ledger: currency,
      code: ACCOUNT_CODES.contributionAvailable,
      debitsMustNotExceedCredits: true,
      creditsMustNotExceedDebits: false,
    },
  };
}

/** The accounts every commitment of a donor in a currency shares: its commitments, the fund's cash. */
export function donorFundingAccountSpecs(
  partyId: string,
  currency: string,
): { donorCommitments: FundingAccountSpec; fundCash: FundingAccountSpec } {
  return {
    donorCommitments: {
      reference: donorCommitmentsAccount(partyId, currency),
      ledger: currency,
      code: ACCOUNT_CODES.donorCommitments,
      ...NO_FLAGS,
    },
    fundCash: {
      reference: fundCashAccount(currency),
      ledger: currency,
      code: ACCOUNT_CODES.fundCash,
      ...NO_FLAGS,
    },
  };
}

export function checkTransition(status: ContributionStatus, action: ContributionAction): void {
  const allowed = CONTRIBUTION_TRANSITIONS[action];
  if (!allowed.includes(status)) {
    throw new DomainError('INVALID_TRANSITION', `A ${status} contribution cannot ${action}.`, {
      entity: 'contribution',
      from: status,
      action,
      allowed,
    });
  }
}

export function checkPositiveAmount(amountMinor: bigint, field: string): void {
  if (amountMinor <= 0n)
    throw new DomainError('AMOUNT_INVALID', `${field} must be more than zero.`, { field });
  if (amountMinor > LIMITS.transferAmountMaxMinor) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `${field} exceeds ${LIMITS.transferAmountMaxMinor} minor units.`,
      {
        field,
        limit: 'transferAmountMaxMinor',
      },
    );
  }
}

export function checkReason(reason: string | undefined, field = 'reason'): string {
  const text = reason?.trim() ?? '';
  if (text.length === 0 || text.length > 1000) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'A reduction or cancellation needs a reason (1 to 1,000 characters).',
      { field },
    );
  }
  return text;
}

/** The status after payments total `paidMinor` of `committedMinor`. */
export function statusAfterPayment(committedMinor: bigint, paidMinor: bigint): ContributionStatus {
  return paidMinor === committedMinor ? 'paid' : 'partially_paid';
}

/** What a reduction to `newAmountMinor` must respect. */
export function checkReduction(input: {
  status: ContributionStatus;
  currentMinor: bigint;
  newAmountMinor: bigint;
  allocatedMinor: bigint;
  paidMinor: bigint;
}): void {
  if (input.newAmountMinor < 0n)
    throw new DomainError('AMOUNT_INVALID', 'amountMinor cannot be negative.', {
      field: 'amountMinor',
    });
  if (input.newAmountMinor >= input.currentMinor) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'A reduction must lower the amount; record a new contribution to add money.',
      {
        field: 'amountMinor',
      },
    );
  }
  const floor = input.allocatedMinor > input.paidMinor ? input.allocatedMinor : input.paidMinor;
  if (input.newAmountMinor < floor) {
    throw new DomainError('PLEDGE_BELOW_ALLOCATED', undefined, {
      field: 'amountMinor',
      allocatedMinor: input.allocatedMinor,
      paidMinor: input.paidMinor,
      floorMinor: floor,
    });
  }
}
