/**
 * Use cases of packages: compose from approved requirement items, open for funding, allocate
 * contributions (pending ledger holds, converted to USD at a recorded rate), authorise (the
 * holds are posted; a re-price above funding re-opens the gap), disburse to the supplier,
 * cancel (every pending hold voided). Locks, in this order: package row, contribution row,
 * ledger accounts, audit head.
 */
import { systemActor, type Actor } from '../core/actor.js';
import { checkReason, contributionAccounts } from '../core/contributions.js';
import { DomainError } from '../core/errors.js';
import { requireDate } from '../core/fx.js';
import { availableMinor, type TransferInput } from '../core/ledger.js';
import {
  PACKAGE_ACCOUNT_CODES,
  PACKAGE_TRANSFER_CODES,
  checkAllocationFitsGap,
  checkEarmark,
  checkLineQuantity,
  checkPackageTransition,
  fundingStatus,
  linesPrice,
  packageFundingAccount,
  supplierAccount,
  type PackageStatus,
} from '../core/packages.js';
import {
  checkVersion,
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import {
  RESTRICTED_FIELDS,
  dependsOnParties,
  maySeeRestricted,
  redactFields,
  type Restricted,
} from '../core/redaction.js';
import { findContribution } from '../storage/contributions-repository.js';
import type { Database } from '../storage/database.js';
import { findAccountByReference } from '../storage/ledger-repository.js';
import {
  deleteLine,
  findAllocations,
  findFundingParties,
  findItemForPackaging,
  findLines,
  findPackage,
  insertAllocation,
  insertLine,
  insertPackage,
  listPackages as listPackageRows,
  nextPackageNumber,
  resolveAllocations,
  updatePackage,
  type AllocationRow,
  type PackageLineRow,
  type PackageRow,
} from '../storage/packages-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { convert } from './fx-service.js';
import { FX_ACCOUNT_CODE, createConversionIn } from './ledger-conversion-service.js';
import { createAccount, createTransfersIn } from './ledger-service.js';

const LEDGER = systemActor('workflow');
import { SUPPLIER_PARTY } from '../core/packages.js';
export { SUPPLIER_PARTY };

export interface PackageSummary {
  id: bigint;
  number: string;
  cycle: string;
  title: string;
  currency: string;
  status: PackageStatus;
  targetMinor: bigint;
  priceMinor: bigint;
  fundedMinor: bigint;
  /** Price not yet covered by allocations (0 when funded). */
  gapMinor: bigint;
  /** Allocated beyond the price: returned to its contributions when the package closes. */
  surplusMinor: bigint;
  disbursedMinor: bigint;
  authorizationReference: string | null;
  authorizedOn: string | null;
  statusReason: string | null;
  synthetic: boolean;
  sourceNote: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A line with its contents, as stored (never leaves the service as is: see `PackageLine`). */
export interface PackageLineContents {
  id: bigint;
  requirementItemId: bigint;
  capabilityArea: string;
  category: string;
  lethal: boolean;
  quantity: number;
  unit: string;
  unitPriceMinor: bigint;
  lineTotalMinor: bigint;
  description: string | null;
  synthetic: boolean;
}

/**
 * A line as it leaves the service: description, unit price and line total are
 * `{ redacted: true }` for a reader who may not see the package's contents
 * (`core/redaction.ts`).
 */
export type PackageLine = Omit<
  PackageLineContents,
  'description' | 'unitPriceMinor' | 'lineTotalMinor'
> & {
  description: Restricted<string | null>;
  unitPriceMinor: Restricted<bigint>;
  lineTotalMinor: Restricted<bigint>;
};

export interface Allocation {
  id: bigint;
  contributionId: bigint;
  status: AllocationRow['status'];
  amountMinor: bigint;
  currency: string;
  packageAmountMinor: bigint;
  valueDate: string;
  rate: string;
  fromRatePerEur: string;
  toRatePerEur: string;
  rateDate: string;
  rateSource: string;
  holdTransferIds: bigint[];
  createdAt: Date;
}

export interface PackageDetail extends PackageSummary {
  lines: PackageLine[];
  allocations: Allocation[];
}

/** A package with its lines' contents, inside the service only. */
interface PackageDetailContents extends PackageSummary {
  lines: PackageLineContents[];
  allocations: Allocation[];
}

function toSummary(row: PackageRow): PackageSummary {
  return {
    id: row.id,
    number: row.number,
    cycle: row.cycle,
    title: row.title,
    currency: row.currency,
    status: row.status,
    targetMinor: row.target_minor,
    priceMinor: row.price_minor,
    fundedMinor: row.funded_minor,
    gapMinor: row.price_minor > row.funded_minor ? row.price_minor - row.funded_minor : 0n,
    surplusMinor:
      row.funded_minor > row.price_minor && row.price_minor > 0n
        ? row.funded_minor - row.price_minor
        : 0n,
    disbursedMinor: row.disbursed_minor,
    authorizationReference: row.authorization_reference,
    authorizedOn: row.authorized_on,
    statusReason: row.status_reason,
    synthetic: row.synthetic,
    sourceNote: row.source_note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toLine(l: PackageLineRow): PackageLineContents {
  return {
    id: l.id,
    requirementItemId: l.requirement_item_id,
    capabilityArea: l.capability_area,
    category: l.category,
    lethal: l.lethal,
    quantity: l.quantity,
    unit: l.unit,
    unitPriceMinor: l.unit_price_minor,
    lineTotalMinor: BigInt(l.quantity) * l.unit_price_minor,
    description: l.description,
    synthetic: l.synthetic,
  };
}

function toAllocation(a: AllocationRow): Allocation {
  return {
    id: a.id,
    contributionId: a.contribution_id,
    status: a.status,
    amountMinor: a.amount_minor,
    currency: a.currency,
    packageAmountMinor: a.package_amount_minor,
    valueDate: a.value_date,
    rate: a.rate,
    fromRatePerEur: a.from_rate_per_eur,
    toRatePerEur: a.to_rate_per_eur,
    rateDate: a.rate_date,
    rateSource: a.rate_source,
    holdTransferIds: a.hold_transfer_ids,
    createdAt: a.created_at,
  };
}

async function detail(
  db: Tx | Database['kysely'],
  row: PackageRow,
): Promise<PackageDetailContents> {
  const [lines, allocations] = [await findLines(db, row.id), await findAllocations(db, row.id)];
  return {
    ...toSummary(row),
    lines: lines.map(toLine),
    allocations: allocations.map(toAllocation),
  };
}

/**
 * Every package detail leaves the service through here: its lines' restricted fields are
 * redacted unless the actor may see the package's contents (`core/redaction.ts`). The funding
 * parties are read (in the caller's snapshot) only when the answer depends on them.
 */
async function presentPackage(
  db: Tx | Database['kysely'],
  actor: Actor,
  pkg: PackageDetailContents,
): Promise<PackageDetail> {
  const fundingParties = dependsOnParties(actor, 'package')
    ? await findFundingParties(db, pkg.id)
    : [];
  const visible = maySeeRestricted(actor, 'package', { fundingParties });
  return {
    ...pkg,
    lines: pkg.lines.map((line) => redactFields(line, RESTRICTED_FIELDS.package, visible)),
  };
}

interface CommandOptions {
  expectedVersion?: number | undefined;
}

/** Locks the package, checks its version, runs `fn`, audits before/after in one transaction. */
async function command(
  database: Database,
  actor: Actor,
  id: bigint,
  action: string,
  options: CommandOptions,
  fn: (tx: Tx, row: PackageRow) => Promise<{ row: PackageRow; details?: Record<string, unknown> }>,
): Promise<PackageDetail> {
  return inTransaction(database, async (tx) => {
    const before = await findPackage(tx, id, true);
    if (!before) throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
    checkVersion('package', before.version, options.expectedVersion);
    const { row, details } = await fn(tx, before);
    const after = await detail(tx, row);
    await recordAudit(tx, actor, {
      entity: 'package',
      entityId: String(id),
      action,
      before: toSummary(before),
      after: { ...toSummary(row), ...details },
    });
    return presentPackage(tx, actor, after);
  });
}

export async function createPackage(
  database: Database,
  actor: Actor,
  input: {
    cycle: string;
    title: string;
    targetMinor: bigint;
    synthetic?: boolean;
    sourceNote?: string | null;
  },
): Promise<PackageDetail> {
  authorize(actor, 'packages.write');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.cycle)) {
    throw new DomainError('VALIDATION_FAILED', 'cycle must be a month written YYYY-MM.', {
      field: 'cycle',
    });
  }
  const title = input.title?.trim() ?? '';
  if (title.length === 0 || title.length > 200)
    throw new DomainError('VALIDATION_FAILED', 'title must be 1 to 200 characters.', {
      field: 'title',
    });
  if (input.targetMinor <= 0n)
    throw new DomainError('AMOUNT_INVALID', 'targetMinor must be more than zero.', {
      field: 'targetMinor',
    });
  return inTransaction(database, async (tx) => {
    const row = await insertPackage(tx, {
      number: await nextPackageNumber(tx),
      cycle: input.cycle,
      title,
      targetMinor: input.targetMinor,
      synthetic: input.synthetic ?? false,
      sourceNote: input.sourceNote ?? null,
    });
    await recordAudit(tx, actor, {
      entity: 'package',
      entityId: String(row.id),
      action: 'create',
      after: toSummary(row),
    });
    return presentPackage(tx, actor, await detail(tx, row));
  });
}

/**
 * Adds an approved requirement item (or part of its approved quantity) to a draft package: in
 * the item's steps or the whole of what is left (`checkLineQuantity`).
 */
export async function addPackageLine(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: { requirementItemId: bigint; quantity: number; unitPriceMinor?: bigint | undefined },
  options: CommandOptions = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.write');
  if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
    throw new DomainError('VALIDATION_FAILED', 'quantity must be a positive whole number.', {
      field: 'quantity',
    });
  }
  return command(database, actor, packageId, 'add_line', options, async (tx, row) => {
    checkPackageTransition(row.status, 'edit_lines');
    const item = await findItemForPackaging(tx, input.requirementItemId);
    if (!item)
      throw new DomainError('NOT_FOUND', 'No such requirement item.', {
        field: 'requirementItemId',
      });
    if (item.list_status !== 'approved' || !item.approved_quantity) {
      throw new DomainError('ITEM_NOT_APPROVED', undefined, {
        field: 'requirementItemId',
        listStatus: item.list_status,
      });
    }
    // At most what is left; in the item's steps, or the whole of what is left.
    checkLineQuantity(
      {
        itemId: item.id,
        unit: item.unit,
        quantityStep: item.quantity_step,
        wholeOnly: item.whole_only,
        remainingQuantity: item.approved_quantity - item.packaged_quantity,
      },
      input.quantity,
    );
    const unitPrice = input.unitPriceMinor ?? item.estimated_unit_cost_usd_minor;
    if (unitPrice < 0n)
      throw new DomainError('AMOUNT_INVALID', 'unitPriceMinor cannot be negative.', {
        field: 'unitPriceMinor',
      });
    // One line per item in a package (the table's unique key): say so before the database does.
    const same = (await findLines(tx, row.id)).find((l) => l.requirement_item_id === item.id);
    if (same) {
      throw new DomainError(
        'DUPLICATE',
        `The package already has a line for item ${item.id} (line ${same.id}): remove that line and add the item again with the whole quantity wanted.`,
        { field: 'requirementItemId', lineId: same.id },
      );
    }
    const line = await insertLine(tx, {
      package_id: row.id,
      requirement_item_id: item.id,
      capability_area: item.capability_area,
      category: item.category,
      lethal: item.lethal,
      quantity: input.quantity,
      unit: item.unit,
      unit_price_minor: unitPrice,
      description: item.description,
      synthetic: item.synthetic,
    });
    const price = linesPrice(
      (await findLines(tx, row.id)).map((l) => ({
        quantity: l.quantity,
        unitPriceMinor: l.unit_price_minor,
      })),
    );
    return {
      row: await updatePackage(tx, row.id, { price_minor: price }),
      details: { line: toLine(line) },
    };
  });
}

export async function removePackageLine(
  database: Database,
  actor: Actor,
  packageId: bigint,
  lineId: bigint,
  options: CommandOptions = {},
) {
  authorize(actor, 'packages.write');
  return command(database, actor, packageId, 'remove_line', options, async (tx, row) => {
    checkPackageTransition(row.status, 'edit_lines');
    if (!(await deleteLine(tx, row.id, lineId)))
      throw new DomainError('NOT_FOUND', 'No such line in this package.', { field: 'lineId' });
    const price = linesPrice(
      (await findLines(tx, row.id)).map((l) => ({
        quantity: l.quantity,
        unitPriceMinor: l.unit_price_minor,
      })),
    );
    return {
      row: await updatePackage(tx, row.id, { price_minor: price }),
      details: { removedLineId: lineId },
    };
  });
}

export async function openPackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  options: CommandOptions = {},
) {
  authorize(actor, 'packages.write');
  return command(database, actor, packageId, 'open', options, async (tx, row) => {
    checkPackageTransition(row.status, 'open');
    if (row.price_minor <= 0n) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'A package needs priced lines before it opens for funding.',
        { field: 'lines' },
      );
    }
    return { row: await updatePackage(tx, row.id, { status: 'open', opened_at: new Date() }) };
  });
}

