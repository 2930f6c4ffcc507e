/**
 * The demo's data: what is public record (announced contributions, meeting dates and places,
 * words reported from a meeting) and what is invented for the demo (requirement lists, package
 * contents and prices, payment dates, authorisations, deliveries). Every invented record is
 * loaded with `synthetic: true` and a note that says so; every note ends with `DEMO_TAG`, by
 * which the loader recognises a database it already loaded.
 *
 * Amounts are integers of major units (dollars, euros) here; the loader turns them into minor
 * units (every demo currency has two decimals).
 */
import { splitByWeights } from '../../core/split.js';

/** Ends every note the demo writes: how the loader recognises its own records. */
export const DEMO_TAG = '[PURL Ledger demo data]';

/** A note with the demo tag at its end. */
export function tagged(note: string): string {
  return `${note} ${DEMO_TAG}`;
}

/** Major units → minor units of a two-decimal currency. */
export function minor(major: number | bigint): bigint {
  return BigInt(major) * 100n;
}

// ---------------------------------------------------------------------------------------------
// Contributions (public record, except where `synthetic`)

export interface DemoPayment {
  /** Major units; absent: the whole committed amount. */
  amount?: number;
  paidOn: string;
}

export interface DemoContribution {
  key: string;
  donor: string;
  currency: string;
  amountMinor: bigint;
  announcedOn: string;
  /** Absent: stays a pledge (not funding). */
  committedOn?: string;
  title: string;
  sourceNote: string;
  synthetic: boolean;
  payments?: DemoPayment[];
}

/** Every payment in the demo is invented: its reference says so. */
export const SYNTHETIC_PAYMENT_REFERENCE =
  'SYNTHETIC demo payment: payment dates and amounts are not public';

const COMMITTED_AS_ANNOUNCED =
  'Commitment date = announcement date and any payments are demo assumptions (SYNTHETIC).';

const NORDIC_TRIO_TOTAL = minor(500_000_000);
const SWEDEN_SHARE = minor(275_000_000);
/** DNK and NOR share the rest equally, by largest remainder (an assumption, see the notes). */
const [DENMARK_SHARE, NORWAY_SHARE] = splitByWeights(NORDIC_TRIO_TOTAL - SWEDEN_SHARE, [1n, 1n]);

/** The eight Nordic-Baltic states of the joint package of 2025-11-13, in the announced order. */
export const NB8 = ['DNK', 'EST', 'FIN', 'ISL', 'LVA', 'LTU', 'NOR', 'SWE'] as const;
const NB8_TOTAL = minor(500_000_000);
const NB8_SHARES = splitByWeights(
  NB8_TOTAL,
  NB8.map(() => 1n),
);
const NB8_NAMES: Record<(typeof NB8)[number], string> = {
  DNK: 'Denmark',
  EST: 'Estonia',
  FIN: 'Finland',
  ISL: 'Iceland',
  LVA: 'Latvia',
  LTU: 'Lithuania',
  NOR: 'Norway',
  SWE: 'Sweden',
};

function trioNote(share: string): string {
  return tagged(
    'Public record: Denmark, Norway and Sweden jointly announced the second PURL package, ' +
      '$500 million, on 2025-08-05, of which Sweden $275 million. ' +
      share +
      ' ' +
      COMMITTED_AS_ANNOUNCED,
  );
}

