/**
 * Use cases of delivery: the supplier ships an authorised package (status and dates only),
 * Ukraine records what it received per line with any discrepancy, discrepancies are resolved,
 * and the coordinator closes a delivered, fully disbursed package — returning any surplus to its
 * contributions by largest remainder, converted back at each allocation's recorded rates.
 */
import { systemActor, type Actor } from '../core/actor.js';
import { contributionAccounts } from '../core/contributions.js';
import {
  checkReceiptLine,
  checkShipmentAdvance,
  lineComplete,
  type DiscrepancyResolution,
  type LineProgress,
  type ReceiptLineInput,
  type ShipmentStatus,
} from '../core/deliveries.js';
import { DomainError } from '../core/errors.js';
import { convertAmount, requireDate } from '../core/fx.js';
import { PACKAGE_TRANSFER_CODES, packageFundingAccount } from '../core/packages.js';
import { checkVersion } from '../core/pagination.js';
import { authorize } from '../core/policy.js';
import { splitByWeights } from '../core/split.js';
import type { Database } from '../storage/database.js';
import {
  findDiscrepancies,
  findDiscrepancy,
  findReceipts,
  findShipment,
  findShipmentLines,
  findShipments,
  insertDiscrepancy,
  insertReceipt,
  insertShipment,
  resolveDiscrepancy as resolveDiscrepancyRow,
  shippedByLine,
  updateShipment,
  type DiscrepancyRow,
  type ShipmentRow,
} from '../storage/deliveries-repository.js';
import { findCurrency } from '../storage/fx-repository.js';
import { findAccountByReference } from '../storage/ledger-repository.js';
import {
  findAllocations,
  findLines,
  findPackage,
  packageOfLine,
  updatePackage,
  type PackageRow,
} from '../storage/packages-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { createConversionIn } from './ledger-conversion-service.js';
import { createTransfersIn } from './ledger-service.js';
import { getPackage, type PackageDetail } from './packages-service.js';

const LEDGER = systemActor('workflow');

export interface LineDelivery extends LineProgress {
  packageLineId: bigint;
  complete: boolean;
}

export interface Deliveries {
  packageId: bigint;
  shipments: (ReturnType<typeof toShipment> & {
    lines: { packageLineId: bigint; quantity: number }[];
  })[];
  receipts: {
    id: bigint;
    shipmentId: bigint;
    packageLineId: bigint;
    receivedQuantity: number;
    receivedOn: string;
  }[];
  discrepancies: ReturnType<typeof toDiscrepancy>[];
  lines: LineDelivery[];
  /** Every line fully received or short-closed. */
  delivered: boolean;
}

function toShipment(s: ShipmentRow) {
  return {
    id: s.id,
    reference: s.reference,
    status: s.status,
    plannedOn: s.planned_on,
    dispatchedOn: s.dispatched_on,
    arrivedHubOn: s.arrived_hub_on,
    handedOverOn: s.handed_over_on,
    receivedOn: s.received_on,
    synthetic: s.synthetic,
    version: s.version,
  };
}

function toDiscrepancy(d: DiscrepancyRow) {
  return {
    id: d.id,
    receiptId: d.receipt_id,
    packageLineId: d.package_line_id,
    kind: d.kind,
    quantity: d.quantity,
    reason: d.reason,
    resolution: d.resolution,
    resolutionNote: d.resolution_note,
    resolvedAt: d.resolved_at,
  };
}

/** Line by line: shipped, received in good order, shortfalls closed; and whether all is delivered. */
async function progress(db: Tx | Database['kysely'], packageId: bigint): Promise<Deliveries> {
  const [lines, shipments, receipts, discrepancies] = [
    await findLines(db, packageId),
    await findShipments(db, packageId),
    await findReceipts(db, packageId),
    await findDiscrepancies(db, packageId),
  ];
  const shipmentLines = await findShipmentLines(
    db,
    shipments.map((s) => s.id),
  );
  const lineDeliveries = lines.map((line) => {
    const shipped = shipmentLines
      .filter((l) => l.package_line_id === line.id)
      .reduce((s, l) => s + l.quantity, 0);
    const arrived = receipts
      .filter((r) => r.package_line_id === line.id)
      .reduce((s, r) => s + r.received_quantity, 0);
    const mine = discrepancies.filter((d) => d.package_line_id === line.id);
    const unusable = mine
      .filter((d) => d.kind === 'damaged' || d.kind === 'wrong_item')
      .reduce((s, d) => s + d.quantity, 0);
    const closed = mine
      .filter(
        (d) => d.kind !== 'over' && (d.resolution === 'credited' || d.resolution === 'written_off'),
      )
      .reduce((s, d) => s + d.quantity, 0);
    const p: LineProgress = {
      quantity: line.quantity,
      shippedQuantity: shipped,
      receivedQuantity: arrived - unusable,
      closedShortQuantity: closed,
    };
    return { packageLineId: line.id, ...p, complete: lineComplete(p) };
  });
  return {
    packageId,
    shipments: shipments.map((s) => ({
      ...toShipment(s),
      lines: shipmentLines
        .filter((l) => l.shipment_id === s.id)
        .map((l) => ({ packageLineId: l.package_line_id, quantity: l.quantity })),
    })),
    receipts: receipts.map((r) => ({
      id: r.id,
      shipmentId: r.shipment_id,
      packageLineId: r.package_line_id,
      receivedQuantity: r.received_quantity,
      receivedOn: r.received_on,
    })),
    discrepancies: discrepancies.map(toDiscrepancy),
    lines: lineDeliveries,
    delivered: lineDeliveries.length > 0 && lineDeliveries.every((l) => l.complete),
  };
}

