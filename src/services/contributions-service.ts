/**
 * Use cases of contributions. Each command: access check (role, then party: a contributor acts
 * only for its own party) → core rules → one transaction that locks the contribution row, moves
 * money on the ledger where money moves, updates the record (version + 1) and writes one audit
 * event. Ledger transfers are written with the command's own audit event, not one of their own.
 * `createContributionsIn` is the bulk path of imports: the same rules, set-based writes, inside
 * the caller's transaction, audited by the caller once for the whole batch.
 */
import type { Actor } from '../core/actor.js';
import {
  TRANSFER_CODES,
  checkPositiveAmount,
  checkReason,
  checkReduction,
  checkTransition,
  contributionAccountSpecs,
  contributionAccounts,
  donorFundingAccountSpecs,
  statusAfterPayment,
  type FundingAccountSpec,
  type ContributionStatus,
} from '../core/contributions.js';
import { systemActor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { requireDate } from '../core/fx.js';
import {
  availableMinor,
  checkBatch,
  planTransfers,
  type Account,
  type TransferInput,
} from '../core/ledger.js';
import { LIMITS } from '../core/limits.js';
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
  insertContributions,
  insertPayment,
  listContributions as listContributionRows,
  partyKind,
  partyKinds,
  reserveContributionIds,
  updateContribution,
  type ContributionPaymentRow,
  type ContributionRow,
  type NewContributionRecord,
} from '../storage/contributions-repository.js';
import type { Database } from '../storage/database.js';
import {
  currencyExists,
  findAccountByReference,
  findAccountsByReferences,
  insertAccounts,
  insertOpenedAccounts,
  insertUnlinkedTransfers,
  reserveAccountIds,
  type NewAccount,
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
  /** The donor asks this money to fund whole packages alone. */
  fundsPackageAlone: boolean;
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
    fundsPackageAlone: row.funds_package_alone,
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
function checkParty(actor: Actor, donorPartyId: string, field = 'donorPartyId'): void {
  if (actor.role === 'contributor' && actor.partyId !== donorPartyId) {
    throw new DomainError(
      'FORBIDDEN',
      'A contributor records only its own party’s contributions.',
      {
        field,
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
  /** The donor asks this money to fund whole packages alone. */
  fundsPackageAlone?: boolean | undefined;
  internalNote?: string | null;
  sourceNote?: string | null;
  synthetic?: boolean;
}

/**
 * The rules of a new contribution that need no database: the actor's party, a positive amount,
 * the dates, a title of 1 to 200 characters, earmarks of areas or one package (not both).
 * Returns the trimmed title and the distinct areas; `at` prefixes each field named in an error.
 */
function checkNewContribution(
  actor: Actor,
  input: CreateContributionInput,
  at = '',
): { title: string; earmarkAreas: string[] } {
  checkParty(actor, input.donorPartyId, `${at}donorPartyId`);
  checkPositiveAmount(input.amountMinor, `${at}amountMinor`);
  requireDate(input.announcedOn, `${at}announcedOn`);
  const title = input.title?.trim() ?? '';
  if (title.length === 0 || title.length > 200) {
    throw new DomainError('VALIDATION_FAILED', 'title must be 1 to 200 characters.', {
      field: `${at}title`,
    });
  }
  const earmarkAreas = [...new Set(input.earmarkAreas ?? [])];
  if (earmarkAreas.length > 0 && input.earmarkPackageId) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Earmark capability areas or one package, not both.',
      { field: `${at}earmarkPackageId` },
    );
  }
  return { title, earmarkAreas };
}

export async function createContribution(
  database: Database,
  actor: Actor,
  input: CreateContributionInput,
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  const { title, earmarkAreas } = checkNewContribution(actor, input);
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
      fundsPackageAlone: input.fundsPackageAlone ?? false,
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

export interface NewContributionEntry extends CreateContributionInput {
  /** The donor's own reference, unique per donor (a re-import finds it). */
  externalId?: string | null;
  /** Commit the whole amount on this day (as `commitContribution`), or leave a pledge. */
  committedOn?: string | null;
}

export interface CreatedContributionEntry {
  id: bigint;
  status: 'pledged' | 'committed';
  /** The commitment transfer, receivable → available (committed entries only). */
  commitTransferId: bigint | null;
  receivableAccountId: bigint | null;
  availableAccountId: bigint | null;
}

/** Characters of a contribution's external id (migration 0016). */
export const EXTERNAL_ID_MAX_CHARS = 100;

/**
 * Creates many contributions inside the caller's transaction — the bulk path of imports, with
 * the rules of `createContribution` (and of `commitContribution` for entries with
 * `committedOn`), every entry checked before anything is written (a failure names
 * `entries.N.field`). The writes are set-based: ids reserved in one statement, rows inserted a
 * few thousand per statement, the committed ones' ledger accounts and commitments checked and
 * planned by the ledger's core rules and written a few thousand per statement — the same
 * accounts, codes, balances, idempotency keys and unlinked transfers as one commit at a time. A committed entry
 * is created committed (version 1). At most `LIMITS.importRowsMax` entries. No audit event: the
 * caller records one for the batch.
 */
export async function createContributionsIn(
  tx: Tx,
  actor: Actor,
  entries: readonly NewContributionEntry[],
  onProgress?: (done: number, total: number) => void,
): Promise<CreatedContributionEntry[]> {
  authorize(actor, 'contributions.write');
  if (entries.length > LIMITS.importRowsMax) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `At most ${LIMITS.importRowsMax} contributions are created at once (importRowsMax).`,
      {
        field: 'entries',
        limit: 'importRowsMax',
        max: LIMITS.importRowsMax,
        actual: entries.length,
      },
    );
  }
  const checked = entries.map((entry, index) => {
    const at = `entries.${index}.`;
    const facts = checkNewContribution(actor, entry, at);
    const committedOn = entry.committedOn ?? null;
    if (committedOn !== null) requireDate(committedOn, `${at}committedOn`);
    const externalId = entry.externalId ?? null;
    if (
      externalId !== null &&
      (externalId.length === 0 || externalId.length > EXTERNAL_ID_MAX_CHARS)
    ) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `externalId must be 1 to ${EXTERNAL_ID_MAX_CHARS} characters.`,
        { field: `${at}externalId` },
      );
    }
    return { entry, committedOn, externalId, ...facts };
  });
  await checkReferencesExist(tx, checked);

  const total = entries.length + checked.filter((c) => c.committedOn !== null).length;
  const ids = await reserveContributionIds(tx, entries.length);
  const records: NewContributionRecord[] = checked.map(
    ({ entry, committedOn, title, earmarkAreas, externalId }, i) => ({
      id: ids[i]!,
      donorPartyId: entry.donorPartyId,
      currency: entry.currency,
      status: committedOn !== null ? 'committed' : 'pledged',
      pledgedMinor: entry.amountMinor,
      committedMinor: committedOn !== null ? entry.amountMinor : 0n,
      committedOn,
      announcedOn: entry.announcedOn,
      title,
      earmarkAreas,
      earmarkPackageId: entry.earmarkPackageId ?? null,
      internalNote: entry.internalNote ?? null,
      sourceNote: entry.sourceNote ?? null,
      synthetic: entry.synthetic ?? false,
      externalId,
    }),
  );
  const committed = records.filter((r) => r.status === 'committed');
  // The contribution rows and the ledger side do not depend on each other: started together,
  // the ledger's planning (JavaScript) runs while the server inserts contributions (on
  // PostgreSQL; PGlite runs both in turn). The transaction's one connection runs their
  // statements one at a time. Both are awaited before anything fails: no statement of either
  // may outlive the transaction (after an error the server refuses the rest of it anyway).
  const done = { contributions: 0, commitments: 0 };
  const report = () => onProgress?.(done.contributions + done.commitments, total);
  const [inserted, booked] = await Promise.allSettled([
    insertContributions(tx, records, (n) => {
      done.contributions = n;
      report();
    }),
    commitInBulk(tx, committed, (n) => {
      done.commitments = n;
      report();
    }),
  ]);
  if (inserted.status === 'rejected') throw inserted.reason;
  if (booked.status === 'rejected') throw booked.reason;
  const ledger = booked.value;
  return records.map((r) => {
    const booked = ledger.get(r.id);
    return {
      id: r.id,
      status: r.status,
      commitTransferId: booked?.transferId ?? null,
      receivableAccountId: booked?.receivableAccountId ?? null,
      availableAccountId: booked?.availableAccountId ?? null,
    };
  });
}

