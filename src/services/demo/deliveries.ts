/**
 * Shipments and receipts of the demo's early packages — all SYNTHETIC (status and dates only;
 * the public record says only that deliveries of the first two packages began in mid-September
 * 2025):
 * - PURL-001 ships in two consignments, both received in full: delivered, then closed (its price
 *   was fully disbursed).
 * - PURL-002 ships in one consignment; Ukraine's receipt finds demining sets short (a
 *   discrepancy with its reason), resolved as `replaced`: the replacement is on its way, so the
 *   package stays in delivery.
 * - PURL-003's first consignment is dispatched, not yet received.
 */
import type { Actor } from '../../core/actor.js';
import { assert } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';
import {
  advanceShipment,
  closePackage,
  createShipment,
  recordReceipt,
  resolveDiscrepancy,
  type Deliveries,
} from '../deliveries-service.js';
import type { PackageDetail, PackageLine } from '../packages-service.js';

type Stage = 'dispatched' | 'arrived_hub' | 'handed_over';

interface Consignment {
  reference: string;
  plannedOn: string;
  lines: { line: PackageLine; quantity: number }[];
  /** The supplier's steps, in order, with their dates. */
  steps: [Stage, string][];
}

const SYNTHETIC = '(synthetic)';

async function ship(
  database: Database,
  actor: Actor,
  pkg: PackageDetail,
  consignment: Consignment,
): Promise<{ shipmentId: bigint; deliveries: Deliveries }> {
  let deliveries = await createShipment(database, actor, pkg.id, {
    reference: `${consignment.reference} ${SYNTHETIC}`,
    plannedOn: consignment.plannedOn,
    lines: consignment.lines.map((l) => ({ packageLineId: l.line.id, quantity: l.quantity })),
    synthetic: true,
  });
  const shipmentId = deliveries.shipments.at(-1)!.id;
  for (const [status, on] of consignment.steps) {
    deliveries = await advanceShipment(database, actor, shipmentId, { status, on });
  }
  return { shipmentId, deliveries };
}

function lineOf(pkg: PackageDetail, category: string): PackageLine {
  const line = pkg.lines.find((l) => l.category === category);
  assert(line, `${pkg.number} has a ${category} line`);
  return line;
}

const FULL_ROUTE = (dispatched: string, hub: string, handedOver: string): [Stage, string][] => [
  ['dispatched', dispatched],
  ['arrived_hub', hub],
  ['handed_over', handedOver],
];

export async function addDeliveries(
  database: Database,
  actor: Actor,
  packages: readonly PackageDetail[],
): Promise<void> {
  const [first, second, third] = packages;
  assert(first && second && third, 'the demo has its early packages');

  // PURL-001: two consignments, each received in full; then delivered and closed.
  const half = Math.ceil(first.lines.length / 2);
  const consignments: Consignment[] = [
    {
      reference: 'DEMO-001-S1',
      plannedOn: '2025-08-26',
      lines: first.lines.slice(0, half).map((line) => ({ line, quantity: line.quantity })),
      steps: FULL_ROUTE('2025-09-12', '2025-09-16', '2025-09-18'),
    },
    {
      reference: 'DEMO-001-S2',
      plannedOn: '2025-09-05',
      lines: first.lines.slice(half).map((line) => ({ line, quantity: line.quantity })),
      steps: FULL_ROUTE('2025-09-29', '2025-10-02', '2025-10-06'),
    },
  ];
  for (const [index, consignment] of consignments.entries()) {
    const { shipmentId } = await ship(database, actor, first, consignment);
    await recordReceipt(database, actor, shipmentId, {
      receivedOn: index === 0 ? '2025-09-19' : '2025-10-07',
      lines: consignment.lines.map((l) => ({
        packageLineId: l.line.id,
        receivedQuantity: l.quantity,
      })),
    });
  }
  await closePackage(database, actor, first.id);

  // PURL-002: one consignment; three demining sets short at hand-over, to be replaced.
  const demining = lineOf(second, 'demining equipment');
  const short = 3;
  const all = second.lines.map((line) => ({ line, quantity: line.quantity }));
  const { shipmentId } = await ship(database, actor, second, {
    reference: 'DEMO-002-S1',
    plannedOn: '2025-08-29',
    lines: all,
    steps: FULL_ROUTE('2025-09-15', '2025-09-22', '2025-09-24'),
  });
  const received = await recordReceipt(database, actor, shipmentId, {
    receivedOn: '2025-09-26',
    lines: all.map((l) =>
      l.line.id === demining.id
        ? {
            packageLineId: l.line.id,
            receivedQuantity: l.quantity - short,
            discrepancies: [
              {
                kind: 'short' as const,
                quantity: short,
                reason: `SYNTHETIC: ${short} sets fewer than the consignment listed, found at the hand-over count.`,
              },
            ],
          }
        : { packageLineId: l.line.id, receivedQuantity: l.quantity },
    ),
  });
  const discrepancy = received.discrepancies.find((d) => d.packageLineId === demining.id);
  assert(discrepancy, 'the short receipt recorded its discrepancy');
  await resolveDiscrepancy(database, actor, discrepancy.id, {
    resolution: 'replaced',
    note: 'SYNTHETIC: the supplier ships the missing sets in a replacement consignment.',
  });
  await ship(database, actor, second, {
    reference: 'DEMO-002-S2 replacement',
    plannedOn: '2025-10-01',
    lines: [{ line: demining, quantity: short }],
    steps: [['dispatched', '2025-10-14']],
  });

  // PURL-003: the first consignment (its first two lines) is on its way.
  await ship(database, actor, third, {
    reference: 'DEMO-003-S1',
    plannedOn: '2025-09-15',
    lines: third.lines.slice(0, 2).map((line) => ({ line, quantity: line.quantity })),
    steps: [['dispatched', '2025-10-03']],
  });
}