/** Moves the package to `delivered` once every line is complete (inside the caller's transaction). */
async function settlePackageStatus(tx: Tx, pkg: PackageRow): Promise<PackageRow> {
  const state = await progress(tx, pkg.id);
  if (state.delivered && pkg.status === 'in_delivery')
    return updatePackage(tx, pkg.id, { status: 'delivered' });
  return pkg;
}

export async function getDeliveries(
  database: Database,
  actor: Actor,
  packageId: bigint,
): Promise<Deliveries> {
  authorize(actor, 'packages.read');
  if (!(await findPackage(database.kysely, packageId)))
    throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
  return progress(database.kysely, packageId);
}

/** The supplier plans a shipment of lines of an authorised package. */
export async function createShipment(
  database: Database,
  actor: Actor,
  packageId: bigint,
  input: {
    reference: string;
    plannedOn: string;
    lines: { packageLineId: bigint; quantity: number }[];
    synthetic?: boolean;
  },
): Promise<Deliveries> {
  authorize(actor, 'shipments.write');
  requireDate(input.plannedOn, 'plannedOn');
  const reference = input.reference?.trim() ?? '';
  if (reference.length === 0 || reference.length > 100) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'reference must be 1 to 100 characters (a shipment label, never a location).',
      { field: 'reference' },
    );
  }
  if (!input.lines?.length)
    throw new DomainError('VALIDATION_FAILED', 'A shipment carries at least one line.', {
      field: 'lines',
    });
  return inTransaction(database, async (tx) => {
    const pkg = await findPackage(tx, packageId, true);
    if (!pkg) throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
    if (!['authorized', 'in_delivery'].includes(pkg.status)) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `A ${pkg.status} package cannot ship; it must be authorised first.`,
        {
          entity: 'package',
          from: pkg.status,
          action: 'ship',
          allowed: ['authorized', 'in_delivery'],
        },
      );
    }
    const lines = new Map((await findLines(tx, pkg.id)).map((l) => [l.id, l]));
    const shipped = await shippedByLine(tx, pkg.id);
    const replaced = (await findDiscrepancies(tx, pkg.id)).filter(
      (d) => d.resolution === 'replaced',
    );
    input.lines.forEach((l, i) => {
      const line = lines.get(l.packageLineId);
      if (!line)
        throw new DomainError('NOT_FOUND', 'No such line in this package.', {
          field: `lines.${i}.packageLineId`,
        });
      const allowance =
        line.quantity -
        (shipped.get(line.id) ?? 0) +
        replaced.filter((d) => d.package_line_id === line.id).reduce((s, d) => s + d.quantity, 0);
      if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.quantity > allowance) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `At most ${allowance} more of this line can ship.`,
          {
            field: `lines.${i}.quantity`,
            remainingQuantity: allowance,
          },
        );
      }
    });
    const shipment = await insertShipment(tx, {
      packageId: pkg.id,
      reference,
      plannedOn: input.plannedOn,
      synthetic: input.synthetic ?? pkg.synthetic,
      lines: input.lines,
    });
    await recordAudit(tx, actor, {
      entity: 'shipment',
      entityId: String(shipment.id),
      action: 'plan',
      after: { ...toShipment(shipment), packageId: pkg.id, lines: input.lines },
    });
    return progress(tx, pkg.id);
  });
}

const DATE_FIELD: Partial<
  Record<ShipmentStatus, 'dispatched_on' | 'arrived_hub_on' | 'handed_over_on'>
> = {
  dispatched: 'dispatched_on',
  arrived_hub: 'arrived_hub_on',
  handed_over: 'handed_over_on',
};