/** The donors (allies and partners), currencies, earmarked packages and areas all exist. */
async function checkReferencesExist(
  tx: Tx,
  checked: readonly { entry: NewContributionEntry; earmarkAreas: string[] }[],
): Promise<void> {
  const kinds = await partyKinds(tx, [...new Set(checked.map((c) => c.entry.donorPartyId))]);
  const currencies = new Map<string, boolean>();
  for (const code of new Set(checked.map((c) => c.entry.currency)))
    currencies.set(code, await currencyExists(tx, code));
  const packages = new Map<bigint, boolean>();
  for (const id of new Set(checked.map((c) => c.entry.earmarkPackageId ?? null)))
    if (id !== null) packages.set(id, (await findPackage(tx, id)) !== undefined);
  const unknownAreas = new Set(
    await capabilityAreasExist(tx, [...new Set(checked.flatMap((c) => c.earmarkAreas))]),
  );
  checked.forEach(({ entry, earmarkAreas }, index) => {
    const at = `entries.${index}.`;
    const kind = kinds.get(entry.donorPartyId);
    if (kind !== 'ally' && kind !== 'partner') {
      throw new DomainError(
        kind ? 'VALIDATION_FAILED' : 'NOT_FOUND',
        kind ? 'Only allies and partners contribute.' : `No such party ${entry.donorPartyId}.`,
        { field: `${at}donorPartyId` },
      );
    }
    if (!currencies.get(entry.currency)) {
      throw new DomainError('CURRENCY_UNKNOWN', `No currency ${entry.currency}.`, {
        field: `${at}currency`,
      });
    }
    if (entry.earmarkPackageId && !packages.get(entry.earmarkPackageId)) {
      throw new DomainError('NOT_FOUND', 'No such package to earmark for.', {
        field: `${at}earmarkPackageId`,
      });
    }
    const unknown = earmarkAreas.filter((a) => unknownAreas.has(a));
    if (unknown.length > 0) {
      throw new DomainError('VALIDATION_FAILED', `Unknown capability area ${unknown.join(', ')}.`, {
        field: `${at}earmarkAreas`,
      });
    }
  });
}