export const DEMO_CONTRIBUTIONS: readonly DemoContribution[] = [
  {
    key: 'NLD-1',
    donor: 'NLD',
    currency: 'EUR',
    amountMinor: minor(500_000_000),
    announcedOn: '2025-08-04',
    committedOn: '2025-08-04',
    title: 'Netherlands — PURL package 1 (€500M)',
    sourceNote: tagged(
      'Public record: the Netherlands announced €500 million to fund the first PURL package on ' +
        '2025-08-04 (Dutch government, NATO). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-08-20' }],
  },
  {
    key: 'SWE-1',
    donor: 'SWE',
    currency: 'USD',
    amountMinor: SWEDEN_SHARE,
    announcedOn: '2025-08-05',
    committedOn: '2025-08-05',
    title: 'Sweden — joint PURL package 2 with Denmark and Norway ($275M)',
    sourceNote: trioNote('Sweden’s $275 million is the published figure.'),
    synthetic: false,
    payments: [{ paidOn: '2025-08-22' }],
  },
  {
    key: 'DNK-1',
    donor: 'DNK',
    currency: 'USD',
    amountMinor: DENMARK_SHARE!,
    announcedOn: '2025-08-05',
    committedOn: '2025-08-05',
    title: 'Denmark — joint PURL package 2 with Norway and Sweden',
    sourceNote: trioNote(
      'ASSUMPTION: the split of the remaining $225 million between Denmark and Norway is not ' +
        'public; the demo splits it equally by largest remainder ($112.5 million each).',
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-08-22' }],
  },
  {
    key: 'NOR-1',
    donor: 'NOR',
    currency: 'USD',
    amountMinor: NORWAY_SHARE!,
    announcedOn: '2025-08-05',
    committedOn: '2025-08-05',
    title: 'Norway — joint PURL package 2 with Denmark and Sweden',
    sourceNote: trioNote(
      'ASSUMPTION: the split of the remaining $225 million between Denmark and Norway is not ' +
        'public; the demo splits it equally by largest remainder ($112.5 million each).',
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-08-22' }],
  },
  {
    key: 'DEU-1',
    donor: 'DEU',
    currency: 'USD',
    amountMinor: minor(500_000_000),
    announcedOn: '2025-08-13',
    committedOn: '2025-08-13',
    title: 'Germany — PURL package 3 ($500M)',
    sourceNote: tagged(
      'Public record: Germany announced $500 million to fund a PURL package (the third) on ' +
        '2025-08-13. ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-09-01' }],
  },
  {
    key: 'CAN-1',
    donor: 'CAN',
    currency: 'USD',
    amountMinor: minor(500_000_000),
    announcedOn: '2025-08-24',
    committedOn: '2025-08-24',
    title: 'Canada — PURL package 4 ($500M)',
    sourceNote: tagged(
      'Public record: Canada announced US$500 million to fund a PURL package (the fourth) on ' +
        '2025-08-24, Ukraine’s Independence Day. ' +
        COMMITTED_AS_ANNOUNCED +
        ' Only half is recorded as paid, to show a partial payment.',
    ),
    synthetic: false,
    payments: [{ amount: 250_000_000, paidOn: '2025-09-15' }],
  },
  {
    key: 'BEL-1',
    donor: 'BEL',
    currency: 'EUR',
    amountMinor: minor(100_000_000),
    announcedOn: '2025-08-29',
    committedOn: '2025-08-29',
    title: 'Belgium — PURL (€100M)',
    sourceNote: tagged(
      'Public record: Belgium announced an additional €100 million in military aid through PURL ' +
        'on 2025-08-29 (Defence Minister Theo Francken on X; reported by Interfax-Ukraine and the ' +
        'Kyiv Independent). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-10-01' }],
  },
  {
    key: 'LVA-1',
    donor: 'LVA',
    currency: 'EUR',
    amountMinor: minor(5_000_000),
    announcedOn: '2025-09-09',
    committedOn: '2025-09-09',
    title: 'Latvia — PURL (€5M)',
    sourceNote: tagged(
      'Public record: the Latvian Cabinet approved €5 million for PURL on 2025-09-09 ' +
        '(€3 million from the Ministry of Defence, €2 million from the Ministry of Foreign ' +
        'Affairs; Latvian Ministry of Defence). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-10-01' }],
  },
  {
    key: 'LTU-1',
    donor: 'LTU',
    currency: 'USD',
    amountMinor: minor(30_000_000),
    announcedOn: '2025-10-15',
    committedOn: '2025-10-15',
    title: 'Lithuania — PURL ($30M)',
    sourceNote: tagged(
      'Public record: Lithuania’s Defence Minister Dovilė Šakalienė announced $30 million for ' +
        'PURL in Brussels on 2025-10-15, the day of the 31st UDCG (reported by European Pravda). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
    payments: [{ paidOn: '2025-10-20' }],
  },
  {
    key: 'ESP-1',
    donor: 'ESP',
    currency: 'EUR',
    amountMinor: minor(100_000_000),
    announcedOn: '2025-10-23',
    committedOn: '2025-10-23',
    title: 'Spain — PURL (€100M)',
    sourceNote: tagged(
      'Public record: Spain, €100 million for PURL, October 2025; Prime Minister Pedro Sánchez ' +
        'announced on 2025-10-23 that Spain would join PURL. The day used here is APPROXIMATE. ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
  },
  ...NB8.map((donor, index): DemoContribution => ({
    key: `${donor}-NB8`,
    donor,
    currency: 'USD',
    amountMinor: NB8_SHARES[index]!,
    announcedOn: '2025-11-13',
    committedOn: '2025-11-13',
    title: `${NB8_NAMES[donor]} — Nordic-Baltic joint PURL package (NB8, $500M)`,
    sourceNote: tagged(
      'Public record: the eight Nordic-Baltic states (DNK, EST, FIN, ISL, LVA, LTU, NOR, SWE) ' +
        'jointly announced a $500 million PURL package on 2025-11-13. ASSUMPTION: the split ' +
        'between them is not public; the demo splits it equally by largest remainder ' +
        '($62.5 million each). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
  })),
  {
    key: 'POL-1',
    donor: 'POL',
    currency: 'USD',
    amountMinor: minor(100_000_000),
    announcedOn: '2025-11-20',
    committedOn: '2025-11-20',
    title: 'Poland — PURL ($100M)',
    sourceNote: tagged(
      'Public record: Poland announced $100 million for PURL on 2025-11-20 (Foreign Minister ' +
        'Radosław Sikorski; some reports give €100 million — the demo keeps the dollar figure ' +
        'of its source list). ' +
        COMMITTED_AS_ANNOUNCED,
    ),
    synthetic: false,
  },
  {
    key: 'AUS-1',
    donor: 'AUS',
    currency: 'AUD',
    amountMinor: minor(50_000_000),
    announcedOn: '2025-12-03',
    title: 'Australia — joins PURL (SYNTHETIC amount)',
    sourceNote: tagged(
      'Public record: Australia and New Zealand joined PURL as its first non-NATO partners on ' +
        '2025-12-03 (NATO Secretary General, NATO foreign ministers’ meeting). SYNTHETIC: the ' +
        'amount is not public; the A$50 million recorded here is invented for the demo and left ' +
        'a pledge (a pledge is not funding).',
    ),
    synthetic: true,
  },
  {
    key: 'NZL-1',
    donor: 'NZL',
    currency: 'NZD',
    amountMinor: minor(10_000_000),
    announcedOn: '2025-12-03',
    title: 'New Zealand — joins PURL (SYNTHETIC amount)',
    sourceNote: tagged(
      'Public record: Australia and New Zealand joined PURL as its first non-NATO partners on ' +
        '2025-12-03 (NATO Secretary General, NATO foreign ministers’ meeting). SYNTHETIC: the ' +
        'amount is not public; the NZ$10 million recorded here is invented for the demo and left ' +
        'a pledge (a pledge is not funding).',
    ),
    synthetic: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Requirement lists (all synthetic)

export interface DemoItem {
  key: string;
  capabilityArea: string;
  category: string;
  lethal: boolean;
  requestedQuantity: number;
  unit: string;
  /** Estimated unit cost, whole US dollars. */
  unitCostUsd: number;
  /** The validator's trim (absent: approved as requested). */
  approvedQuantity?: number;
  /** Packages take it in multiples of this (absent: 1, any quantity). */
  quantityStep?: number;
  /** Packages take only the whole remaining quantity (absent: false). */
  wholeOnly?: boolean;
}

export interface DemoList {
  cycle: string;
  /** The last step taken: the 2026-03 list stays submitted, to show a list in progress. */
  until: 'submitted' | 'approved' | 'closed';
  items: DemoItem[];
}

export const REQUIREMENTS_NOTE = tagged(
  'SYNTHETIC: Ukraine’s requirement lists and PURL package contents are not public. Every ' +
    'item, quantity and estimated cost in this list is invented for the demo, at the level of ' +
    'capability area and item category only.',
);

const interceptors = (key: string, requested: number, approved?: number): DemoItem => ({
  key,
  capabilityArea: 'air_missile_defence',
  category: 'air defence interceptors',
  lethal: true,
  requestedQuantity: requested,
  unit: 'missiles',
  unitCostUsd: 4_100_000,
  ...(approved === undefined ? {} : { approvedQuantity: approved }),
});
const shells = (key: string, requested: number, approved?: number): DemoItem => ({
  key,
  capabilityArea: 'artillery',
  category: '155mm artillery ammunition',
  lethal: true,
  requestedQuantity: requested,
  unit: 'rounds',
  unitCostUsd: 8_000,
  ...(approved === undefined ? {} : { approvedQuantity: approved }),
});
const counterDrone = (key: string, requested: number, approved?: number): DemoItem => ({
  key,
  capabilityArea: 'drones',
  category: 'counter-drone systems',
  lethal: false,
  requestedQuantity: requested,
  unit: 'systems',
  unitCostUsd: 850_000,
  ...(approved === undefined ? {} : { approvedQuantity: approved }),
});
const rockets = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'artillery',
  category: 'guided rocket artillery munitions',
  lethal: true,
  requestedQuantity: requested,
  unit: 'rockets',
  unitCostUsd: 165_000,
});
const demining = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'demining',
  category: 'demining equipment',
  lethal: false,
  requestedQuantity: requested,
  unit: 'sets',
  unitCostUsd: 400_000,
});
const comms = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'it',
  category: 'secure communications equipment',
  lethal: false,
  requestedQuantity: requested,
  unit: 'sets',
  unitCostUsd: 18_000,
});
const spares = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'sustainment',
  category: 'spare parts and maintenance',
  lethal: false,
  requestedQuantity: requested,
  unit: 'lots',
  unitCostUsd: 75_000,
});
const adComponents = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'air_missile_defence',
  category: 'air defence system components',
  lethal: false,
  requestedQuantity: requested,
  unit: 'sets',
  unitCostUsd: 9_500_000,
});
const aircraftMunitions = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'air_force',
  category: 'aircraft munitions',
  lethal: true,
  requestedQuantity: requested,
  unit: 'units',
  unitCostUsd: 350_000,
});
const aircraftSpares = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'air_force',
  category: 'combat aircraft spare parts',
  lethal: false,
  requestedQuantity: requested,
  unit: 'lots',
  unitCostUsd: 900_000,
});
const armourSustainment = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'armour',
  category: 'armoured vehicle sustainment packages',
  lethal: false,
  requestedQuantity: requested,
  unit: 'packages',
  unitCostUsd: 600_000,
});
const reconDrones = (key: string, requested: number, approved?: number): DemoItem => ({
  key,
  capabilityArea: 'drones',
  category: 'reconnaissance drones',
  lethal: false,
  requestedQuantity: requested,
  unit: 'systems',
  unitCostUsd: 180_000,
  ...(approved === undefined ? {} : { approvedQuantity: approved }),
});
const maritime = (key: string, requested: number): DemoItem => ({
  key,
  capabilityArea: 'maritime',
  category: 'maritime surveillance equipment',
  lethal: false,
  requestedQuantity: requested,
  unit: 'systems',
  unitCostUsd: 2_500_000,
});

