/**
 * A small funding world for the analytics tests, built through the services (the same calls
 * the API makes, with each role's rights checked; the import services for rates, GDP and
 * population), whose every amount, date and rate is written here so
 * a test can work its expected figures out by hand (`expect.ts` helpers below), never from the
 * program.
 *
 * Four donors in four currencies — NLD (EUR), NOR (NOK), GBR (GBP), CAN (USD) — on dates with
 * ECB-format rates written here, one a Saturday (NLD commits on 2025-08-02: the rate of Friday
 * 2025-08-01 applies). Two requirement lists (2025-08: items A, B, C in artillery and air and
 * missile defence; 2025-09: item D in drones), three packages:
 * - PURL-001 (A×80, B×2 = $12,000,000.00, two areas): funded by NLD (€5,000,000.00) and NOR
 *   (NOK 63,617,420.10, exactly the gap), authorised, disbursed twice (once on a Saturday),
 *   shipped and received (A 40 with 2 damaged, B 1);
 * - PURL-002 (D×20 = $10,000,000.00): part-funded by GBR, open;
 * - PURL-003 (C×50 = $1,000,000.00): funded by CAN (USD), not authorised.
 * Plus a pledge never committed (CAN), a cancelled pledge (GBR) and a commitment after
 * `AS_OF` (NLD, December). GDP up to 2024 for NLD (so 2025 falls back), 2023 for CAN, 2024–2025
 * for NOR, none for GBR; population likewise partial.
 *
 * Reuse: `buildFundingWorld(engine)` returns the database and the ids; `openFundingApi(world)`
 * the app over it with a `call`/`ok` pair (header actors).
 */
import { expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor, type Actor } from '../../src/core/actor.js';
import type { RateMode, ReportingCurrency } from '../../src/core/analytics.js';
import { buildApp, type App } from '../../src/http/app.js';
import {
  cancelContribution,
  commitContribution,
  createContribution,
  recordPayment,
} from '../../src/services/contributions-service.js';
import {
  advanceShipment,
  createShipment,
  recordReceipt,
} from '../../src/services/deliveries-service.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { importCountryIndicators } from '../../src/services/imports/indicators-import.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  createPackage,
  disbursePackage,
  openPackage,
} from '../../src/services/packages-service.js';
import {
  addRequirementItem,
  approveRequirementList,
  createRequirementList,
  setApprovedQuantity,
  submitRequirementList,
  validateRequirementList,
} from '../../src/services/requirements-service.js';
import type { Engine } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/database.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

export const system = systemActor('test');

/** The day every analysis is computed as of (a Saturday: the pace target falls back to Friday). */
export const AS_OF = '2025-11-15';

/** Every basis each analysis is worked out in: both currencies, both rate modes. */
export const BASES: readonly (readonly [ReportingCurrency, RateMode])[] = [
  ['USD', 'value_date'],
  ['EUR', 'value_date'],
  ['USD', 'fixed'],
  ['EUR', 'fixed'],
];
/** The fixed-mode rate date. */
export const FIXED_DATE = '2025-10-31';

/** ECB rates, units per EUR, as published. EUR is 1. */
export const RATES: Record<string, { USD: string; NOK: string; GBP: string }> = {
  '2025-08-01': { USD: '1.1404', NOK: '11.8200', GBP: '0.86500' },
  '2025-08-04': { USD: '1.1578', NOK: '11.8590', GBP: '0.87063' },
  '2025-09-01': { USD: '1.1700', NOK: '11.7000', GBP: '0.86000' },
  '2025-09-15': { USD: '1.1750', NOK: '11.6500', GBP: '0.86500' },
  '2025-09-19': { USD: '1.1720', NOK: '11.6800', GBP: '0.86900' },
  '2025-10-01': { USD: '1.1600', NOK: '11.7500', GBP: '0.87000' },
  '2025-10-17': { USD: '1.1680', NOK: '11.7200', GBP: '0.86800' },
  '2025-10-20': { USD: '1.1650', NOK: '11.7100', GBP: '0.86700' },
  '2025-10-31': { USD: '1.1550', NOK: '11.6000', GBP: '0.87500' },
  '2025-11-14': { USD: '1.1600', NOK: '11.6500', GBP: '0.87200' },
};