/** The supplier moves a shipment forward; the first dispatch puts the package in delivery. */
export async function advanceShipment(
  database: Database,
  actor: Actor,
  shipmentId: bigint,
  input: { status: ShipmentStatus; on: string },
  options: { expectedVersion?: number | undefined } = {},
): Promise<Deliveries> {
  authorize(actor, 'shipments.write');
  requireDate(input.on, 'on');
  return inTransaction(database, async (tx) => {
    const existing = await findShipment(tx, shipmentId);
    if (!existing) throw new DomainError('NOT_FOUND', 'No such shipment.', { field: 'shipmentId' });
    const pkg = (await findPackage(tx, existing.package_id, true))!;
    const shipment = (await findShipment(tx, shipmentId, true))!;
    checkVersion('shipment', shipment.version, options.expectedVersion);
    checkShipmentAdvance(shipment.status, input.status);
    const dateField = DATE_FIELD[input.status]!;
    const updated = await updateShipment(tx, shipment.id, {
      status: input.status,
      [dateField]: input.on,
    });
    if (pkg.status === 'authorized') await updatePackage(tx, pkg.id, { status: 'in_delivery' });
    await recordAudit(tx, actor, {
      entity: 'shipment',
      entityId: String(shipment.id),
      action: input.status,
      before: toShipment(shipment),
      after: toShipment(updated),
    });
    return progress(tx, pkg.id);
  });
}

/** Ukraine records what a shipment brought, line by line, with discrepancies and reasons. */
export async function recordReceipt(
  database: Database,
  actor: Actor,
  shipmentId: bigint,
  input: { receivedOn: string; lines: ReceiptLineInput[] },
): Promise<Deliveries> {
  authorize(actor, 'receipts.write');
  requireDate(input.receivedOn, 'receivedOn');
  return inTransaction(database, async (tx) => {
    const existing = await findShipment(tx, shipmentId);
    if (!existing) throw new DomainError('NOT_FOUND', 'No such shipment.', { field: 'shipmentId' });
    const pkg = (await findPackage(tx, existing.package_id, true))!;
    const shipment = (await findShipment(tx, shipmentId, true))!;
    if (shipment.status === 'planned' || shipment.status === 'received') {
      throw new DomainError(
        'INVALID_TRANSITION',
        `A ${shipment.status} shipment cannot be received.`,
        {
          entity: 'shipment',
          from: shipment.status,
          action: 'receive',
          allowed: ['dispatched', 'arrived_hub', 'handed_over'],
        },
      );
    }
    const shipped = new Map(
      (await findShipmentLines(tx, [shipment.id])).map((l) => [l.package_line_id, l.quantity]),
    );
    const covered = new Set(input.lines.map((l) => l.packageLineId));
    if (covered.size !== shipped.size || [...shipped.keys()].some((id) => !covered.has(id))) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'A receipt covers every line of the shipment once.',
        { field: 'lines', expectedLineIds: [...shipped.keys()] },
      );
    }
    input.lines.forEach((l, i) => checkReceiptLine(l, shipped.get(l.packageLineId)!, `lines.${i}`));
    for (const l of input.lines) {
      const receipt = await insertReceipt(tx, {
        shipmentId: shipment.id,
        packageLineId: l.packageLineId,
        receivedQuantity: l.receivedQuantity,
        receivedOn: input.receivedOn,
      });
      for (const d of l.discrepancies ?? []) {
        await insertDiscrepancy(tx, {
          receiptId: receipt.id,
          packageLineId: l.packageLineId,
          kind: d.kind,
          quantity: d.quantity,
          reason: d.reason.trim(),
        });
      }
    }
    const updated = await updateShipment(tx, shipment.id, {
      status: 'received',
      received_on: input.receivedOn,
    });
    const after = await settlePackageStatus(tx, pkg);
    await recordAudit(tx, actor, {
      entity: 'shipment',
      entityId: String(shipment.id),
      action: 'receive',
      before: toShipment(shipment),
      after: { ...toShipment(updated), lines: input.lines, packageStatus: after.status },
    });
    return progress(tx, pkg.id);
  });
}

/** Settles a discrepancy: replaced (a new shipment follows), credited or written off. */
export async function resolveDiscrepancy(
  database: Database,
  actor: Actor,
  discrepancyId: bigint,
  input: { resolution: DiscrepancyResolution; note?: string | null },
): Promise<Deliveries> {
  authorize(actor, 'discrepancies.resolve');
  return inTransaction(database, async (tx) => {
    const found = await findDiscrepancy(tx, discrepancyId);
    if (!found)
      throw new DomainError('NOT_FOUND', 'No such discrepancy.', { field: 'discrepancyId' });
    if (found.resolution) {
      throw new DomainError('INVALID_TRANSITION', 'This discrepancy is already resolved.', {
        entity: 'discrepancy',
        from: found.resolution,
        action: 'resolve',
        allowed: [],
      });
    }
    const resolved = await resolveDiscrepancyRow(
      tx,
      found.id,
      input.resolution,
      input.note ?? null,
    );
    const packageId = await packageOfLine(tx, found.package_line_id);
    const pkg = (await findPackage(tx, packageId, true))!;
    const after = await settlePackageStatus(tx, pkg);
    await recordAudit(tx, actor, {
      entity: 'discrepancy',
      entityId: String(found.id),
      action: 'resolve',
      before: toDiscrepancy(found),
      after: { ...toDiscrepancy(resolved), packageStatus: after.status },
    });
    return progress(tx, packageId);
  });
}