/** Items in priority order (rank 1 first). */
export const DEMO_LISTS: readonly DemoList[] = [
  {
    cycle: '2025-08',
    until: 'closed',
    items: [
      interceptors('a1', 90, 80),
      shells('a2', 40_000),
      adComponents('a3', 12),
      counterDrone('a4', 150, 130),
      rockets('a5', 600),
      demining('a6', 120),
      comms('a7', 3_000),
      spares('a8', 800),
    ],
  },
  {
    cycle: '2025-09',
    until: 'approved',
    items: [
      interceptors('b1', 70, 64),
      shells('b2', 35_000),
      armourSustainment('b3', 200),
      aircraftMunitions('b4', 400),
      reconDrones('b5', 500, 440),
      maritime('b6', 20),
      spares('b7', 900),
      comms('b8', 2_500),
    ],
  },
  {
    cycle: '2025-10',
    until: 'approved',
    items: [
      interceptors('c1', 40, 36),
      counterDrone('c2', 160),
      // Packaged by the lot: the items table shows "steps of 1,000" (no demo package draws it).
      { ...shells('c3', 20_000), quantityStep: 1_000 },
      demining('c4', 80),
      spares('c5', 600),
      comms('c6', 2_000),
    ],
  },
  {
    cycle: '2025-11',
    until: 'approved',
    items: [
      interceptors('d1', 70, 60),
      shells('d2', 25_000),
      aircraftSpares('d3', 100),
      counterDrone('d4', 120, 100),
      spares('d5', 500),
      comms('d6', 1_500),
      // Funded whole or not at all (no demo package draws it).
      { ...maritime('d7', 10), wholeOnly: true },
    ],
  },
  {
    cycle: '2025-12',
    until: 'approved',
    items: [
      interceptors('e1', 60, 55),
      rockets('e2', 800),
      counterDrone('e3', 120),
      armourSustainment('e4', 100),
      demining('e5', 60),
      spares('e6', 400),
    ],
  },
  {
    cycle: '2026-01',
    until: 'approved',
    items: [
      interceptors('f1', 70, 65),
      shells('f2', 30_000, 27_000),
      aircraftMunitions('f3', 200),
      comms('f4', 1_000),
      spares('f5', 300),
    ],
  },
  {
    cycle: '2026-02',
    until: 'approved',
    items: [
      interceptors('g1', 50),
      counterDrone('g2', 150, 140),
      shells('g3', 20_000),
      maritime('g4', 12),
      demining('g5', 50),
    ],
  },
  {
    cycle: '2026-03',
    until: 'submitted',
    items: [
      interceptors('h1', 60),
      { ...shells('h2', 25_000), quantityStep: 500 },
      reconDrones('h3', 300),
      spares('h4', 400),
      comms('h5', 1_200),
      aircraftSpares('h6', 40),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Packages (funding from the public record; contents, prices and dates synthetic)

export interface DemoFunder {
  contribution: string;
  /** Major units of the contribution's currency at most (absent: what is available). */
  max?: number;
}

export interface DemoPackage {
  cycle: string;
  title: string;
  fundingNote: string;
  /** Items of the cycle's list to draw from, in this order (greedy, to the target price). */
  draw: string[];
  /**
   * The price to compose to: a fixed amount (whole dollars), or `funding`: what the funders
   * have available at the allocation date, converted to USD (less `holdBackUsd`).
   */
  target: { usd: number } | { funding: true; holdBackUsd?: number };
  /** Allocated in this order, each up to what fills the gap. */
  funders: DemoFunder[];
  /** How the last two funders share the gap, when `split` (largest remainder, equal). */
  splitLastTwo?: boolean;
  allocatedOn?: string;
  authorize?: {
    on: string;
    reference: string;
    /**
     * A re-price: on `on`, the supplier's final price is the price plus `upUsd` (whole dollars);
     * the gap re-opens, is filled from the funders on `refillOn`, then authorised.
     */
    reprice?: { upUsd: number; on: string; refillOn: string };
  };
  /** Disbursements: a share (percent of the price) paid on a day. */
  disburse?: { percent: number; paidOn: string }[];
}

export const PACKAGE_CONTENTS_NOTE =
  'Contents, prices, authorisation and dates: SYNTHETIC (package contents are not public).';

export const DEMO_PACKAGES: readonly DemoPackage[] = [
  {
    cycle: '2025-08',
    title: 'Air defence and counter-drone (synthetic contents)',
    fundingNote:
      'Funding: public record — the Netherlands funded the first PURL package (€500 million, ' +
      'announced 2025-08-04), converted here at the ECB rate of the allocation date.',
    draw: ['a1', 'a4', 'a3', 'a8', 'a7'],
    target: { funding: true },
    funders: [{ contribution: 'NLD-1' }],
    allocatedOn: '2025-08-06',
    authorize: { on: '2025-08-12', reference: 'DEMO-LOA-2025-001 (synthetic)' },
    disburse: [{ percent: 100, paidOn: '2025-08-25' }],
  },
  {
    cycle: '2025-08',
    title: 'Artillery, demining and communications (synthetic contents)',
    fundingNote:
      'Funding: public record — Denmark, Norway and Sweden jointly funded the second PURL ' +
      'package ($500 million announced 2025-08-05, of which Sweden $275 million; reported ' +
      'later as worth about $495 million). The split of the rest between Denmark and Norway is ' +
      'a demo assumption (equal, largest remainder).',
    draw: ['a2', 'a5', 'a6', 'a7', 'a8'],
    target: { usd: 495_000_000 },
    funders: [{ contribution: 'SWE-1' }, { contribution: 'DNK-1' }, { contribution: 'NOR-1' }],
    splitLastTwo: true,
    allocatedOn: '2025-08-07',
    authorize: { on: '2025-08-14', reference: 'DEMO-LOA-2025-002 (synthetic)' },
    disburse: [{ percent: 100, paidOn: '2025-08-28' }],
  },
  {
    cycle: '2025-09',
    title: 'Air defence and aircraft munitions (synthetic contents)',
    fundingNote:
      'Funding: public record — Germany funded the third PURL package ($500 million, announced ' +
      '2025-08-13). The re-price at authorisation (+$3.15 million, filled from the rest of ' +
      'Germany’s contribution) is SYNTHETIC, to show a re-price.',
    draw: ['b1', 'b4', 'b6', 'b8'],
    target: { usd: 496_000_000 },
    funders: [{ contribution: 'DEU-1' }],
    allocatedOn: '2025-08-20',
    authorize: {
      on: '2025-09-05',
      reference: 'DEMO-LOA-2025-003 (synthetic)',
      reprice: { upUsd: 3_150_000, on: '2025-09-03', refillOn: '2025-09-04' },
    },
    disburse: [{ percent: 60, paidOn: '2025-09-19' }],
  },
  {
    cycle: '2025-09',
    title: 'Artillery, armour sustainment and drones (synthetic contents)',
    fundingNote:
      'Funding: public record — Canada funded the fourth PURL package (US$500 million, ' +
      'announced 2025-08-24).',
    draw: ['b2', 'b3', 'b5', 'b7', 'b8'],
    target: { usd: 500_000_000 },
    funders: [{ contribution: 'CAN-1' }],
    allocatedOn: '2025-08-27',
    authorize: { on: '2025-09-10', reference: 'DEMO-LOA-2025-004 (synthetic)' },
    disburse: [{ percent: 40, paidOn: '2025-09-24' }],
  },
  {
    cycle: '2025-10',
    title: 'Air defence and counter-drone, co-funded (synthetic contents)',
    fundingNote:
      'Funding: public-record contributions of Belgium, Latvia, Lithuania and Spain, with what ' +
      'remained of the Netherlands’, Denmark’s and Norway’s first contributions. Which ' +
      'contribution funds which package is a demo ASSUMPTION; part of Spain’s stays unallocated.',
    draw: ['c1', 'c2', 'c4', 'c5', 'c6'],
    target: { funding: true, holdBackUsd: 12_000_000 },
    funders: [
      { contribution: 'NLD-1' },
      { contribution: 'DNK-1' },
      { contribution: 'NOR-1' },
      { contribution: 'BEL-1' },
      { contribution: 'LVA-1' },
      { contribution: 'LTU-1' },
      { contribution: 'ESP-1' },
    ],
    allocatedOn: '2025-10-27',
    authorize: { on: '2025-11-12', reference: 'DEMO-LOA-2025-005 (synthetic)' },
  },
  {
    cycle: '2025-11',
    title: 'Nordic-Baltic package (synthetic contents)',
    fundingNote:
      'Funding: public record — the eight Nordic-Baltic states jointly announced $500 million ' +
      'on 2025-11-13 (the equal split between them is a demo assumption). Funded, awaiting the ' +
      'supplier’s authorisation (SYNTHETIC status).',
    draw: ['d1', 'd2', 'd4', 'd5', 'd6'],
    target: { usd: 500_000_000 },
    funders: NB8.map((donor) => ({ contribution: `${donor}-NB8` })),
    allocatedOn: '2025-11-17',
  },
  {
    cycle: '2025-12',
    title: 'Air defence and rockets, partly funded (synthetic contents)',
    fundingNote:
      'Funding: Poland’s public-record $100 million is allocated here (a demo assumption); the ' +
      'rest of the package is an open funding gap (SYNTHETIC).',
    draw: ['e1', 'e2', 'e3', 'e5', 'e6'],
    target: { usd: 500_000_000 },
    funders: [{ contribution: 'POL-1' }],
    allocatedOn: '2025-12-01',
  },
  {
    cycle: '2026-01',
    title: 'Air defence and artillery, open for funding (synthetic contents)',
    fundingNote:
      'Funding: none yet — open for contributions (SYNTHETIC). Australia’s and New Zealand’s ' +
      'pledges are not committed, so they cannot fund it: a pledge is not funding.',
    draw: ['f1', 'f2', 'f4', 'f5'],
    target: { usd: 500_000_000 },
    funders: [],
  },
];

// ---------------------------------------------------------------------------------------------
// Meetings

export interface DemoAnnouncement {
  party: string;
  text: string;
  amount?: { major: number; currency: string };
  /** Contributions (by key) this announcement became. */
  becomes?: string[];
  synthetic: boolean;
  sourceNote: string;
}

export interface DemoMeeting {
  number: number;
  kind: 'udcg' | 'ministerial';
  heldOn: string;
  place: string;
  chairs: string[];
  participants: string[];
  title: string;
  summary: string;
  synthetic: boolean;
  sourceNote: string;
  announcements: DemoAnnouncement[];
}

const PARTICIPANTS_NOTE =
  'Participants: a partial list chosen for the demo (some fifty nations take part).';

export const DEMO_MEETINGS: readonly DemoMeeting[] = [
  {
    number: 26,
    kind: 'udcg',
    heldOn: '2025-02-12',
    place: 'NATO Headquarters, Brussels',
    chairs: ['GBR'],
    participants: ['UKR', 'USA', 'DEU', 'FRA', 'POL', 'NLD', 'NATO-HQ'],
    title: '26th meeting of the Ukraine Defense Contact Group',
    summary:
      'Public record: the first UDCG meeting convened by the United Kingdom (Defence Secretary ' +
      'John Healey) rather than the United States, at NATO Headquarters ahead of the NATO ' +
      'defence ministers’ meeting; the new US Secretary of Defense, Pete Hegseth, took part. ' +
      'PURL did not exist yet (it was set up in July 2025): no PURL announcement is recorded.',
    synthetic: false,
    sourceNote: tagged(
      'Public record: UK Mission to NATO notice of 2025-02-06; press reports of 2025-02-12 ' +
        '(Kyiv Independent, European Pravda). ' +
        PARTICIPANTS_NOTE,
    ),
    announcements: [],
  },
  {
    number: 27,
    kind: 'udcg',
    heldOn: '2025-04-11',
    place: 'NATO Headquarters, Brussels',
    chairs: ['GBR', 'DEU'],
    participants: ['UKR', 'USA', 'FRA', 'POL', 'NLD', 'NOR', 'NATO-HQ'],
    title: '27th meeting of the Ukraine Defense Contact Group',
    summary:
      'Public record: the first UDCG meeting co-chaired by the United Kingdom and Germany ' +
      '(John Healey and Boris Pistorius), at NATO Headquarters. Before PURL: no PURL ' +
      'announcement is recorded.',
    synthetic: false,
    sourceNote: tagged('Public record: date, place and chairs. ' + PARTICIPANTS_NOTE),
    announcements: [],
  },
  {
    number: 31,
    kind: 'udcg',
    heldOn: '2025-10-15',
    place: 'NATO Headquarters, Brussels',
    chairs: ['GBR', 'DEU'],
    participants: ['UKR', 'USA', 'NATO-HQ', 'NLD', 'DNK', 'NOR', 'SWE', 'FIN', 'LTU', 'CAN'],
    title: '31st meeting of the Ukraine Defense Contact Group',
    summary:
      'Public record (a French press report of the meeting): NATO Secretary General Mark Rutte ' +
      'reaffirmed the Alliance’s lasting commitment to Ukraine and called the UDCG a central ' +
      'pillar of collective support; he thanked John Healey, Boris Pistorius and Pete Hegseth ' +
      'for their leadership and said NATO would assist comprehensively, “from organising ' +
      'meetings like this one to providing the best data and analysis available”, NATO staff ' +
      'supporting the UDCG with the United Kingdom, Germany and Ukraine. He described PURL as ' +
      'the system that delivers US weapons, lethal and non-lethal, to Ukraine, funded by NATO ' +
      'allies, said “already 2 billion” was committed, and hoped new contributions would be ' +
      'announced after the defence ministers’ meeting.',
    synthetic: false,
    sourceNote: tagged(
      'Public record: a French press report of the meeting (seed text of this project) and ' +
        'NATO statements of 2025-10-15. ' +
        PARTICIPANTS_NOTE,
    ),
    announcements: [
      {
        party: 'NATO-HQ',
        text:
          'Secretary General Mark Rutte: PURL has “already 2 billion” committed; he ' +
          'hoped that new contributions would be announced after the defence ministers’ meeting.',
        synthetic: false,
        sourceNote: tagged(
          'Public record: Mark Rutte at the UDCG of 2025-10-15. A status figure, not a pledge: ' +
            'no amount is recorded on the announcement.',
        ),
      },
      {
        party: 'LTU',
        text: 'Lithuania will contribute $30 million to PURL, and can transfer it today if needed.',
        amount: { major: 30_000_000, currency: 'USD' },
        becomes: ['LTU-1'],
        synthetic: false,
        sourceNote: tagged(
          'Public record: Lithuania’s Defence Minister Dovilė Šakalienė in Brussels on ' +
            '2025-10-15 (reported by European Pravda).',
        ),
      },
      {
        party: 'FIN',
        text: 'Finland announced that it joins PURL (amount not stated).',
        becomes: ['FIN-NB8'],
        synthetic: false,
        sourceNote: tagged(
          'Public record: Finland’s decision to join PURL was reported on 2025-10-15 (European ' +
            'Pravda). Placing it at this meeting, and linking it to Finland’s share of the ' +
            'Nordic-Baltic package of 2025-11-13, are demo ASSUMPTIONS.',
        ),
      },
    ],
  },
  {
    number: 1001,
    kind: 'ministerial',
    heldOn: '2025-12-03',
    place: 'NATO Headquarters, Brussels',
    chairs: ['NATO-HQ'],
    participants: ['UKR', 'USA', 'AUS', 'NZL', 'DEU', 'GBR', 'FRA', 'POL'],
    title: 'NATO foreign ministers’ meeting and NATO-Ukraine Council',
    summary:
      'Public record: Australia and New Zealand joined PURL as its first non-NATO partners; ' +
      'PURL funding stood at over $4 billion, against a target of $5 billion by the end of 2025 ' +
      'and about $1 billion a month afterwards.',
    synthetic: false,
    sourceNote: tagged(
      'Public record: NATO Secretary General, 2025-12-03. Meeting number 1001: the demo numbers ' +
        'meetings other than the UDCG from 1000 (an assumption). ' +
        PARTICIPANTS_NOTE,
    ),
    announcements: [
      {
        party: 'NATO-HQ',
        text:
          'Secretary General Mark Rutte: PURL funding stands at over $4 billion, against a ' +
          'target of $5 billion by the end of 2025 and about $1 billion a month afterwards.',
        synthetic: false,
        sourceNote: tagged(
          'Public record: PURL funding of over $4 billion by 2025-12-03 and the targets, as ' +
            'publicly stated by NATO. A status figure, not a pledge: no amount is recorded.',
        ),
      },
      {
        party: 'AUS',
        text: 'Australia joins PURL, the first non-NATO partner to do so (amount not public).',
        becomes: ['AUS-1'],
        synthetic: false,
        sourceNote: tagged(
          'Public record: that Australia joined on 2025-12-03. The linked pledge’s amount is ' +
            'SYNTHETIC.',
        ),
      },
      {
        party: 'NZL',
        text: 'New Zealand joins PURL, with Australia the first non-NATO partners (amount not public).',
        becomes: ['NZL-1'],
        synthetic: false,
        sourceNote: tagged(
          'Public record: that New Zealand joined on 2025-12-03. The linked pledge’s amount is ' +
            'SYNTHETIC.',
        ),
      },
    ],
  },
  {
    number: 33,
    kind: 'udcg',
    heldOn: '2026-02-12',
    place: 'NATO Headquarters, Brussels',
    chairs: ['GBR', 'DEU'],
    participants: ['UKR', 'USA', 'NATO-HQ', 'NLD', 'CAN', 'SWE', 'POL', 'ESP'],
    title: 'Ukraine Defense Contact Group, February 2026 (synthetic content)',
    summary:
      'SYNTHETIC: the date and place are public; the number (33), the participants, this ' +
      'summary and the announcements are invented for the demo, to show the follow-up of ' +
      'announcements that have not (yet) become contributions.',
    synthetic: true,
    sourceNote: tagged(
      'Public record: date and place. SYNTHETIC: everything else, including the meeting number ' +
        '33 (an assumption; the 31st UDCG met on 2025-10-15).',
    ),
    announcements: [
      {
        party: 'NLD',
        text: '(Synthetic) The Netherlands intends to fund a further PURL package in 2026.',
        synthetic: true,
        sourceNote: tagged('SYNTHETIC announcement, invented for the demo; no amount.'),
      },
      {
        party: 'CAN',
        text: '(Synthetic) Canada will pay the rest of its PURL contribution this quarter.',
        becomes: ['CAN-1'],
        synthetic: true,
        sourceNote: tagged('SYNTHETIC announcement, invented for the demo.'),
      },
      {
        party: 'ESP',
        text: '(Synthetic) Spain: a second PURL contribution of €50 million.',
        amount: { major: 50_000_000, currency: 'EUR' },
        synthetic: true,
        sourceNote: tagged(
          'SYNTHETIC announcement, invented for the demo; not yet a contribution (not linked).',
        ),
      },
    ],
  },
];