async function ensureLedgerAccount(
  database: Database,
  tx: Tx,
  reference: string,
  ledger: string,
  code: number,
  noOverdraft = false,
) {
  return createAccount(
    database,
    LEDGER,
    { reference, ledger, code, debitsMustNotExceedCredits: noOverdraft },
    tx,
  );
}

/**
 * Allocates `amountMinor` of a committed contribution (in its currency) to an open package: a
 * pending hold on the ledger — through the FX accounts at the ECB rate of `valueDate` when the
 * currencies differ — posted when the supplier authorises the package, voided if it is
 * cancelled. The package becomes `funded` when allocations cover its price.
 */
export async function allocateToPackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: { contributionId: bigint; amountMinor: bigint; valueDate: string },
  options: CommandOptions = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.allocate');
  requireDate(input.valueDate, 'valueDate');
  if (input.amountMinor <= 0n)
    throw new DomainError('AMOUNT_INVALID', 'amountMinor must be more than zero.', {
      field: 'amountMinor',
    });
  // Early answers before pricing (all checked again under the locks).
  const target = await findPackage(database.kysely, packageId);
  if (!target) throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
  checkPackageTransition(target.status, 'allocate');
  const contribution = await findContribution(database.kysely, input.contributionId);
  if (!contribution)
    throw new DomainError('NOT_FOUND', 'No such contribution.', { field: 'contributionId' });
  // Priced before the transaction (reference data; the same on a retry).
  const priced = await convert(database, LEDGER, {
    amountMinor: input.amountMinor,
    from: contribution.currency,
    to: 'USD',
    valueDate: input.valueDate,
  });
  // The value of one minor unit of the contribution's currency in the package's, rounded up:
  // the rounding tolerance of the last allocation that fills the gap.
  const oneUnit = (priced.amountMinor + input.amountMinor - 1n) / input.amountMinor;

  return command(database, actor, packageId, 'allocate', options, async (tx, row) => {
    checkPackageTransition(row.status, 'allocate');
    const c = await findContribution(tx, input.contributionId, true);
    if (!c || !['committed', 'partially_paid', 'paid'].includes(c.status)) {
      throw new DomainError('CONTRIBUTION_NOT_COMMITTED', undefined, {
        field: 'contributionId',
        status: c?.status,
      });
    }
    const lines = await findLines(tx, row.id);
    checkEarmark(
      { capabilityAreas: c.earmark_areas, packageId: c.earmark_package_id },
      { packageId: row.id, lineAreas: lines.map((l) => l.capability_area) },
    );
    const gap = row.price_minor - row.funded_minor;
    checkAllocationFitsGap({
      gapMinor: gap,
      packageAmountMinor: priced.amountMinor,
      oneUnitInPackageMinor: oneUnit,
    });
    const available = await findAccountByReference(tx, contributionAccounts(c.id).available);
    const availableNow = available ? availableMinor(available) : 0n;
    if (!available || availableNow < input.amountMinor) {
      throw new DomainError('ALLOCATION_EXCEEDS_AVAILABLE', undefined, {
        field: 'amountMinor',
        availableMinor: availableNow,
      });
    }
    const funding = await ensureLedgerAccount(
      database,
      tx,
      packageFundingAccount(row.id),
      'USD',
      PACKAGE_ACCOUNT_CODES.packageFunding,
      true,
    );
    const key = `package:${row.id}:allocation:${row.version}`;
    let holdIds: bigint[];
    if (c.currency === 'USD') {
      const { transfers } = await createTransfersIn(
        tx,
        LEDGER,
        [
          {
            kind: 'pending',
            idempotencyKey: key,
            debitAccountId: available.id,
            creditAccountId: funding.id,
            amountMinor: input.amountMinor,
            code: PACKAGE_TRANSFER_CODES.allocation,
          },
        ],
        { audit: false },
      );
      holdIds = [transfers[0]!.id];
    } else {
      await ensureLedgerAccount(database, tx, `fx:${c.currency}`, c.currency, FX_ACCOUNT_CODE);
      const conversion = await createConversionIn(
        tx,
        database,
        LEDGER,
        {
          idempotencyKey: key,
          fromAccountId: available.id,
          toAccountId: funding.id,
          amountMinor: input.amountMinor,
          valueDate: input.valueDate,
          code: PACKAGE_TRANSFER_CODES.allocation,
          pending: true,
        },
        priced,
        { audit: false },
      );
      holdIds = [conversion.fromTransfer.id, conversion.toTransfer.id];
    }
    const allocation = await insertAllocation(tx, {
      package_id: row.id,
      contribution_id: c.id,
      status: 'pending',
      amount_minor: input.amountMinor,
      currency: c.currency,
      package_amount_minor: priced.amountMinor,
      value_date: input.valueDate,
      rate: priced.rate,
      from_rate_per_eur: priced.fromRatePerEur,
      to_rate_per_eur: priced.toRatePerEur,
      rate_date: priced.rateDate,
      rate_source: priced.source,
      hold_transfer_ids: holdIds,
      synthetic: c.synthetic,
    });
    const funded = row.funded_minor + priced.amountMinor;
    const status = fundingStatus(row.price_minor, funded);
    const updated = await updatePackage(tx, row.id, {
      funded_minor: funded,
      status,
      ...(status === 'funded' ? { funded_at: new Date() } : {}),
    });
    return { row: updated, details: { allocation: toAllocation(allocation) } };
  });
}

