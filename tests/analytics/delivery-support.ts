/**
 * The fixture of the delivery-analysis tests, built through the services (every rule, ledger
 * transfer and audit event real), with its ECB-format rates and the independent arithmetic the
 * tests check figures with (never the code under test).
 *
 * Rates: every day from 2025-06-01 to 2025-12-31, one USD rate per month (units per EUR) and NOK
 * at exactly ten times it, so 1 NOK is exactly 0.1 USD.
 *
 * Packages (all USD; item A $1,000.00 a lot, item B $10,000.00 a unit), contribution C1 (CAN,
 * USD 200,000.00, committed 2025-07-01, paid 50,000.00 on 2025-08-01):
 *
 * | pkg | price  | funded (value date)         | authorised | dispatched | received              |
 * | P1  | 10 A   | C1 2025-07-11               | 2025-07-31 | 2025-08-10 | 2025-08-30, closed    |
 * | P2  | 20 A   | C1 2025-07-21               | 2025-08-30 | 2025-09-09 | 2025-10-19, 2 damaged written off |
 * | P3  | 30 A   | C1 2025-07-31               | 2025-08-10 | 2025-09-29 | —                     |
 * | P4  | 40 A   | C1 2025-08-10               | 2025-09-09 | —          | —                     |
 * | P5  | 50 A   | C1 2025-10-09               | —          | —          | —                     |
 * | P6  | 1 B+5 A| C2 EUR 5,000 + C3 NOK 92,000, 2025-09-30 (C2 committed 09-20, C3 09-25) | 2025-10-10 | 2025-10-15 | 2025-10-25: B 1 and A 3 of 5 |
 * | P7  | 5 A    | C1 $2,000 on 2025-11-01 (open: gap $3,000) |     |            |                       |
 * | P8  | 1 A    | open, nothing allocated (opened today: after any 2025 as-of date) |  |  |        |
 * | P9  | 1 A    | C1 $1,000 on 2025-07-15, then cancelled                        |  |  |        |
 *
 * Meetings: #1 on 2025-06-25 (CAN announces USD 200,000.00 → C1); #2 on 2025-09-15 with
 * a1 NLD EUR 10,000.00 → C2, a2 NOR NOK 115,000.00 → C3, a3 CAN (no amount) → C1,
 * a4 NLD EUR 3,000.00 → C4 (a pledge), a5 DEU USD 1,000.00 (not linked), a6 NLD (no amount) → C2
 * again; #3 on 2025-12-01 with none. C2 paid EUR 4,000.00 on 2025-10-05 and 2,000.00 on
 * 2025-11-10; C3 paid NOK 115,000.00 on 2025-10-20.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor } from '../../src/core/actor.js';
import {
  commitContribution,
  createContribution,
  recordPayment,
} from '../../src/services/contributions-service.js';
import {
  advanceShipment,
  closePackage,
  createShipment,
  recordReceipt,
  resolveDiscrepancy,
} from '../../src/services/deliveries-service.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { importKielFigures } from '../../src/services/imports/kiel-import.js';
import {
  addAnnouncement,
  createMeeting,
  linkAnnouncementToContribution,
} from '../../src/services/meetings-service.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  cancelPackage,
  createPackage,
  disbursePackage,
  openPackage,
  type PackageDetail,
} from '../../src/services/packages-service.js';
import {
  addRequirementItem,
  approveRequirementList,
  createRequirementList,
  submitRequirementList,
  validateRequirementList,
} from '../../src/services/requirements-service.js';
import type { Database } from '../../src/storage/database.js';

export const system = systemActor('test');

// ---- Rates and independent arithmetic ----

/** USD per EUR, ×10,000, by month; NOK is ten times it. */
const USD_BY_MONTH: Record<string, bigint> = {
  '2025-06': 11000n,
  '2025-07': 11200n,
  '2025-08': 11500n,
  '2025-09': 11600n,
  '2025-10': 11700n,
  '2025-11': 11600n,
  '2025-12': 11800n,
};

/** The rate (units per EUR, ×10,000) of a currency on a day of the fixture. */
export function rateOn(currency: string, date: string): bigint {
  if (currency === 'EUR') return 10000n;
  const usd = USD_BY_MONTH[date.slice(0, 7)];
  if (usd === undefined) throw new Error(`no fixture rate on ${date}`);
  if (currency === 'USD') return usd;
  if (currency === 'NOK') return usd * 10n;
  throw new Error(`no fixture rate for ${currency}`);
}

