/** SQL of shipments, receipts and discrepancies. */
import { sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
import type {
  DiscrepancyTable,
  ReceiptTable,
  ShipmentStatus,
  ShipmentTable,
} from './schema-funding.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];
export type ShipmentRow = Selectable<ShipmentTable>;
export type ReceiptRow = Selectable<ReceiptTable>;
export type DiscrepancyRow = Selectable<DiscrepancyTable>;

export async function insertShipment(
  tx: Tx,
  s: {
    packageId: bigint;
    reference: string;
    plannedOn: string;
    synthetic: boolean;
    lines: { packageLineId: bigint; quantity: number }[];
  },
): Promise<ShipmentRow> {
  const row = await tx
    .insertInto('shipment')
    .values({
      package_id: s.packageId,
      reference: s.reference,
      planned_on: s.plannedOn,
      synthetic: s.synthetic,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('shipment_line')
    .values(
      s.lines.map((l) => ({
        shipment_id: row.id,
        package_line_id: l.packageLineId,
        quantity: l.quantity,
      })),
    )
    .execute();
  return row;
}

export async function findShipment(
  db: Executor,
  id: bigint,
  lock = false,
): Promise<ShipmentRow | undefined> {
  let query = db.selectFrom('shipment').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function updateShipment(
  tx: Tx,
  id: bigint,
  changes: { status: ShipmentStatus } & Partial<
    Record<'dispatched_on' | 'arrived_hub_on' | 'handed_over_on' | 'received_on', string>
  >,
): Promise<ShipmentRow> {
  return tx
    .updateTable('shipment')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findShipments(db: Executor, packageId: bigint): Promise<ShipmentRow[]> {
  return db
    .selectFrom('shipment')
    .selectAll()
    .where('package_id', '=', packageId)
    .orderBy('id')
    .execute();
}

export async function findShipmentLines(db: Executor, shipmentIds: readonly bigint[]) {
  if (shipmentIds.length === 0) return [];
  return db
    .selectFrom('shipment_line')
    .selectAll()
    .where('shipment_id', 'in', shipmentIds)
    .execute();
}

/** Quantity of each line already in shipments of the package. */
export async function shippedByLine(db: Executor, packageId: bigint): Promise<Map<bigint, number>> {
  const rows = await db
    .selectFrom('shipment_line')
    .innerJoin('shipment', 'shipment.id', 'shipment_line.shipment_id')
    .select([
      'shipment_line.package_line_id as line',
      sql<number>`sum(shipment_line.quantity)::int`.as('quantity'),
    ])
    .where('shipment.package_id', '=', packageId)
    .groupBy('shipment_line.package_line_id')
    .execute();
  return new Map(rows.map((r) => [r.line, r.quantity]));
}

export async function insertReceipt(
  tx: Tx,
  r: { shipmentId: bigint; packageLineId: bigint; receivedQuantity: number; receivedOn: string },
) {
  return tx
    .insertInto('receipt')
    .values({
      shipment_id: r.shipmentId,
      package_line_id: r.packageLineId,
      received_quantity: r.receivedQuantity,
      received_on: r.receivedOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertDiscrepancy(
  tx: Tx,
  d: {
    receiptId: bigint;
    packageLineId: bigint;
    kind: DiscrepancyRow['kind'];
    quantity: number;
    reason: string;
  },
) {
  return tx
    .insertInto('discrepancy')
    .values({
      receipt_id: d.receiptId,
      package_line_id: d.packageLineId,
      kind: d.kind,
      quantity: d.quantity,
      reason: d.reason,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findDiscrepancy(tx: Tx, id: bigint): Promise<DiscrepancyRow | undefined> {
  return tx
    .selectFrom('discrepancy')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function resolveDiscrepancy(
  tx: Tx,
  id: bigint,
  resolution: NonNullable<DiscrepancyRow['resolution']>,
  note: string | null,
) {
  return tx
    .updateTable('discrepancy')
    .set({
      resolution,
      resolution_note: note,
      resolved_at: sql<Date>`now()`,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findReceipts(db: Executor, packageId: bigint): Promise<ReceiptRow[]> {
  return db
    .selectFrom('receipt')
    .innerJoin('shipment', 'shipment.id', 'receipt.shipment_id')
    .selectAll('receipt')
    .where('shipment.package_id', '=', packageId)
    .orderBy('receipt.id')
    .execute();
}

export async function findDiscrepancies(
  db: Executor,
  packageId: bigint,
): Promise<DiscrepancyRow[]> {
  return db
    .selectFrom('discrepancy')
    .innerJoin('package_line', 'package_line.id', 'discrepancy.package_line_id')
    .selectAll('discrepancy')
    .where('package_line.package_id', '=', packageId)
    .orderBy('discrepancy.id')
    .execute();
}