/**
 * Posts (authorisation) or voids (cancellation) every pending hold of the package's allocations,
 * as one linked batch, and marks the allocations; returns the number of transfers written.
 */
async function resolvePendingHolds(
  tx: Tx,
  packageId: bigint,
  outcome: 'posted' | 'voided',
): Promise<number> {
  const pending = (await findAllocations(tx, packageId)).filter((a) => a.status === 'pending');
  const transfers: TransferInput[] = pending.flatMap((a) =>
    a.hold_transfer_ids.map((id) =>
      outcome === 'posted'
        ? { kind: 'post_pending' as const, idempotencyKey: `transfer:${id}:post`, pendingId: id }
        : { kind: 'void_pending' as const, idempotencyKey: `transfer:${id}:void`, pendingId: id },
    ),
  );
  if (transfers.length > 0) await createTransfersIn(tx, LEDGER, transfers, { audit: false });
  await resolveAllocations(tx, packageId, 'pending', outcome);
  return transfers.length;
}

/**
 * The supplier authorises a funded package at its final price. At or below the funding, every
 * pending hold is posted and any surplus waits to be returned at closing; above it, the package
 * re-opens for the gap (recorded, not authorised).
 */
export async function authorizePackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: { reference: string; authorizedOn: string; finalPriceMinor?: bigint | undefined },
  options: CommandOptions = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.authorize');
  requireDate(input.authorizedOn, 'authorizedOn');
  const reference = input.reference?.trim() ?? '';
  if (reference.length === 0 || reference.length > 200) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'reference (the authorisation reference) must be 1 to 200 characters.',
      { field: 'reference' },
    );
  }
  return command(database, actor, packageId, 'authorize', options, async (tx, row) => {
    checkPackageTransition(row.status, 'authorize');
    const price = input.finalPriceMinor ?? row.price_minor;
    if (price <= 0n)
      throw new DomainError('AMOUNT_INVALID', 'finalPriceMinor must be more than zero.', {
        field: 'finalPriceMinor',
      });
    if (price > row.funded_minor) {
      const updated = await updatePackage(tx, row.id, {
        status: 'open',
        price_minor: price,
        funded_at: null,
        status_reason: `re-priced at authorisation (${reference}): the gap re-opened`,
      });
      return { row: updated, details: { repriced: true, gapMinor: price - row.funded_minor } };
    }
    const posted = await resolvePendingHolds(tx, row.id, 'posted');
    const updated = await updatePackage(tx, row.id, {
      status: 'authorized',
      price_minor: price,
      authorization_reference: reference,
      authorized_on: input.authorizedOn,
      authorized_at: new Date(),
      status_reason:
        price < row.price_minor
          ? 're-priced lower at authorisation: the surplus is returned at closing'
          : null,
    });
    return { row: updated, details: { postedTransfers: posted } };
  });
}