export function ratesCsv(): string {
  const days = Object.keys(RATES).sort().reverse();
  return (
    [
      'Date,USD,NOK,GBP,',
      ...days.map((d) => `${d},${RATES[d]!.USD},${RATES[d]!.NOK},${RATES[d]!.GBP},`),
    ].join('\n') + '\n'
  );
}

export interface PaymentSpec {
  amountMinor: bigint;
  paidOn: string;
}

export interface ContributionSpec {
  key: string;
  party: string;
  currency: 'EUR' | 'NOK' | 'GBP' | 'USD';
  pledgedMinor: bigint;
  announcedOn: string;
  /** Committed in full on this day (absent: stays a pledge). */
  committedOn?: string;
  payments: PaymentSpec[];
  cancelled?: boolean;
}

export const CONTRIBUTIONS: ContributionSpec[] = [
  {
    key: 'nld',
    party: 'NLD',
    currency: 'EUR',
    pledgedMinor: 2_500_000_000n, // €25,000,000.00
    announcedOn: '2025-08-01',
    committedOn: '2025-08-02', // a Saturday
    payments: [{ amountMinor: 1_000_000_000n, paidOn: '2025-09-01' }],
  },
  {
    key: 'nor',
    party: 'NOR',
    currency: 'NOK',
    pledgedMinor: 20_000_000_000n, // NOK 200,000,000.00
    announcedOn: '2025-08-04',
    committedOn: '2025-08-04',
    payments: [{ amountMinor: 20_000_000_000n, paidOn: '2025-09-15' }],
  },
  {
    key: 'gbr',
    party: 'GBR',
    currency: 'GBP',
    pledgedMinor: 800_000_000n, // £8,000,000.00
    announcedOn: '2025-09-01',
    committedOn: '2025-09-15',
    payments: [{ amountMinor: 200_000_000n, paidOn: '2025-10-01' }],
  },
  {
    key: 'can',
    party: 'CAN',
    currency: 'USD',
    pledgedMinor: 500_000_000n, // $5,000,000.00
    announcedOn: '2025-10-01',
    committedOn: '2025-10-31',
    payments: [],
  },
  {
    key: 'canPledge',
    party: 'CAN',
    currency: 'USD',
    pledgedMinor: 100_000_000n, // $1,000,000.00, never committed
    announcedOn: '2025-10-01',
    payments: [],
  },
  {
    key: 'gbrCancelled',
    party: 'GBR',
    currency: 'GBP',
    pledgedMinor: 100_000_000n,
    announcedOn: '2025-09-01',
    payments: [],
    cancelled: true,
  },
  {
    key: 'nldLate',
    party: 'NLD',
    currency: 'EUR',
    pledgedMinor: 100_000_000n, // €1,000,000.00, after AS_OF
    announcedOn: '2025-11-20',
    committedOn: '2025-12-01',
    payments: [],
  },
];

export interface ItemSpec {
  key: 'A' | 'B' | 'C' | 'D';
  cycle: '2025-08' | '2025-09';
  area: string;
  requested: number;
  approved: number;
  unitCostMinor: bigint;
}

export const ITEMS: ItemSpec[] = [
  {
    key: 'A',
    cycle: '2025-08',
    area: 'artillery',
    requested: 100,
    approved: 80,
    unitCostMinor: 10_000_000n,
  },
  {
    key: 'B',
    cycle: '2025-08',
    area: 'air_missile_defence',
    requested: 10,
    approved: 10,
    unitCostMinor: 200_000_000n,
  },
  {
    key: 'C',
    cycle: '2025-08',
    area: 'artillery',
    requested: 50,
    approved: 50,
    unitCostMinor: 2_000_000n,
  },
  {
    key: 'D',
    cycle: '2025-09',
    area: 'drones',
    requested: 20,
    approved: 20,
    unitCostMinor: 50_000_000n,
  },
];

export interface PackageSpec {
  key: 'p1' | 'p2' | 'p3';
  cycle: string;
  lines: { item: ItemSpec['key']; quantity: number }[];
}

export const PACKAGES: PackageSpec[] = [
  {
    key: 'p1',
    cycle: '2025-08',
    lines: [
      { item: 'A', quantity: 80 },
      { item: 'B', quantity: 2 },
    ],
  },
  { key: 'p2', cycle: '2025-09', lines: [{ item: 'D', quantity: 20 }] },
  { key: 'p3', cycle: '2025-09', lines: [{ item: 'C', quantity: 50 }] },
];

