/**
 * Deliveries, pure: shipment status moves forward only (planned → dispatched → arrived_hub →
 * handed_over → received; `received` is reached when Ukraine records its receipt), and a
 * package is delivered when every line is fully received or short-closed. Dates and status
 * only: the product never holds locations, routes or movement schedules.
 */
import { DomainError } from './errors.js';

export const SHIPMENT_STATUSES = [
  'planned',
  'dispatched',
  'arrived_hub',
  'handed_over',
  'received',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const DISCREPANCY_KINDS = ['short', 'over', 'damaged', 'wrong_item'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
export const DISCREPANCY_RESOLUTIONS = ['replaced', 'credited', 'written_off'] as const;
export type DiscrepancyResolution = (typeof DISCREPANCY_RESOLUTIONS)[number];

/** The supplier moves a shipment forward (never back); `received` comes from the receipt. */
export function checkShipmentAdvance(from: ShipmentStatus, to: ShipmentStatus): void {
  const a = SHIPMENT_STATUSES.indexOf(from);
  const b = SHIPMENT_STATUSES.indexOf(to);
  if (to === 'received' || b <= a) {
    throw new DomainError('INVALID_TRANSITION', `A ${from} shipment cannot move to ${to}.`, {
      entity: 'shipment',
      from,
      action: to,
      allowed: SHIPMENT_STATUSES.slice(a + 1).filter((s) => s !== 'received'),
    });
  }
}

export interface ReceiptLineInput {
  packageLineId: bigint;
  receivedQuantity: number;
  discrepancies?: { kind: DiscrepancyKind; quantity: number; reason: string }[];
}

/**
 * A receipt must explain itself: less than shipped needs a `short` discrepancy for the
 * difference, more needs an `over` one; damaged or wrong items are at most what arrived.
 */
export function checkReceiptLine(
  line: ReceiptLineInput,
  shippedQuantity: number,
  field: string,
): void {
  if (!Number.isInteger(line.receivedQuantity) || line.receivedQuantity < 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'receivedQuantity must be a whole number, 0 or more.',
      { field: `${field}.receivedQuantity` },
    );
  }
  const sum = (kind: DiscrepancyKind) =>
    (line.discrepancies ?? []).filter((d) => d.kind === kind).reduce((s, d) => s + d.quantity, 0);
  (line.discrepancies ?? []).forEach((d, i) => {
    if (!Number.isInteger(d.quantity) || d.quantity <= 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'A discrepancy quantity is a positive whole number.',
        { field: `${field}.discrepancies.${i}.quantity` },
      );
    }
    if (!d.reason?.trim()) {
      throw new DomainError('VALIDATION_FAILED', 'A discrepancy needs a reason.', {
        field: `${field}.discrepancies.${i}.reason`,
      });
    }
  });
  const missing = shippedQuantity - line.receivedQuantity;
  if (missing > 0 && sum('short') !== missing) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${missing} fewer than shipped: record a short discrepancy of ${missing} with its reason.`,
      {
        field: `${field}.discrepancies`,
        shippedQuantity,
      },
    );
  }
  if (missing < 0 && sum('over') !== -missing) {
    throw new DomainError('RECEIPT_EXCEEDS_SHIPPED', undefined, {
      field: `${field}.receivedQuantity`,
      shippedQuantity,
    });
  }
  if (sum('damaged') + sum('wrong_item') > line.receivedQuantity) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Damaged and wrong items cannot exceed what arrived.',
      { field: `${field}.discrepancies` },
    );
  }
}

export interface LineProgress {
  quantity: number;
  shippedQuantity: number;
  /** Received in good order: received − damaged − wrong items. */
  receivedQuantity: number;
  /** Shortfalls settled without a replacement (credited or written off). */
  closedShortQuantity: number;
}

export function lineComplete(p: LineProgress): boolean {
  return p.receivedQuantity + p.closedShortQuantity >= p.quantity;
}