/**
 * The ledger side of committing new contributions in bulk: the accounts `ensureAccounts`
 * creates (receivable, available; the donor's commitments and the fund's cash account of the
 * currency) and one `commitment` transfer receivable → available each, checked and planned by
 * the ledger's core rules as `createTransfersIn` does. The contribution accounts are new: their
 * ids are reserved, the transfers planned against them, and they are inserted with the balances
 * the plan gives them (no one else can see them, so there is nothing to lock, and no row is
 * written twice). Returns the transfer and accounts per contribution id.
 */
async function commitInBulk(
  tx: Tx,
  committed: readonly NewContributionRecord[],
  onProgress: (done: number) => void,
): Promise<Map<bigint, BookedCommitment>> {
  const booked = new Map<bigint, BookedCommitment>();
  if (committed.length === 0) return booked;
  await ensureSharedAccounts(tx, committed);

  const ids = await reserveAccountIds(tx, 2 * committed.length);
  const opened = committed.flatMap((r, i): Account[] => {
    const specs = contributionAccountSpecs(r.id, r.currency);
    const account = (id: bigint, spec: FundingAccountSpec): Account => ({
      id,
      ...spec,
      debitsPendingMinor: 0n,
      debitsPostedMinor: 0n,
      creditsPendingMinor: 0n,
      creditsPostedMinor: 0n,
    });
    return [account(ids[2 * i]!, specs.receivable), account(ids[2 * i + 1]!, specs.available)];
  });
  const inputs: TransferInput[] = committed.map((r, i) => ({
    kind: 'posted',
    idempotencyKey: `contribution:${r.id}:commit`,
    debitAccountId: ids[2 * i]!,
    creditAccountId: ids[2 * i + 1]!,
    amountMinor: r.committedMinor,
    code: TRANSFER_CODES.commitment,
  }));
  for (let start = 0; start < inputs.length; start += LIMITS.transferBatchMax)
    checkBatch(inputs.slice(start, start + LIMITS.transferBatchMax));
  const plan = planTransfers(inputs, new Map(opened.map((a) => [a.id, a])), new Map());

  await insertOpenedAccounts(
    tx,
    opened.map((a) => plan.accounts.get(a.id) ?? a),
  );
  const transferIds = await insertUnlinkedTransfers(tx, plan.transfers);
  committed.forEach((r, i) =>
    booked.set(r.id, {
      transferId: transferIds[i]!,
      receivableAccountId: ids[2 * i]!,
      availableAccountId: ids[2 * i + 1]!,
    }),
  );
  onProgress(committed.length);
  return booked;
}