export interface AllocationSpec {
  pkg: PackageSpec['key'];
  contribution: string;
  amountMinor: bigint;
  valueDate: string;
}

export const ALLOCATIONS: AllocationSpec[] = [
  { pkg: 'p1', contribution: 'nld', amountMinor: 500_000_000n, valueDate: '2025-08-04' },
  { pkg: 'p1', contribution: 'nor', amountMinor: 6_361_742_010n, valueDate: '2025-08-04' },
  { pkg: 'p2', contribution: 'gbr', amountMinor: 200_000_000n, valueDate: '2025-10-01' },
  { pkg: 'p3', contribution: 'can', amountMinor: 100_000_000n, valueDate: '2025-10-31' },
];

/** PURL-001 is authorised at its price on this day (a Saturday). */
export const AUTHORISED_ON = '2025-09-20';

export const DISBURSEMENTS: PaymentSpec[] = [
  { amountMinor: 500_000_000n, paidOn: '2025-10-01' },
  { amountMinor: 100_000_000n, paidOn: '2025-10-18' }, // a Saturday
];

/** PURL-001's one receipt: A 40 received, 2 of them damaged; B 1. */
export const RECEIVED_ON = '2025-10-20';
export const RECEIPT = [
  { item: 'A' as const, shipped: 40, received: 40, damaged: 2 },
  { item: 'B' as const, shipped: 1, received: 1, damaged: 0 },
];

/** World Bank format; GDP in current US$. */
export const GDP_CSV = [
  'Country Name,Country Code,Year,Value',
  'Netherlands,NLD,2023,1100000000000',
  'Netherlands,NLD,2024,1200000000000',
  'Norway,NOR,2024,480000000000',
  'Norway,NOR,2025,500000000000',
  'Canada,CAN,2023,2140000000000',
].join('\n');

