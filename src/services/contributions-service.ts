/**
 * Use cases of contributions. Each command: access check (role, then party: a contributor acts
 * only for its own party) → core rules → one transaction that locks the contribution row, moves
 * money on the ledger where money moves, updates the record (version + 1) and writes one audit
 * event. Ledger transfers are written with the command's own audit event, not one of their own.
 */
import type { Actor } from '../core/actor.js';
import {
  ACCOUNT_CODES,
  TRANSFER_CODES,
  checkPositiveAmount,
  checkReason,
  checkReduction,
  checkTransition,
  contributionAccounts,
  donorCommitmentsAccount,
  fundCashAccount,
  statusAfterPayment,
  type ContributionStatus,
} from '../core/contributions.js';
import { systemActor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { requireDate } from '../core/fx.js';
import { availableMinor, type Account } from '../core/ledger.js';
import {
  checkVersion,
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import { maySeeRestricted } from '../core/redaction.js';
import {
  capabilityAreasExist,
  findContribution,
  findPayments,
  insertContribution,
  insertPayment,
  listContributions as listContributionRows,
  partyKind,
  updateContribution,
  type ContributionPaymentRow,
  type ContributionRow,
} from '../storage/contributions-repository.js';
import type { Database } from '../storage/database.js';
import {
  currencyExists,
  findAccountByReference,
  findAccountsByReferences,
} from '../storage/ledger-repository.js';
import { findPackage } from '../storage/packages-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { createAccount, createTransfersIn } from './ledger-service.js';

/** The ledger work of a workflow command is authorised by the command itself. */
const LEDGER = systemActor('workflow');

export interface Contribution {
  id: bigint;
  donorPartyId: string;
  currency: string;
  status: ContributionStatus;
  pledgedMinor: bigint;
  committedMinor: bigint;
  paidMinor: bigint;
  /** Committed and not yet allocated to a package (from the ledger). */
  availableMinor: bigint;
  allocatedMinor: bigint;
  announcedOn: string;
  committedOn: string | null;
  earmarks: { capabilityAreas: string[]; packageId: bigint | null };
  title: string;
  /** Visible to its own party, coordinators and auditors; otherwise `{ redacted: true }`. */
  internalNote: string | null | { redacted: true };
  sourceNote: string | null;
  synthetic: boolean;
  statusReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContributionDetail extends Contribution {
  payments: {
    id: bigint;
    amountMinor: bigint;
    paidOn: string;
    transferId: bigint;
    reference: string | null;
  }[];
}

function toContribution(
  actor: Actor,
  row: ContributionRow,
  available: Account | undefined,
): Contribution {
  const availableNow = available ? availableMinor(available) : 0n;
  return {
    id: row.id,
    donorPartyId: row.donor_party_id,
    currency: row.currency,
    status: row.status,
    pledgedMinor: row.pledged_minor,
    committedMinor: row.committed_minor,
    paidMinor: row.paid_minor,
    availableMinor: availableNow,
    allocatedMinor: row.committed_minor - availableNow,
    announcedOn: row.announced_on,
    committedOn: row.committed_on,
    earmarks: { capabilityAreas: row.earmark_areas, packageId: row.earmark_package_id },
    title: row.title,
    internalNote: maySeeRestricted(actor, 'contribution', { ownerParty: row.donor_party_id })
      ? row.internal_note
      : { redacted: true },
    sourceNote: row.source_note,
    synthetic: row.synthetic,
    statusReason: row.status_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toPayment(p: ContributionPaymentRow) {
  return {
    id: p.id,
    amountMinor: p.amount_minor,
    paidOn: p.paid_on,
    transferId: p.transfer_id,
    reference: p.reference,
  };
}

/** A contributor writes only its own party's contributions. */
function checkParty(actor: Actor, donorPartyId: string): void {
  if (actor.role === 'contributor' && actor.partyId !== donorPartyId) {
    throw new DomainError(
      'FORBIDDEN',
      'A contributor records only its own party’s contributions.',
      {
        field: 'donorPartyId',
        partyId: actor.partyId,
      },
    );
  }
}

export interface CreateContributionInput {
  donorPartyId: string;
  currency: string;
  /** The pledged (announced) amount, in the currency's minor units. */
  amountMinor: bigint;
  announcedOn: string;
  title: string;
  earmarkAreas?: string[];
  earmarkPackageId?: bigint | null;
  internalNote?: string | null;
  sourceNote?: string | null;
  synthetic?: boolean;
}

export async function createContribution(
  database: Database,
  actor: Actor,
  input: CreateContributionInput,
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  checkParty(actor, input.donorPartyId);
  checkPositiveAmount(input.amountMinor, 'amountMinor');
  requireDate(input.announcedOn, 'announcedOn');
  const title = input.title?.trim() ?? '';
  if (title.length === 0 || title.length > 200) {
    throw new DomainError('VALIDATION_FAILED', 'title must be 1 to 200 characters.', {
      field: 'title',
    });
  }
  const earmarkAreas = [...new Set(input.earmarkAreas ?? [])];
  if (earmarkAreas.length > 0 && input.earmarkPackageId) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Earmark capability areas or one package, not both.',
      { field: 'earmarkPackageId' },
    );
  }
  return inTransaction(database, async (tx) => {
    const kind = await partyKind(tx, input.donorPartyId);
    if (kind !== 'ally' && kind !== 'partner') {
      throw new DomainError(
        kind ? 'VALIDATION_FAILED' : 'NOT_FOUND',
        kind ? 'Only allies and partners contribute.' : 'No such party.',
        {
          field: 'donorPartyId',
        },
      );
    }
    if (!(await currencyExists(tx, input.currency))) {
      throw new DomainError('CURRENCY_UNKNOWN', `No currency ${input.currency}.`, {
        field: 'currency',
      });
    }
    if (input.earmarkPackageId && !(await findPackage(tx, input.earmarkPackageId))) {
      throw new DomainError('NOT_FOUND', 'No such package to earmark for.', {
        field: 'earmarkPackageId',
      });
    }
    const unknownAreas = await capabilityAreasExist(tx, earmarkAreas);
    if (unknownAreas.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Unknown capability area ${unknownAreas.join(', ')}.`,
        { field: 'earmarkAreas' },
      );
    }
    const row = await insertContribution(tx, {
      donorPartyId: input.donorPartyId,
      currency: input.currency,
      pledgedMinor: input.amountMinor,
      announcedOn: input.announcedOn,
      title,
      earmarkAreas,
      earmarkPackageId: input.earmarkPackageId ?? null,
      internalNote: input.internalNote ?? null,
      sourceNote: input.sourceNote ?? null,
      synthetic: input.synthetic ?? false,
    });
    const contribution = toContribution(actor, row, undefined);
    await recordAudit(tx, actor, {
      entity: 'contribution',
      entityId: String(row.id),
      action: 'pledge',
      after: contribution,
    });
    return { ...contribution, payments: [] };
  });
}

interface CommandOptions {
  /** From If-Match: the version the caller last read. */
  expectedVersion?: number | undefined;
}

/** Locks the row, checks party and version, runs `fn`, audits before/after. */
async function command(
  database: Database,
  actor: Actor,
  id: bigint,
  action: string,
  options: CommandOptions,
  fn: (
    tx: Tx,
    row: ContributionRow,
  ) => Promise<{ row: ContributionRow; details?: Record<string, unknown> }>,
): Promise<ContributionDetail> {
  return inTransaction(database, async (tx) => {
    const before = await findContribution(tx, id, true);
    if (!before) throw new DomainError('NOT_FOUND', 'No such contribution.', { field: 'id' });
    checkParty(actor, before.donor_party_id);
    checkVersion('contribution', before.version, options.expectedVersion);
    const accountName = contributionAccounts(id).available;
    const beforeAvailable = await findAccountByReference(tx, accountName);
    const { row, details } = await fn(tx, before);
    const result = toContribution(actor, row, await findAccountByReference(tx, accountName));
    await recordAudit(tx, actor, {
      entity: 'contribution',
      entityId: String(id),
      action,
      before: toContribution(actor, before, beforeAvailable),
      after: { ...result, ...details },
    });
    return { ...result, payments: (await findPayments(tx, id)).map(toPayment) };
  });
}

async function ensureAccounts(database: Database, tx: Tx, row: ContributionRow) {
  const names = contributionAccounts(row.id);
  const [receivable, available, donor, cash] = [
    await createAccount(
      database,
      LEDGER,
      {
        reference: names.receivable,
        ledger: row.currency,
        code: ACCOUNT_CODES.contributionReceivable,
        creditsMustNotExceedDebits: true,
      },
      tx,
    ),
    await createAccount(
      database,
      LEDGER,
      {
        reference: names.available,
        ledger: row.currency,
        code: ACCOUNT_CODES.contributionAvailable,
        debitsMustNotExceedCredits: true,
      },
      tx,
    ),
    await createAccount(
      database,
      LEDGER,
      {
        reference: donorCommitmentsAccount(row.donor_party_id, row.currency),
        ledger: row.currency,
        code: ACCOUNT_CODES.donorCommitments,
      },
      tx,
    ),
    await createAccount(
      database,
      LEDGER,
      {
        reference: fundCashAccount(row.currency),
        ledger: row.currency,
        code: ACCOUNT_CODES.fundCash,
      },
      tx,
    ),
  ];
  return { receivable, available, donor, cash };
}

/**
 * Commits a pledge (in full, or another amount): from now on it is funding. On the ledger the
 * donor owes the amount (receivable) and the same amount becomes available to allocate.
 */
export async function commitContribution(
  database: Database,
  actor: Actor,
  id: bigint,
  input: { amountMinor?: bigint | undefined; committedOn: string },
  options: CommandOptions = {},
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  requireDate(input.committedOn, 'committedOn');
  return command(database, actor, id, 'commit', options, async (tx, row) => {
    checkTransition(row.status, 'commit');
    const amount = input.amountMinor ?? row.pledged_minor;
    checkPositiveAmount(amount, 'amountMinor');
    const accounts = await ensureAccounts(database, tx, row);
    const { transfers } = await createTransfersIn(
      tx,
      LEDGER,
      [
        {
          kind: 'posted',
          idempotencyKey: `contribution:${row.id}:commit`,
          debitAccountId: accounts.receivable.id,
          creditAccountId: accounts.available.id,
          amountMinor: amount,
          code: TRANSFER_CODES.commitment,
        },
      ],
      { audit: false },
    );
    const updated = await updateContribution(tx, row.id, {
      status: 'committed',
      committed_minor: amount,
      committed_on: input.committedOn,
    });
    return { row: updated, details: { transferId: transfers[0]!.id } };
  });
}

/** Records money received from the donor: settles the receivable into the fund's cash. */
export async function recordPayment(
  database: Database,
  actor: Actor,
  id: bigint,
  input: { amountMinor: bigint; paidOn: string; reference?: string | null },
  options: CommandOptions = {},
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.confirm_payment');
  checkPositiveAmount(input.amountMinor, 'amountMinor');
  requireDate(input.paidOn, 'paidOn');
  return command(database, actor, id, 'payment', options, async (tx, row) => {
    checkTransition(row.status, 'pay');
    const paid = row.paid_minor + input.amountMinor;
    if (paid > row.committed_minor) {
      throw new DomainError('PAYMENT_EXCEEDS_COMMITTED', undefined, {
        field: 'amountMinor',
        committedMinor: row.committed_minor,
        paidMinor: row.paid_minor,
      });
    }
    const accounts = await ensureAccounts(database, tx, row);
    const { transfers } = await createTransfersIn(
      tx,
      LEDGER,
      [
        {
          kind: 'posted',
          idempotencyKey: `contribution:${row.id}:payment:${row.version}`,
          debitAccountId: accounts.cash.id,
          creditAccountId: accounts.receivable.id,
          amountMinor: input.amountMinor,
          code: TRANSFER_CODES.payment,
        },
      ],
      { audit: false },
    );
    const payment = await insertPayment(tx, {
      contributionId: row.id,
      amountMinor: input.amountMinor,
      paidOn: input.paidOn,
      transferId: transfers[0]!.id,
      reference: input.reference ?? null,
    });
    const updated = await updateContribution(tx, row.id, {
      paid_minor: paid,
      status: statusAfterPayment(row.committed_minor, paid),
    });
    return { row: updated, details: { payment: toPayment(payment) } };
  });
}

/** Lowers a pledge or a commitment, with a reason; never below what is allocated or paid. */
export async function reduceContribution(
  database: Database,
  actor: Actor,
  id: bigint,
  input: { amountMinor: bigint; reason: string },
  options: CommandOptions = {},
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  const reason = checkReason(input.reason);
  return command(database, actor, id, 'reduce', options, async (tx, row) => {
    checkTransition(row.status, 'reduce');
    if (row.status === 'pledged') {
      checkReduction({
        status: row.status,
        currentMinor: row.pledged_minor,
        newAmountMinor: input.amountMinor,
        allocatedMinor: 0n,
        paidMinor: 0n,
      });
      if (input.amountMinor === 0n) {
        throw new DomainError('VALIDATION_FAILED', 'To withdraw a pledge entirely, cancel it.', {
          field: 'amountMinor',
        });
      }
      return {
        row: await updateContribution(tx, row.id, {
          pledged_minor: input.amountMinor,
          status_reason: reason,
        }),
      };
    }
    const accounts = await ensureAccounts(database, tx, row);
    const allocated = row.committed_minor - availableMinor(accounts.available);
    checkReduction({
      status: row.status,
      currentMinor: row.committed_minor,
      newAmountMinor: input.amountMinor,
      allocatedMinor: allocated,
      paidMinor: row.paid_minor,
    });
    await createTransfersIn(
      tx,
      LEDGER,
      [
        {
          kind: 'posted',
          idempotencyKey: `contribution:${row.id}:reduce:${row.version}`,
          debitAccountId: accounts.available.id,
          creditAccountId: accounts.receivable.id,
          amountMinor: row.committed_minor - input.amountMinor,
          code: TRANSFER_CODES.reduction,
        },
      ],
      { audit: false },
    );
    const status: ContributionStatus =
      input.amountMinor === 0n
        ? 'cancelled'
        : row.paid_minor === input.amountMinor
          ? 'paid'
          : row.paid_minor > 0n
            ? 'partially_paid'
            : 'committed';
    return {
      row: await updateContribution(tx, row.id, {
        committed_minor: input.amountMinor,
        status,
        status_reason: reason,
      }),
    };
  });
}

/** Cancels a pledge, or a commitment from which nothing was allocated or paid. */
export async function cancelContribution(
  database: Database,
  actor: Actor,
  id: bigint,
  input: { reason: string },
  options: CommandOptions = {},
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  const reason = checkReason(input.reason);
  return command(database, actor, id, 'cancel', options, async (tx, row) => {
    checkTransition(row.status, 'cancel');
    if (row.status === 'committed') {
      const accounts = await ensureAccounts(database, tx, row);
      const allocated = row.committed_minor - availableMinor(accounts.available);
      if (allocated > 0n || row.paid_minor > 0n) {
        throw new DomainError(
          'PLEDGE_BELOW_ALLOCATED',
          'Money of this contribution is allocated or paid; reduce it instead.',
          {
            allocatedMinor: allocated,
            paidMinor: row.paid_minor,
          },
        );
      }
      await createTransfersIn(
        tx,
        LEDGER,
        [
          {
            kind: 'posted',
            idempotencyKey: `contribution:${row.id}:cancel`,
            debitAccountId: accounts.available.id,
            creditAccountId: accounts.receivable.id,
            amountMinor: row.committed_minor,
            code: TRANSFER_CODES.reduction,
          },
        ],
        { audit: false },
      );
    }
    return {
      row: await updateContribution(tx, row.id, {
        status: 'cancelled',
        committed_minor: 0n,
        status_reason: reason,
      }),
    };
  });
}

export async function getContribution(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.read');
  const row = await findContribution(database.kysely, id);
  if (!row) throw new DomainError('NOT_FOUND', 'No such contribution.', { field: 'id' });
  const available = await findAccountByReference(
    database.kysely,
    contributionAccounts(id).available,
  );
  return {
    ...toContribution(actor, row, available),
    payments: (await findPayments(database.kysely, id)).map(toPayment),
  };
}

export interface ContributionQuery extends PageRequest {
  status?: ContributionStatus | undefined;
  donorPartyId?: string | undefined;
  currency?: string | undefined;
  capabilityArea?: string | undefined;
  announcedFrom?: string | undefined;
  announcedTo?: string | undefined;
}

export async function listContributions(
  database: Database,
  actor: Actor,
  query: ContributionQuery = {},
): Promise<Page<Contribution>> {
  authorize(actor, 'contributions.read');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 1);
  if (query.announcedFrom !== undefined) requireDate(query.announcedFrom, 'announcedFrom');
  if (query.announcedTo !== undefined) requireDate(query.announcedTo, 'announcedTo');
  const rows = await listContributionRows(database.kysely, {
    ...query,
    afterId: cursor ? BigInt(cursor[0]!) : undefined,
    limit,
  });
  const page = toPage(rows, limit, (r) => [r.id.toString()]);
  // One query for the available accounts of the whole page, not one per row.
  const accounts = await findAccountsByReferences(
    database.kysely,
    page.items.map((row) => contributionAccounts(row.id).available),
  );
  const items = page.items.map((row) =>
    toContribution(actor, row, accounts.get(contributionAccounts(row.id).available)),
  );
  return { items, nextCursor: page.nextCursor };
}