interface BookedCommitment {
  transferId: bigint;
  receivableAccountId: bigint;
  availableAccountId: bigint;
}

/** The donors' commitments and the funds' cash accounts of these currencies, as `ensureAccounts`. */
async function ensureSharedAccounts(
  tx: Tx,
  committed: readonly NewContributionRecord[],
): Promise<void> {
  const wanted = new Map<string, NewAccount>();
  for (const r of committed) {
    const { donorCommitments, fundCash } = donorFundingAccountSpecs(r.donorPartyId, r.currency);
    wanted.set(donorCommitments.reference, donorCommitments);
    wanted.set(fundCash.reference, fundCash);
  }
  const accounts = await insertAccounts(tx, [...wanted.values()]);
  for (const [reference, spec] of wanted) {
    const { account } = accounts.get(reference)!;
    const same =
      account.ledger === spec.ledger &&
      account.code === spec.code &&
      account.debitsMustNotExceedCredits === spec.debitsMustNotExceedCredits &&
      account.creditsMustNotExceedDebits === spec.creditsMustNotExceedDebits;
    if (!same)
      throw new DomainError('ACCOUNT_EXISTS', undefined, {
        field: 'reference',
        accountId: account.id,
      });
  }
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
  const specs = contributionAccountSpecs(row.id, row.currency);
  const shared = donorFundingAccountSpecs(row.donor_party_id, row.currency);
  const [receivable, available, donor, cash] = [
    await createAccount(database, LEDGER, specs.receivable, tx),
    await createAccount(database, LEDGER, specs.available, tx),
    await createAccount(database, LEDGER, shared.donorCommitments, tx),
    await createAccount(database, LEDGER, shared.fundCash, tx),
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

/**
 * Records whether the donor asks this contribution to fund whole packages alone (the planner
 * then proposes a package of its own for it). Any status but cancelled; audited.
 */
export async function setPackagePreference(
  database: Database,
  actor: Actor,
  id: bigint,
  input: { fundsPackageAlone: boolean },
  options: CommandOptions = {},
): Promise<ContributionDetail> {
  authorize(actor, 'contributions.write');
  if (typeof input.fundsPackageAlone !== 'boolean') {
    throw new DomainError('VALIDATION_FAILED', 'fundsPackageAlone: true or false.', {
      field: 'fundsPackageAlone',
    });
  }
  return command(database, actor, id, 'package_preference', options, async (tx, row) => {
    if (row.status === 'cancelled') {
      throw new DomainError('INVALID_TRANSITION', 'A cancelled contribution funds nothing.', {
        from: row.status,
        allowed: ['pledged', 'committed', 'partially_paid', 'paid'],
      });
    }
    return {
      row: await updateContribution(tx, row.id, { funds_package_alone: input.fundsPackageAlone }),
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
  /** Only contributions with money not yet allocated (what an allocation may draw on). */
  available?: boolean | undefined;
  /** Only contributions whose earmarks let them fund this package (core `earmarkVerdict`). */
  eligibleFor?: bigint | undefined;
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
  if (query.eligibleFor !== undefined && !(await findPackage(database.kysely, query.eligibleFor))) {
    throw new DomainError('NOT_FOUND', 'No such package.', { field: 'eligibleFor' });
  }
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