export const POPULATION_CSV = [
  'Country Name,Country Code,Year,Value',
  'Netherlands,NLD,2024,17900000',
  'Netherlands,NLD,2025,18000000',
  'Norway,NOR,2024,5500000',
  'Canada,CAN,2024,41000000',
  'United Kingdom,GBR,2025,69000000',
].join('\n');

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Actors of the fixture (the services check each one's rights as the API would). */
export const ACTORS = {
  coordinator: { id: 'test:coordinator', role: 'coordinator' },
  recipient: { id: 'test:recipient', role: 'recipient' },
  validator: { id: 'test:validator', role: 'validator' },
  supplier: { id: 'test:supplier', role: 'supplier' },
  auditor: { id: 'test:auditor', role: 'auditor' },
  contributor: (partyId: string): Actor => ({
    id: `test:${partyId}`,
    role: 'contributor',
    partyId,
  }),
} as const satisfies Record<string, Actor | ((partyId: string) => Actor)>;

export interface FundingWorld {
  t: TestDatabase;
  /** contribution key → id */
  contributions: Record<string, bigint>;
  /** item key → id */
  items: Record<string, bigint>;
  /** package key → { id, number, lines: item key → line id } */
  packages: Record<string, { id: bigint; number: string; lines: Record<string, bigint> }>;
  close(): Promise<void>;
}

/** Builds the fixture through the services, in a fresh database of `engine`. */
export async function buildFundingWorld(engine: Engine): Promise<FundingWorld> {
  const t = await openTestDatabase(engine);
  const db = t.database;
  const dir = await mkdtemp(join(tmpdir(), 'purl-analytics-'));
  try {
    await writeFile(join(dir, 'rates.csv'), ratesCsv());
    await importFxRates(db, system, { file: join(dir, 'rates.csv') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const [indicator, text] of [
    ['gdp_usd', GDP_CSV],
    ['population', POPULATION_CSV],
  ] as const) {
    await importCountryIndicators(db, system, {
      indicator,
      bytes: new TextEncoder().encode(`${text}\n`),
      fileName: `${indicator}.csv`,
    });
  }

  // Requirement lists, one per cycle, approved (A cut from 100 to 80 by the validator).
  const items: Record<string, bigint> = {};
  for (const cycle of ['2025-08', '2025-09']) {
    const list = await createRequirementList(db, ACTORS.recipient, {
      cycle,
      title: `${cycle} (synthetic)`,
      synthetic: true,
    });
    for (const spec of ITEMS.filter((i) => i.cycle === cycle)) {
      const created = await addRequirementItem(db, ACTORS.recipient, list.id, {
        capabilityArea: spec.area,
        category: `item ${spec.key}`,
        lethal: true,
        requestedQuantity: spec.requested,
        unit: 'units',
        estimatedUnitCostUsdMinor: spec.unitCostMinor,
        description: `Item ${spec.key} (restricted text)`,
      });
      items[spec.key] = created.id;
    }
    await submitRequirementList(db, ACTORS.recipient, list.id);
    for (const spec of ITEMS.filter((i) => i.cycle === cycle && i.approved !== i.requested)) {
      await setApprovedQuantity(db, ACTORS.validator, list.id, items[spec.key]!, spec.approved);
    }
    await validateRequirementList(db, ACTORS.validator, list.id);
    for (const actor of [ACTORS.recipient, ACTORS.coordinator, ACTORS.supplier])
      await approveRequirementList(db, actor, list.id);
  }

  // Packages, composed and opened.
  const packages: FundingWorld['packages'] = {};
  for (const spec of PACKAGES) {
    const pkg = await createPackage(db, ACTORS.coordinator, {
      cycle: spec.cycle,
      title: `Package ${spec.key} (synthetic)`,
      targetMinor: 10_000_000_000n,
      synthetic: true,
    });
    const lines: Record<string, bigint> = {};
    for (const line of spec.lines) {
      const composed = await addPackageLine(db, ACTORS.coordinator, pkg.id, {
        requirementItemId: items[line.item]!,
        quantity: line.quantity,
      });
      lines[line.item] = composed.lines.at(-1)!.id;
    }
    await openPackage(db, ACTORS.coordinator, pkg.id);
    packages[spec.key] = { id: pkg.id, number: pkg.number, lines };
  }

  // Contributions: pledged, committed, paid, cancelled.
  const contributions: Record<string, bigint> = {};
  for (const c of CONTRIBUTIONS) {
    const created = await createContribution(db, ACTORS.coordinator, {
      donorPartyId: c.party,
      currency: c.currency,
      amountMinor: c.pledgedMinor,
      announcedOn: c.announcedOn,
      title: `${c.party} ${c.key} (synthetic)`,
      internalNote: `${c.party} internal note`,
    });
    contributions[c.key] = created.id;
    if (c.cancelled) {
      await cancelContribution(db, ACTORS.coordinator, created.id, {
        reason: 'withdrawn (synthetic)',
      });
    }
    if (c.committedOn) {
      await commitContribution(db, ACTORS.coordinator, created.id, { committedOn: c.committedOn });
    }
    for (const p of c.payments) {
      await recordPayment(db, ACTORS.coordinator, created.id, p);
    }
  }

  // Allocations; PURL-001 and PURL-003 end funded; PURL-001 authorised, paid, delivered in part.
  for (const a of ALLOCATIONS) {
    await allocateToPackage(db, ACTORS.coordinator, packages[a.pkg]!.id, {
      contributionId: contributions[a.contribution]!,
      amountMinor: a.amountMinor,
      valueDate: a.valueDate,
    });
  }
  const p1 = packages.p1!;
  await authorizePackage(db, ACTORS.supplier, p1.id, {
    reference: 'US-AUTH-TEST-001',
    authorizedOn: AUTHORISED_ON,
  });
  for (const d of DISBURSEMENTS) {
    await disbursePackage(db, ACTORS.coordinator, p1.id, d);
  }
  await shipAndReceive(db, p1.id, {
    reference: 'SHIP-1',
    on: { planned: '2025-10-05', dispatched: '2025-10-06', handedOver: '2025-10-19' },
    lines: RECEIPT.map((r) => ({ packageLineId: p1.lines[r.item]!, quantity: r.shipped })),
    receivedOn: RECEIVED_ON,
    received: RECEIPT.map((r) => ({
      packageLineId: p1.lines[r.item]!,
      receivedQuantity: r.received,
      ...(r.damaged > 0
        ? {
            discrepancies: [
              { kind: 'damaged' as const, quantity: r.damaged, reason: 'damaged in transit' },
            ],
          }
        : {}),
    })),
  });

  return { t, contributions, items, packages, close: () => t.close() };
}

/**
 * One shipment of a package through the services: planned, dispatched, handed over and received
 * (`received`: what the recipient records; absent, every line in full, no discrepancy).
 */
export async function shipAndReceive(
  db: Database,
  packageId: bigint,
  shipment: {
    reference: string;
    on: { planned: string; dispatched: string; handedOver: string };
    lines: { packageLineId: bigint; quantity: number }[];
    receivedOn: string;
    received?: Parameters<typeof recordReceipt>[3]['lines'];
  },
): Promise<void> {
  const created = await createShipment(db, ACTORS.supplier, packageId, {
    reference: shipment.reference,
    plannedOn: shipment.on.planned,
    lines: shipment.lines,
  });
  const id = created.shipments.find((s) => s.reference === shipment.reference)!.id;
  await advanceShipment(db, ACTORS.supplier, id, {
    status: 'dispatched',
    on: shipment.on.dispatched,
  });
  await advanceShipment(db, ACTORS.supplier, id, {
    status: 'handed_over',
    on: shipment.on.handedOver,
  });
  await recordReceipt(db, ACTORS.recipient, id, {
    receivedOn: shipment.receivedOn,
    lines:
      shipment.received ??
      shipment.lines.map((l) => ({ packageLineId: l.packageLineId, receivedQuantity: l.quantity })),
  });
}

/** The API over a world: `call` answers anything, `ok` expects a 2xx. */
export interface FundingApi {
  app: App;
  call(
    method: Method,
    url: string,
    actor: string | null,
  ): Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
  ok(method: Method, url: string, actor: string | null): Promise<Json>;
}

export async function openFundingApi(world: FundingWorld): Promise<FundingApi> {
  const app = await buildApp({ database: world.t.database, devActors: true });
  const call: FundingApi['call'] = async (method, url, actor) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: actor ? { 'x-purl-actor': actor } : {},
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  };
  const ok: FundingApi['ok'] = async (method, url, actor) => {
    const r = await call(method, url, actor);
    expect(r.status, `${method} ${url} as ${actor}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  return { app, call, ok };
}

// ---- Working figures out by hand (independently of src/core/fx.ts and the analyses) ----

/** Half-to-even rounding of a non-negative or negative fraction. */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d;
  const r2 = (n % d) * 2n;
  const rounded = r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** A decimal rate as a fraction (`"1.1578"` → 11578 / 10000). */
function rateFraction(text: string): { n: bigint; d: bigint } {
  const [whole, fraction = ''] = text.split('.');
  return { n: BigInt(`${whole}${fraction}`), d: 10n ** BigInt(fraction.length) };
}

/** The day whose rates value `date`: the latest day on or before it in `RATES`. */
export function rateDay(date: string): string {
  const day = Object.keys(RATES)
    .sort()
    .filter((d) => d <= date)
    .at(-1);
  if (!day) throw new Error(`no rate on or before ${date}`);
  return day;
}

function perEur(currency: string, day: string): { n: bigint; d: bigint } {
  if (currency === 'EUR') return { n: 1n, d: 1n };
  return rateFraction(RATES[day]![currency as 'USD' | 'NOK' | 'GBP']);
}

/**
 * An amount in minor units of `from` (every currency here has 2 decimals) in `to`, at the rates
 * of `date` (or the latest earlier day), rounded once half to even.
 */
export function convertByHand(amountMinor: bigint, from: string, to: string, date: string): bigint {
  if (from === to) return amountMinor;
  const day = rateDay(date);
  const a = perEur(from, day);
  const b = perEur(to, day);
  // amount × (b.n/b.d) / (a.n/a.d)
  return roundHalfEven(amountMinor * b.n * a.d, b.d * a.n);
}

/** Largest-remainder split worked out by hand (ties to the earlier part). */
export function splitByHand(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((s, w) => s + w, 0n);
  const negative = total < 0n;
  const whole = negative ? -total : total;
  const parts = weights.map((w) => (whole * w) / sum);
  let left = whole - parts.reduce((s, p) => s + p, 0n);
  const order = weights
    .map((w, i) => ({ i, r: (whole * w) % sum }))
    .sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

export function item(key: ItemSpec['key']): ItemSpec {
  return ITEMS.find((i) => i.key === key)!;
}

export function contribution(key: string): ContributionSpec {
  return CONTRIBUTIONS.find((c) => c.key === key)!;
}