/** Pays the supplier from the package's funding (never more than the price, nor than is posted). */
export async function disbursePackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: { amountMinor: bigint; paidOn: string },
  options: CommandOptions = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.disburse');
  requireDate(input.paidOn, 'paidOn');
  if (input.amountMinor <= 0n)
    throw new DomainError('AMOUNT_INVALID', 'amountMinor must be more than zero.', {
      field: 'amountMinor',
    });
  return command(database, actor, packageId, 'disburse', options, async (tx, row) => {
    checkPackageTransition(row.status, 'disburse');
    const disbursed = row.disbursed_minor + input.amountMinor;
    if (disbursed > row.price_minor) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Disbursements cannot exceed the authorised price.',
        {
          field: 'amountMinor',
          remainingMinor: row.price_minor - row.disbursed_minor,
        },
      );
    }
    const funding = await ensureLedgerAccount(
      database,
      tx,
      packageFundingAccount(row.id),
      'USD',
      PACKAGE_ACCOUNT_CODES.packageFunding,
      true,
    );
    const supplier = await ensureLedgerAccount(
      database,
      tx,
      supplierAccount(SUPPLIER_PARTY, 'USD'),
      'USD',
      PACKAGE_ACCOUNT_CODES.supplierPaid,
    );
    const { transfers } = await createTransfersIn(
      tx,
      LEDGER,
      [
        {
          kind: 'posted',
          idempotencyKey: `package:${row.id}:disburse:${row.version}`,
          debitAccountId: funding.id,
          creditAccountId: supplier.id,
          amountMinor: input.amountMinor,
          code: PACKAGE_TRANSFER_CODES.disbursement,
        },
      ],
      { audit: false },
    );
    const updated = await updatePackage(tx, row.id, { disbursed_minor: disbursed });
    return { row: updated, details: { transferId: transfers[0]!.id, paidOn: input.paidOn } };
  });
}