/** Half-to-even division of non-negative bigints, worked out here, not by src/core/fx.ts. */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const r2 = (numerator % denominator) * 2n;
  if (r2 > denominator || (r2 === denominator && q % 2n === 1n)) return q + 1n;
  return q;
}

/** An amount (minor units, every fixture currency has 2 decimals) converted on `date`. */
export function convert(amountMinor: bigint, from: string, to: string, date: string): bigint {
  if (from === to) return amountMinor;
  return roundHalfEven(amountMinor * rateOn(to, date), rateOn(from, date));
}

/** The ECB-format CSV of the fixture's rates (every calendar day). */
export function ratesCsv(): string {
  const lines = ['Date,USD,NOK,'];
  for (let d = new Date(Date.UTC(2025, 5, 1)); d <= new Date(Date.UTC(2025, 11, 31));) {
    const day = d.toISOString().slice(0, 10);
    const usd = rateOn('USD', day);
    const text = (v: bigint) => `${v / 10000n}.${String(v % 10000n).padStart(4, '0')}`;
    lines.push(`${day},${text(usd)},${text(usd * 10n)},`);
    d = new Date(d.getTime() + 86_400_000);
  }
  return `${lines.join('\n')}\n`;
}

/** The Kiel data_explorer.csv of the fixture (EUR bn). */
export const KIEL_CSV = [
  'country,iso,year,month,total,financial,humanitarian,military,commitments,to_be_allocated,gdp,pct_gdp',
  'Netherlands,NLD,2024,,5.5,1.5,0.5,3.5,6.0,0.5,1000,0.55',
  'Netherlands,NLD,2025,6,7.25,1.25,0.75,6.123456789012,7.5,0.25,1000,0.725',
  'Netherlands,NLD,2025,12,8.0,1.5,0.5,6.0,8.5,0.5,1000,0.8',
  'Norway,NOR,2025,12,3.0,0.25,0.25,2.5,3.5,,500,0.6',
  'Norway,NOR,2025,,3.25,0.25,0.25,2.75,3.5,,500,0.65',
  'Germany,DEU,2025,6,10.0,2.0,1.0,7.0,12.0,1.0,4000,0.25',
  'EU institutions,EUI,2025,6,30.0,25.0,3.0,2.0,40.0,5.0,,',
  '',
].join('\n');

// ---- The fixture ----

export interface DeliveryFixture {
  packages: Record<'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7' | 'P8' | 'P9', PackageDetail>;
  contributions: Record<'C1' | 'C2' | 'C3' | 'C4', bigint>;
  meetings: Record<'M1' | 'M2' | 'M3', bigint>;
  /** Meeting 2's announcements. */
  announcements: Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'a6', bigint>;
}

export const A_LOT_MINOR = 100_000n;
export const B_UNIT_MINOR = 1_000_000n;