/**
 * Closes a delivered package whose price is fully disbursed. A surplus (funding above the final
 * price) goes back to the contributions that funded it, split by largest remainder in
 * proportion to what each brought, converted back at each allocation's recorded rates.
 */
export async function closePackage(
  database: Database,
  actor: Actor,
  packageId: bigint,
  options: { expectedVersion?: number | undefined } = {},
): Promise<PackageDetail> {
  authorize(actor, 'packages.close');
  await inTransaction(database, async (tx) => {
    const pkg = await findPackage(tx, packageId, true);
    if (!pkg) throw new DomainError('NOT_FOUND', 'No such package.', { field: 'id' });
    checkVersion('package', pkg.version, options.expectedVersion);
    if (pkg.status !== 'delivered' || pkg.disbursed_minor !== pkg.price_minor) {
      throw new DomainError(
        'INVALID_TRANSITION',
        'A package closes once delivered and its price fully disbursed.',
        {
          entity: 'package',
          from: pkg.status,
          action: 'close',
          allowed: ['delivered'],
          disbursedMinor: pkg.disbursed_minor,
          priceMinor: pkg.price_minor,
        },
      );
    }
    const surplus = pkg.funded_minor - pkg.price_minor;
    const allocations = (await findAllocations(tx, pkg.id)).filter((a) => a.status === 'posted');
    const returns: {
      allocationId: bigint;
      contributionId: bigint;
      packageAmountMinor: bigint;
      amountMinor: bigint;
      currency: string;
    }[] = [];
    if (surplus > 0n && allocations.length > 0) {
      const parts = splitByWeights(
        surplus,
        allocations.map((a) => a.package_amount_minor),
      );
      const funding = (await findAccountByReference(tx, packageFundingAccount(pkg.id)))!;
      for (const [i, a] of allocations.entries()) {
        const part = parts[i]!;
        if (part === 0n) continue;
        const available = (await findAccountByReference(
          tx,
          contributionAccounts(a.contribution_id).available,
        ))!;
        const key = `package:${pkg.id}:surplus:${a.id}`;
        if (a.currency === 'USD') {
          await createTransfersIn(
            tx,
            LEDGER,
            [
              {
                kind: 'posted',
                idempotencyKey: key,
                debitAccountId: funding.id,
                creditAccountId: available.id,
                amountMinor: part,
                code: PACKAGE_TRANSFER_CODES.surplusReturn,
              },
            ],
            { audit: false },
          );
          returns.push({
            allocationId: a.id,
            contributionId: a.contribution_id,
            packageAmountMinor: part,
            amountMinor: part,
            currency: 'USD',
          });
          continue;
        }
        const currency = await findCurrency(tx, a.currency);
        // Back at the allocation's own rates: USD → its currency.
        const back = convertAmount({
          amountMinor: part,
          from: { code: 'USD', minorUnit: 2 },
          to: { code: a.currency, minorUnit: currency?.minorUnit ?? 2 },
          fromRatePerEur: a.to_rate_per_eur,
          toRatePerEur: a.from_rate_per_eur,
          rateDate: a.rate_date,
          source: a.rate_source,
        });
        if (back.amountMinor <= 0n) continue;
        await createConversionIn(
          tx,
          database,
          LEDGER,
          {
            idempotencyKey: key,
            fromAccountId: funding.id,
            toAccountId: available.id,
            amountMinor: part,
            valueDate: a.value_date,
            code: PACKAGE_TRANSFER_CODES.surplusReturn,
          },
          {
            ...back,
            valueDate: a.value_date,
            fellBack: a.rate_date !== a.value_date,
            carriedForwardDays: 0,
          },
          { audit: false },
        );
        returns.push({
          allocationId: a.id,
          contributionId: a.contribution_id,
          packageAmountMinor: part,
          amountMinor: back.amountMinor,
          currency: a.currency,
        });
      }
    }
    const updated = await updatePackage(tx, pkg.id, {
      status: 'closed',
      closed_at: new Date(),
      status_reason:
        surplus > 0n ? `surplus of ${surplus} USD minor units returned to its contributions` : null,
    });
    await recordAudit(tx, actor, {
      entity: 'package',
      entityId: String(pkg.id),
      action: 'close',
      before: { status: pkg.status, fundedMinor: pkg.funded_minor, priceMinor: pkg.price_minor },
      after: { status: updated.status, surplusMinor: surplus, returns },
    });
  });
  return getPackage(database, actor, packageId);
}