/** Cancels a package that is not yet authorised; every pending hold is voided. */
export async function cancelPackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: { reason: string },
  options: CommandOptions = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.write');
  const reason = checkReason(input.reason);
  return command(database, actor, packageId, 'cancel', options, async (tx, row) => {
    checkPackageTransition(row.status, 'cancel');
    const voided = await resolvePendingHolds(tx, row.id, 'voided');
    const updated = await updatePackage(tx, row.id, {
      status: 'cancelled',
      funded_minor: 0n,
      cancelled_at: new Date(),
      status_reason: reason,
    });
    return { row: updated, details: { voidedTransfers: voided } };
  });
}

export async function getPackage(
  database: Database,
  actor: Actor,
  id: bigint,
): Promise<PackageDetail> {
  authorize(actor, 'packages.read');
  // One snapshot: the lines, the allocations and who funds them agree with each other.
  return inTransaction(
    database,
    async (tx) => {
      const row = await findPackage(tx, id);
      if (!row) throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
      return presentPackage(tx, actor, await detail(tx, row));
    },
    { isolation: 'repeatable read' },
  );
}

export async function listPackages(
  database: Database,
  actor: Actor,
  query: PageRequest & {
    status?: PackageStatus | undefined;
    cycle?: string | undefined;
    capabilityArea?: string | undefined;
    donorPartyId?: string | undefined;
    createdFrom?: string | undefined;
    createdTo?: string | undefined;
  } = {},
): Promise<Page<PackageSummary>> {
  authorize(actor, 'packages.read');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 1);
  if (query.createdFrom !== undefined) requireDate(query.createdFrom, 'createdFrom');
  if (query.createdTo !== undefined) requireDate(query.createdTo, 'createdTo');
  const rows = await listPackageRows(database.kysely, {
    status: query.status,
    cycle: query.cycle,
    capabilityArea: query.capabilityArea,
    donorPartyId: query.donorPartyId,
    createdFrom: query.createdFrom,
    createdTo: query.createdTo,
    afterId: cursor ? BigInt(cursor[0]!) : undefined,
    limit,
  });
  const page = toPage(rows, limit, (r) => [r.id.toString()]);
  return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
}