/** Rates, Kiel rows and every record of the fixture (see the header). */
export async function buildDeliveryFixture(database: Database): Promise<DeliveryFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'purl-delivery-'));
  try {
    await writeFile(join(dir, 'rates.csv'), ratesCsv());
    await importFxRates(database, system, { file: join(dir, 'rates.csv') });
    await writeFile(join(dir, 'data_explorer.csv'), KIEL_CSV);
    await importKielFigures(database, system, { file: join(dir, 'data_explorer.csv') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The approved requirement list.
  const list = await createRequirementList(database, system, {
    cycle: '2025-06',
    title: 'June 2025 (synthetic)',
    synthetic: true,
  });
  const itemA = await addRequirementItem(database, system, list.id, {
    capabilityArea: 'artillery',
    category: '155mm artillery ammunition',
    lethal: true,
    requestedQuantity: 1000,
    unit: 'lots',
    estimatedUnitCostUsdMinor: A_LOT_MINOR,
  });
  const itemB = await addRequirementItem(database, system, list.id, {
    capabilityArea: 'air_missile_defence',
    category: 'air defence interceptors',
    lethal: true,
    requestedQuantity: 100,
    unit: 'units',
    estimatedUnitCostUsdMinor: B_UNIT_MINOR,
  });
  await submitRequirementList(database, system, list.id);
  await validateRequirementList(database, system, list.id);
  for (const signAs of ['recipient', 'coordinator', 'supplier'] as const)
    await approveRequirementList(database, system, list.id, { signAs });

  // Contributions.
  const contribution = async (
    donorPartyId: string,
    currency: string,
    amountMinor: bigint,
    announcedOn: string,
    committedOn?: string,
  ) => {
    const c = await createContribution(database, system, {
      donorPartyId,
      currency,
      amountMinor,
      announcedOn,
      title: `${donorPartyId} ${currency} (synthetic)`,
      synthetic: true,
    });
    if (committedOn) await commitContribution(database, system, c.id, { committedOn });
    return c.id;
  };
  const C1 = await contribution('CAN', 'USD', 20_000_000n, '2025-06-25', '2025-07-01');
  await recordPayment(database, system, C1, { amountMinor: 5_000_000n, paidOn: '2025-08-01' });
  const C2 = await contribution('NLD', 'EUR', 1_000_000n, '2025-09-15', '2025-09-20');
  await recordPayment(database, system, C2, { amountMinor: 400_000n, paidOn: '2025-10-05' });
  await recordPayment(database, system, C2, { amountMinor: 200_000n, paidOn: '2025-11-10' });
  const C3 = await contribution('NOR', 'NOK', 11_500_000n, '2025-09-15', '2025-09-25');
  await recordPayment(database, system, C3, { amountMinor: 11_500_000n, paidOn: '2025-10-20' });
  const C4 = await contribution('NLD', 'EUR', 300_000n, '2025-09-15');

  // Packages.
  const pkg = async (lines: [bigint, number][]) => {
    let p = await createPackage(database, system, {
      cycle: '2025-06',
      title: 'Delivery fixture (synthetic)',
      targetMinor: 100_000_000n,
      synthetic: true,
    });
    for (const [requirementItemId, quantity] of lines)
      p = await addPackageLine(database, system, p.id, { requirementItemId, quantity });
    return openPackage(database, system, p.id);
  };
  const allocate = (p: PackageDetail, contributionId: bigint, amountMinor: bigint, on: string) =>
    allocateToPackage(database, system, p.id, { contributionId, amountMinor, valueDate: on });
  const authorise = (p: PackageDetail, on: string) =>
    authorizePackage(database, system, p.id, { reference: `AUTH-${p.number}`, authorizedOn: on });
  const ship = async (p: PackageDetail, lines: [number, number][], dispatchedOn: string) => {
    const d = await createShipment(database, system, p.id, {
      reference: `SHIP-${p.number}-${dispatchedOn}`,
      plannedOn: dispatchedOn,
      lines: lines.map(([line, quantity]) => ({ packageLineId: p.lines[line]!.id, quantity })),
    });
    const shipment = d.shipments[d.shipments.length - 1]!;
    await advanceShipment(database, system, shipment.id, {
      status: 'dispatched',
      on: dispatchedOn,
    });
    return shipment.id;
  };

  let P1 = await pkg([[itemA.id, 10]]);
  P1 = await allocate(P1, C1, 1_000_000n, '2025-07-11');
  P1 = await authorise(P1, '2025-07-31');
  const s1 = await ship(P1, [[0, 10]], '2025-08-10');
  await recordReceipt(database, system, s1, {
    receivedOn: '2025-08-30',
    lines: [{ packageLineId: P1.lines[0]!.id, receivedQuantity: 10 }],
  });
  await disbursePackage(database, system, P1.id, { amountMinor: 1_000_000n, paidOn: '2025-09-05' });
  P1 = await closePackage(database, system, P1.id);

  let P2 = await pkg([[itemA.id, 20]]);
  P2 = await allocate(P2, C1, 2_000_000n, '2025-07-21');
  P2 = await authorise(P2, '2025-08-30');
  const s2 = await ship(P2, [[0, 20]], '2025-09-09');
  const received = await recordReceipt(database, system, s2, {
    receivedOn: '2025-10-19',
    lines: [
      {
        packageLineId: P2.lines[0]!.id,
        receivedQuantity: 20,
        discrepancies: [{ kind: 'damaged', quantity: 2, reason: 'two crates dropped' }],
      },
    ],
  });
  await resolveDiscrepancy(database, system, received.discrepancies[0]!.id, {
    resolution: 'written_off',
  });

  let P3 = await pkg([[itemA.id, 30]]);
  P3 = await allocate(P3, C1, 3_000_000n, '2025-07-31');
  P3 = await authorise(P3, '2025-08-10');
  await ship(P3, [[0, 30]], '2025-09-29');

  let P4 = await pkg([[itemA.id, 40]]);
  P4 = await allocate(P4, C1, 4_000_000n, '2025-08-10');
  P4 = await authorise(P4, '2025-09-09');

  let P5 = await pkg([[itemA.id, 50]]);
  P5 = await allocate(P5, C1, 5_000_000n, '2025-10-09');

  let P6 = await pkg([
    [itemB.id, 1],
    [itemA.id, 5],
  ]);
  P6 = await allocate(P6, C2, 500_000n, '2025-09-30'); // EUR 5,000.00 = USD 5,800.00
  P6 = await allocate(P6, C3, 9_200_000n, '2025-09-30'); // NOK 92,000.00 = USD 9,200.00
  P6 = await authorise(P6, '2025-10-10');
  const s6 = await ship(
    P6,
    [
      [0, 1],
      [1, 3],
    ],
    '2025-10-15',
  );
  await recordReceipt(database, system, s6, {
    receivedOn: '2025-10-25',
    lines: [
      { packageLineId: P6.lines[0]!.id, receivedQuantity: 1 },
      { packageLineId: P6.lines[1]!.id, receivedQuantity: 3 },
    ],
  });
  await ship(P6, [[1, 2]], '2025-11-01');

  let P7 = await pkg([[itemA.id, 5]]);
  P7 = await allocate(P7, C1, 200_000n, '2025-11-01');
  const P8 = await pkg([[itemA.id, 1]]);
  let P9 = await pkg([[itemA.id, 1]]);
  P9 = await allocate(P9, C1, 100_000n, '2025-07-15');
  P9 = await cancelPackage(database, system, P9.id, { reason: 'fixture: cancelled' });

  // Meetings.
  const meeting = (number: number, heldOn: string) =>
    createMeeting(database, system, {
      number,
      kind: 'udcg',
      heldOn,
      place: 'Ramstein',
      chairs: ['USA'],
      synthetic: true,
    });
  const announce = async (
    meetingId: bigint,
    partyId: string,
    text: string,
    amount: [bigint, string] | null,
    links: bigint[],
  ) => {
    const a = await addAnnouncement(database, system, meetingId, {
      partyId,
      text,
      amountMinor: amount?.[0] ?? null,
      currency: amount?.[1] ?? null,
      synthetic: true,
    });
    for (const contributionId of links)
      await linkAnnouncementToContribution(database, system, {
        meetingId,
        announcementId: a.id,
        contributionId,
      });
    return a.id;
  };
  const M1 = (await meeting(1, '2025-06-25')).id;
  await announce(M1, 'CAN', 'Canada: USD 200,000 for artillery', [20_000_000n, 'USD'], [C1]);
  const M2 = (await meeting(2, '2025-09-15')).id;
  const a1 = await announce(M2, 'NLD', 'EUR 10,000 for air defence', [1_000_000n, 'EUR'], [C2]);
  const a2 = await announce(M2, 'NOR', 'NOK 115,000', [11_500_000n, 'NOK'], [C3]);
  const a3 = await announce(M2, 'CAN', 'Further deliveries', null, [C1]);
  const a4 = await announce(M2, 'NLD', 'EUR 3,000 more', [300_000n, 'EUR'], [C4]);
  const a5 = await announce(M2, 'DEU', 'USD 1,000', [100_000n, 'USD'], []);
  const a6 = await announce(M2, 'NLD', 'The Netherlands confirm', null, [C2]);
  const M3 = (await meeting(3, '2025-12-01')).id;

  return {
    packages: { P1, P2, P3, P4, P5, P6, P7, P8, P9 },
    contributions: { C1, C2, C3, C4 },
    meetings: { M1, M2, M3 },
    announcements: { a1, a2, a3, a4, a5, a6 },
  };
}

/** Both reporting currencies × both rate modes; `fixed` at 2025-10-15 (USD 1.1700). */
export const BASES = [
  { currency: 'USD', rateMode: 'value_date' },
  { currency: 'EUR', rateMode: 'value_date' },
  { currency: 'USD', rateMode: 'fixed', rateDate: '2025-10-15' },
  { currency: 'EUR', rateMode: 'fixed', rateDate: '2025-10-15' },
] as const;

export type Basis = (typeof BASES)[number];

/** An amount recorded in `from` on `date`, in the basis's currency by the basis's rule. */
export function inBasis(basis: Basis, amountMinor: bigint, from: string, date: string): bigint {
  return convert(amountMinor, from, basis.currency, 'rateDate' in basis ? basis.rateDate : date);
}
