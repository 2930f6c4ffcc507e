/**
 * The scale data set: ten years of synthetic PURL history (requirement lists, packages with
 * lines, contributions with their payments, allocations through FX, authorisations,
 * disbursements, shipments, receipts and discrepancies) for performance work — at scale 1 about
 * 50,000 contributions, 5,000 packages and a million ledger transfers. Pure and deterministic:
 * the same seed, scale, donors, rates and starting ids give the same rows.
 *
 * Every ledger movement goes through the ledger's own planner (`planTransfers`), so each
 * balance rule holds exactly as it does for the services; allocations are priced with
 * `convertAmount` at the ECB rates of their value day, as `allocateToPackage` prices them. The
 * rows keep the shapes and idempotency keys the services write, and every record is marked
 * synthetic. The storage writes them in bulk (`storage/scale-repository.ts`).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Actor } from './actor.js';
import { auditContent, auditHash, type AuditEventContent } from './audit.js';
import { toJsonValue } from './canonical-json.js';
import {
  TRANSFER_CODES,
  contributionAccountSpecs,
  donorFundingAccountSpecs,
  type FundingAccountSpec,
} from './contributions.js';
import { FX_ACCOUNT_CODE, addDays, convertAmount, daysBetween, fxAccount } from './fx.js';
import {
  planTransfers,
  type Account,
  type AccountFlags,
  type PlannedTransfer,
  type ReferencedTransfer,
  type Transfer,
  type TransferInput,
} from './ledger.js';
import {
  PACKAGE_ACCOUNT_CODES,
  PACKAGE_TRANSFER_CODES,
  SUPPLIER_PARTY,
  earmarkVerdict,
  packageFundingAccount,
  supplierAccount,
} from './packages.js';
import { splitByWeights } from './split.js';

/** The largest scale `purl demo load --scale` accepts (10 × the figures above). */
export const SCALE_MAX = 10;
/** The smallest: a few dozen packages, enough for tests. */
export const SCALE_MIN = 0.001;
export const SCALE_NOTE =
  'SYNTHETIC scale-test data (purl demo load --scale): generated from a seed for performance work; not a public record.';

export interface ScaleRates {
  /** The days with ECB rates, ascending, covering the window and some months after it. */
  days: readonly string[];
  /** Units of `currency` per 1 EUR published on `day` ("1" for EUR), with its source. */
  perEur(currency: string, day: string): { rate: string; source: string } | undefined;
}

export interface ScaleDonor {
  id: string;
  /** The currency its contributions are in (one the ECB publishes every day of the window). */
  currency: string;
}

/** Next ids of each table (the database's identity values continue after them). */
export interface ScaleStart {
  account: bigint;
  transfer: bigint;
  batch: bigint;
  conversion: bigint;
  contribution: bigint;
  payment: bigint;
  package: bigint;
  packageNumber: number;
  line: bigint;
  allocation: bigint;
  list: bigint;
  item: bigint;
  shipment: bigint;
  receipt: bigint;
  discrepancy: bigint;
  auditId: bigint;
  auditHash: string;
}

export interface ScaleInput {
  scale: number;
  seed: number;
  /** The months, ascending (`YYYY-MM`), one requirement list each. */
  cycles: readonly string[];
  donors: readonly ScaleDonor[];
  areas: readonly string[];
  minorUnits: ReadonlyMap<string, number>;
  rates: ScaleRates;
  start: ScaleStart;
  /** Shared accounts that exist already (fund cash, FX, supplier, donor commitments), by reference. */
  existingAccounts: ReadonlyMap<string, Account>;
  actor: Actor;
  /** When the rows are written (audit time and the rows' `created_at` for the log). */
  now: Date;
  onProgress?: (cyclesDone: number) => void;
}

export interface ScaleList {
  id: bigint;
  cycle: string;
  title: string;
  createdAt: string;
  submittedAt: string;
  validatedAt: string;
  approvedAt: string;
  closedAt: string;
}
export interface ScaleItem {
  id: bigint;
  listId: bigint;
  capabilityArea: string;
  category: string;
  lethal: boolean;
  requestedQuantity: number;
  approvedQuantity: number;
  unit: string;
  estimatedUnitCostMinor: bigint;
  priorityRank: number;
}
export interface ScalePackage {
  id: bigint;
  number: string;
  cycle: string;
  title: string;
  targetMinor: bigint;
  priceMinor: bigint;
  fundedMinor: bigint;
  disbursedMinor: bigint;
  status: 'open' | 'funded' | 'authorized' | 'in_delivery' | 'delivered' | 'closed';
  authorizationReference: string | null;
  authorizedOn: string | null;
  version: number;
  createdAt: string;
  openedAt: string;
  fundedAt: string | null;
  authorizedAt: string | null;
  closedAt: string | null;
}
export interface ScaleLine {
  id: bigint;
  packageId: bigint;
  itemId: bigint;
  capabilityArea: string;
  category: string;
  lethal: boolean;
  quantity: number;
  unit: string;
  unitPriceMinor: bigint;
  createdAt: string;
}
export interface ScaleContribution {
  id: bigint;
  donorPartyId: string;
  currency: string;
  status: 'pledged' | 'committed' | 'partially_paid' | 'paid';
  pledgedMinor: bigint;
  committedMinor: bigint;
  paidMinor: bigint;
  announcedOn: string;
  committedOn: string | null;
  earmarkAreas: string[];
  earmarkPackageId: bigint | null;
  title: string;
  version: number;
  createdAt: string;
}
export interface ScalePayment {
  id: bigint;
  contributionId: bigint;
  amountMinor: bigint;
  paidOn: string;
  transferId: bigint;
  reference: string;
}
export interface ScaleAllocation {
  id: bigint;
  packageId: bigint;
  contributionId: bigint;
  status: 'pending' | 'posted';
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
  createdAt: string;
  resolvedAt: string | null;
}
export interface ScaleConversion {
  id: bigint;
  fromTransferId: bigint;
  toTransferId: bigint;
  fromRatePerEur: string;
  toRatePerEur: string;
  rate: string;
  rateDate: string;
  rateSource: string;
}
export interface ScaleTransfer extends PlannedTransfer {
  id: bigint;
  batchId: bigint | null;
  createdAt: string;
}
export interface ScaleShipment {
  id: bigint;
  packageId: bigint;
  reference: string;
  status: 'dispatched' | 'arrived_hub' | 'handed_over' | 'received';
  plannedOn: string;
  dispatchedOn: string;
  arrivedHubOn: string | null;
  handedOverOn: string | null;
  receivedOn: string | null;
  version: number;
}
export interface ScaleShipmentLine {
  shipmentId: bigint;
  lineId: bigint;
  quantity: number;
}
export interface ScaleReceipt {
  id: bigint;
  shipmentId: bigint;
  lineId: bigint;
  receivedQuantity: number;
  receivedOn: string;
}
export interface ScaleDiscrepancy {
  id: bigint;
  receiptId: bigint;
  lineId: bigint;
  quantity: number;
  resolvedAt: string | null;
}
export interface ScaleAuditEvent {
  id: bigint;
  content: AuditEventContent;
  prevHash: string;
  hash: string;
}

export interface ScaleDataset {
  lists: ScaleList[];
  items: ScaleItem[];
  packages: ScalePackage[];
  lines: ScaleLine[];
  contributions: ScaleContribution[];
  payments: ScalePayment[];
  allocations: ScaleAllocation[];
  conversions: ScaleConversion[];
  transfers: ScaleTransfer[];
  /** Accounts the load opens, with their final balances. */
  newAccounts: Account[];
  /** Accounts that existed before, with their final balances. */
  changedAccounts: Account[];
  shipments: ScaleShipment[];
  shipmentLines: ScaleShipmentLine[];
  receipts: ScaleReceipt[];
  discrepancies: ScaleDiscrepancy[];
  audit: ScaleAuditEvent[];
  /** The last batch id drawn (the batch sequence continues after it). */
  lastBatchId: bigint;
}

/** Counts at scale 1; each is multiplied by the scale. */
export const SCALE_BASE = {
  packages: 5_000,
  /** Funders per package, at least and at most (each an allocation). */
  fundersMin: 20,
  fundersMax: 52,
  /** New contributions are sized to fund this many allocations, on average. */
  allocationsPerContribution: 2.75,
} as const;

/** How many of a donor's contributions the generator draws on at a time. */
const OPEN_PER_DONOR_MAX = 6;

const CATEGORIES: Record<string, readonly string[]> = {
  air_force: ['Aircraft spare parts', 'Air-to-air munitions', 'Ground support equipment'],
  air_missile_defence: ['Interceptor missiles', 'Radar components', 'Launcher spare parts'],
  artillery: ['155 mm ammunition', 'Artillery barrels', 'Fire-control equipment'],
  armour: ['Armoured vehicle spare parts', 'Tracks and engines', 'Recovery vehicles'],
  maritime: ['Patrol boat equipment', 'Maritime surveillance', 'Naval spare parts'],
  it: ['Secure communications', 'Network equipment', 'Cyber defence software'],
  demining: ['Demining equipment', 'Protective equipment', 'Detection systems'],
  drones: ['Reconnaissance drones', 'Counter-drone systems', 'Drone components'],
  sustainment: ['Medical supplies', 'Fuel and lubricants', 'Winter equipment'],
  other: ['Training equipment', 'Engineering equipment', 'Generators'],
};

const noon = (day: string) => `${day}T12:00:00.000Z`;

/** Builds the whole data set. Memory: about 0.5 KB per ledger transfer. */
export function planScale(input: ScaleInput): ScaleDataset {
  const rng = xoroshiro128plus(input.seed);
  const int = (from: number, to: number) => uniformInt(rng, from, to);
  const chance = (percent: number) => uniformInt(rng, 1, 1000) <= percent * 10;
  const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)]!;
  const ids = { ...input.start };
  const next = (key: Exclude<keyof ScaleStart, 'auditHash' | 'packageNumber'>): bigint => {
    const id = ids[key] as bigint;
    (ids[key] as bigint) = id + 1n;
    return id;
  };
  const days = input.rates.days;
  const lastDay = days[days.length - 1]!;
  const lastCycle = input.cycles[input.cycles.length - 1]!;
  /** The end of the window: what happened later is not written. */
  const now = addDays(monthAfter(lastCycle), -1);
  /** The first ECB day on or after `day`. */
  const ecbDay = (day: string): string => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return days[Math.min(lo, days.length - 1)]!;
  };
  const donorWeights = donorWeightsOf(input.donors, rng);
  const weightTotal = donorWeights.reduce((a, b) => a + b, 0);
  const pickDonor = (): ScaleDonor => {
    let r = uniformInt(rng, 0, weightTotal - 1);
    for (let i = 0; i < donorWeights.length; i++) {
      r -= donorWeights[i]!;
      if (r < 0) return input.donors[i]!;
    }
    return input.donors[input.donors.length - 1]!;
  };
  const unitOf = (currency: string) => input.minorUnits.get(currency) ?? 2;

  const out: ScaleDataset = {
    lists: [],
    items: [],
    packages: [],
    lines: [],
    contributions: [],
    payments: [],
    allocations: [],
    conversions: [],
    transfers: [],
    newAccounts: [],
    changedAccounts: [],
    shipments: [],
    shipmentLines: [],
    receipts: [],
    discrepancies: [],
    audit: [],
    lastBatchId: ids.batch - 1n,
  };

  // ---- The ledger: every movement planned by the ledger's own rules ----
  const accounts = new Map<bigint, Account>();
  const byReference = new Map<string, Account>();
  const opened = new Set<bigint>();
  for (const account of input.existingAccounts.values()) {
    accounts.set(account.id, account);
    byReference.set(account.reference, account);
  }
  const noFlags: AccountFlags = {
    debitsMustNotExceedCredits: false,
    creditsMustNotExceedDebits: false,
  };
  const account = (reference: string, ledger: string, code: number, flags = noFlags): bigint => {
    const existing = byReference.get(reference);
    if (existing) return existing.id;
    const created: Account = {
      id: next('account'),
      ledger,
      code,
      reference,
      ...flags,
      debitsPendingMinor: 0n,
      debitsPostedMinor: 0n,
      creditsPendingMinor: 0n,
      creditsPostedMinor: 0n,
    };
    accounts.set(created.id, created);
    byReference.set(reference, created);
    opened.add(created.id);
    return created.id;
  };
  const pending = new Map<bigint, Transfer>();
  const move = (inputs: TransferInput[], day: string): ScaleTransfer[] => {
    // Only the accounts the batch touches: the planner copies the map it is given.
    const referenced = new Map<bigint, ReferencedTransfer>();
    const touched = new Map<bigint, Account>();
    const touch = (id: bigint) => touched.set(id, accounts.get(id)!);
    for (const t of inputs) {
      if (t.kind === 'post_pending') {
        const transfer = pending.get(t.pendingId)!;
        referenced.set(t.pendingId, { transfer, resolved: false, reversed: false });
        touch(transfer.debitAccountId);
        touch(transfer.creditAccountId);
      } else if (t.kind === 'posted' || t.kind === 'pending') {
        touch(t.debitAccountId);
        touch(t.creditAccountId);
      }
    }
    const plan = planTransfers(inputs, touched, referenced);
    for (const [id, a] of plan.accounts) accounts.set(id, a);
    const batchId = plan.transfers.length > 1 ? next('batch') : null;
    return plan.transfers.map((t) => {
      const row: ScaleTransfer = { ...t, id: next('transfer'), batchId, createdAt: noon(day) };
      out.transfers.push(row);
      if (t.kind === 'pending') {
        pending.set(row.id, { ...t, id: row.id, batchId, createdAt: new Date(row.createdAt) });
      } else if (t.pendingId !== null) {
        pending.delete(t.pendingId);
      }
      return row;
    });
  };

  // ---- The audit chain: one event per record created and per disbursement ----
  const at = input.now.toISOString();
  let prevHash = ids.auditHash;
  const audit = (
    entity: string,
    entityId: bigint,
    action: string,
    before: unknown,
    after: unknown,
  ) => {
    const content = auditContent(
      input.actor,
      {
        entity,
        entityId: String(entityId),
        action,
        before: toJsonValue(before),
        after: toJsonValue(after),
      },
      new Date(at),
    );
    const hash = auditHash(prevHash, content);
    out.audit.push({ id: next('auditId'), content, prevHash, hash });
    prevHash = hash;
  };

  // ---- Contributions: each donor's open ones, drawn on until spent ----
  interface Open {
    row: ScaleContribution;
    availableId: bigint;
    available: bigint;
  }
  const openByDonor = new Map<string, Open[]>();
  const newContribution = (
    donor: ScaleDonor,
    amountMinor: bigint,
    day: string,
    earmark: { areas: string[]; packageId: bigint | null },
  ): Open => {
    const id = next('contribution');
    const committedOn = ecbDay(addDays(day, -int(0, 12)));
    const announcedOn = addDays(committedOn, -int(5, 60));
    const round = 10n ** BigInt(unitOf(donor.currency) + 3);
    const factor = BigInt(
      int(100, Math.round(SCALE_BASE.allocationsPerContribution * 2 * 100 - 100)),
    );
    const committed =
      earmark.packageId !== null
        ? amountMinor
        : ((amountMinor * factor) / 100n / round + 1n) * round;
    const specs = contributionAccountSpecs(id, donor.currency);
    const shared = donorFundingAccountSpecs(donor.id, donor.currency);
    const openAccount = (spec: FundingAccountSpec) =>
      account(spec.reference, spec.ledger, spec.code, {
        debitsMustNotExceedCredits: spec.debitsMustNotExceedCredits,
        creditsMustNotExceedDebits: spec.creditsMustNotExceedDebits,
      });
    const receivable = openAccount(specs.receivable);
    const available = openAccount(specs.available);
    openAccount(shared.donorCommitments);
    const cash = openAccount(shared.fundCash);
    move(
      [
        {
          kind: 'posted',
          idempotencyKey: `contribution:${id}:commit`,
          debitAccountId: receivable,
          creditAccountId: available,
          amountMinor: committed,
          code: TRANSFER_CODES.commitment,
        },
      ],
      committedOn,
    );
    // Payments: in full after a year, part of it before; in one to eight tranches.
    const age = daysBetween(committedOn, now);
    const paid = age > 365 ? committed : age < 20 ? 0n : (committed * BigInt(int(0, 100))) / 100n;
    let payments = 0;
    if (paid > 0n) {
      const tranches = int(1, 8);
      const parts = splitByWeights(
        paid,
        Array.from({ length: tranches }, () => BigInt(int(1, 10))),
      );
      let paidOn = committedOn;
      const span = Math.max(1, Math.min(age, 330));
      for (const part of parts) {
        if (part === 0n) continue;
        paidOn = minDay(addDays(paidOn, int(1, Math.max(1, Math.floor(span / tranches)))), now);
        const [transfer] = move(
          [
            {
              kind: 'posted',
              idempotencyKey: `contribution:${id}:payment:${payments + 3}`,
              debitAccountId: cash,
              creditAccountId: receivable,
              amountMinor: part,
              code: TRANSFER_CODES.payment,
            },
          ],
          paidOn,
        );
        out.payments.push({
          id: next('payment'),
          contributionId: id,
          amountMinor: part,
          paidOn,
          transferId: transfer!.id,
          reference: `SYNTHETIC-SCALE-${id}-${payments + 1}`,
        });
        payments++;
      }
    }
    const row: ScaleContribution = {
      id,
      donorPartyId: donor.id,
      currency: donor.currency,
      status: paid === 0n ? 'committed' : paid === committed ? 'paid' : 'partially_paid',
      pledgedMinor: committed,
      committedMinor: committed,
      paidMinor: paid,
      announcedOn,
      committedOn,
      earmarkAreas: earmark.areas,
      earmarkPackageId: earmark.packageId,
      title: `Synthetic scale contribution ${id}`,
      version: 2 + payments,
      createdAt: noon(announcedOn),
    };
    out.contributions.push(row);
    audit('contribution', id, 'pledge', null, {
      id,
      donorPartyId: donor.id,
      currency: donor.currency,
      pledgedMinor: committed,
      committedMinor: committed,
      earmarkAreas: earmark.areas,
      earmarkPackageId: earmark.packageId,
      synthetic: true,
    });
    const open: Open = { row, availableId: available, available: committed };
    if (earmark.packageId === null) {
      const list = openByDonor.get(donor.id) ?? [];
      list.push(open);
      // A donor draws on its few latest contributions; older remainders stay unallocated.
      if (list.length > OPEN_PER_DONOR_MAX) list.shift();
      openByDonor.set(donor.id, list);
    }
    return open;
  };
  /** A contribution of the donor that can pay `amount` on `day` for a package with these areas. */
  const findOpen = (
    donor: ScaleDonor,
    amount: bigint,
    day: string,
    packageId: bigint,
    areas: ReadonlySet<string>,
  ) => {
    const list = openByDonor.get(donor.id);
    if (!list) return undefined;
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!;
      if (o.available < amount || o.row.committedOn! > day) continue;
      if (!earmarkAllows(o.row, packageId, areas)) continue;
      return o;
    }
    return undefined;
  };
  const spend = (donor: ScaleDonor, open: Open, amount: bigint) => {
    open.available -= amount;
    // Drop contributions with less than a hundredth left: they wait for a small request.
    const list = openByDonor.get(donor.id);
    const index = list?.indexOf(open) ?? -1;
    if (index >= 0 && open.available * 100n < open.row.committedMinor) list!.splice(index, 1);
  };

  // ---- Ten years, one cycle a month ----
  const packagesTotal = Math.max(1, Math.round(SCALE_BASE.packages * input.scale));
  const usdSource = input.rates.perEur('USD', days[0]!)?.source ?? 'ECB';
  const supplier = () =>
    account(supplierAccount(SUPPLIER_PARTY, 'USD'), 'USD', PACKAGE_ACCOUNT_CODES.supplierPaid);
  let packageIndex = 0;
  input.cycles.forEach((cycle, cycleIndex) => {
    const first = `${cycle}-01`;
    const listId = next('list');
    const listCreated = addDays(first, -int(10, 25));
    out.lists.push({
      id: listId,
      cycle,
      title: `Requirements ${cycle} (synthetic scale data)`,
      createdAt: noon(listCreated),
      submittedAt: noon(addDays(listCreated, 2)),
      validatedAt: noon(addDays(listCreated, 5)),
      approvedAt: noon(addDays(listCreated, 8)),
      closedAt: noon(addDays(first, 120)),
    });
    audit('requirement_list', listId, 'create', null, { id: listId, cycle, synthetic: true });
    let rank = 0;
    const addItem = (area: string, quantity: number, unitCost: bigint) => {
      const id = next('item');
      const category = pick(CATEGORIES[area] ?? ['Equipment']);
      out.items.push({
        id,
        listId,
        capabilityArea: area,
        category,
        lethal: !['sustainment', 'demining', 'it', 'other'].includes(area),
        requestedQuantity: quantity + int(0, 3) * quantity,
        approvedQuantity: quantity,
        unit: 'each',
        estimatedUnitCostMinor: unitCost,
        priorityRank: ++rank,
      });
      return out.items[out.items.length - 1]!;
    };
    const until = Math.round((packagesTotal * (cycleIndex + 1)) / input.cycles.length);
    for (; packageIndex < until; packageIndex++) {
      const packageId = next('package');
      const number = `PURL-${ids.packageNumber++}`;
      const created = addDays(first, int(1, 10));
      const openedOn = addDays(created, int(1, 5));
      // Lines, each from a new approved item of the cycle's list.
      const lineCount = int(2, 6);
      const areas = new Set<string>();
      let price = 0n;
      const lines: ScaleLine[] = [];
      for (let l = 0; l < lineCount; l++) {
        const area = pick(input.areas);
        areas.add(area);
        const quantity = int(1, 200);
        const unitPrice = BigInt(int(500, 50_000)) * 1_000n; // $5,000 to $500,000
        const item = addItem(area, quantity, unitPrice);
        const line: ScaleLine = {
          id: next('line'),
          packageId,
          itemId: item.id,
          capabilityArea: area,
          category: item.category,
          lethal: item.lethal,
          quantity,
          unit: 'each',
          unitPriceMinor: unitPrice,
          createdAt: noon(created),
        };
        lines.push(line);
        price += BigInt(quantity) * unitPrice;
      }
      out.lines.push(...lines);
      audit('package', packageId, 'create', null, {
        id: packageId,
        number,
        cycle,
        synthetic: true,
      });

      // Funding: the price split among funders by largest remainder, each part an allocation.
      const funders = int(SCALE_BASE.fundersMin, SCALE_BASE.fundersMax);
      const parts = splitByWeights(
        price,
        Array.from({ length: funders }, () => BigInt(int(1, 20))),
      );
      const fundingAccount = account(
        packageFundingAccount(packageId),
        'USD',
        PACKAGE_ACCOUNT_CODES.packageFunding,
        {
          debitsMustNotExceedCredits: true,
          creditsMustNotExceedDebits: false,
        },
      );
      const fundDays = int(10, 60);
      let funded = 0n;
      let lastAllocation = openedOn;
      const holds: bigint[] = [];
      const allocations: ScaleAllocation[] = [];
      parts.forEach((part, p) => {
        if (part === 0n) return;
        const valueDate = ecbDay(
          addDays(openedOn, Math.floor((fundDays * (p + 1)) / parts.length)),
        );
        if (valueDate > now) return;
        const donor = pickDonor();
        const toUsd = (amount: bigint) => {
          const from = input.rates.perEur(donor.currency, valueDate)!;
          const to = input.rates.perEur('USD', valueDate)!;
          const sources = [
            ...new Set([donor.currency === 'EUR' ? undefined : from.source, to.source]),
          ].filter((s): s is string => s !== undefined);
          return convertAmount({
            amountMinor: amount,
            from: { code: donor.currency, minorUnit: unitOf(donor.currency) },
            to: { code: 'USD', minorUnit: 2 },
            fromRatePerEur: from.rate,
            toRatePerEur: to.rate,
            rateDate: valueDate,
            source: sources.join('; ') || usdSource,
          });
        };
        // The part in the donor's currency, rounded up so that it covers the part.
        let amount = part;
        if (donor.currency !== 'USD') {
          const back = convertAmount({
            amountMinor: part,
            from: { code: 'USD', minorUnit: 2 },
            to: { code: donor.currency, minorUnit: unitOf(donor.currency) },
            fromRatePerEur: input.rates.perEur('USD', valueDate)!.rate,
            toRatePerEur: input.rates.perEur(donor.currency, valueDate)!.rate,
            rateDate: valueDate,
            source: usdSource,
          });
          amount = back.amountMinor + 1n;
        }
        const earmarked = chance(3);
        let open = earmarked ? undefined : findOpen(donor, amount, valueDate, packageId, areas);
        open ??= newContribution(donor, amount, valueDate, {
          areas: !earmarked && chance(10) ? [...areas].sort() : [],
          packageId: earmarked ? packageId : null,
        });
        const priced = toUsd(amount);
        if (priced.amountMinor === 0n) return;
        const key = `package:${packageId}:allocation:${allocations.length + 2 + lineCount}`;
        let holdIds: bigint[];
        if (donor.currency === 'USD') {
          const [hold] = move(
            [
              {
                kind: 'pending',
                idempotencyKey: key,
                debitAccountId: open.availableId,
                creditAccountId: fundingAccount,
                amountMinor: amount,
                code: PACKAGE_TRANSFER_CODES.allocation,
              },
            ],
            valueDate,
          );
          holdIds = [hold!.id];
        } else {
          const fxFrom = account(fxAccount(donor.currency), donor.currency, FX_ACCOUNT_CODE);
          const fxTo = account(fxAccount('USD'), 'USD', FX_ACCOUNT_CODE);
          const memo = `conversion ${donor.currency}→USD at ${priced.rate} (${priced.rateDate})`;
          const legs = move(
            [
              {
                kind: 'pending',
                idempotencyKey: `${key}:from`,
                debitAccountId: open.availableId,
                creditAccountId: fxFrom,
                amountMinor: amount,
                code: PACKAGE_TRANSFER_CODES.allocation,
                memo,
              },
              {
                kind: 'pending',
                idempotencyKey: `${key}:to`,
                debitAccountId: fxTo,
                creditAccountId: fundingAccount,
                amountMinor: priced.amountMinor,
                code: PACKAGE_TRANSFER_CODES.allocation,
                memo,
              },
            ],
            valueDate,
          );
          holdIds = legs.map((t) => t.id);
          out.conversions.push({
            id: next('conversion'),
            fromTransferId: legs[0]!.id,
            toTransferId: legs[1]!.id,
            fromRatePerEur: priced.fromRatePerEur,
            toRatePerEur: priced.toRatePerEur,
            rate: priced.rate,
            rateDate: priced.rateDate,
            rateSource: priced.source,
          });
        }
        spend(donor, open, amount);
        holds.push(...holdIds);
        funded += priced.amountMinor;
        lastAllocation = valueDate;
        allocations.push({
          id: next('allocation'),
          packageId,
          contributionId: open.row.id,
          status: 'pending',
          amountMinor: amount,
          currency: donor.currency,
          packageAmountMinor: priced.amountMinor,
          valueDate,
          rate: priced.rate,
          fromRatePerEur: priced.fromRatePerEur,
          toRatePerEur: priced.toRatePerEur,
          rateDate: priced.rateDate,
          rateSource: priced.source,
          holdTransferIds: holdIds,
          createdAt: noon(valueDate),
          resolvedAt: null,
        });
      });
      out.allocations.push(...allocations);

      const pkg: ScalePackage = {
        id: packageId,
        number,
        cycle,
        title: `Synthetic scale package ${number} (${[...areas].join(', ')})`,
        targetMinor: price,
        priceMinor: price,
        fundedMinor: funded,
        disbursedMinor: 0n,
        status: 'open',
        authorizationReference: null,
        authorizedOn: null,
        version: 2 + lineCount + allocations.length,
        createdAt: noon(created),
        openedAt: noon(openedOn),
        fundedAt: null,
        authorizedAt: null,
        closedAt: null,
      };
      out.packages.push(pkg);
      if (funded < price) continue;
      pkg.status = 'funded';
      pkg.fundedAt = noon(lastAllocation);

      // Authorisation at the funded amount: every hold posted, as one batch.
      const authorizedOn = ecbDay(addDays(lastAllocation, int(3, 20)));
      if (authorizedOn > now) continue;
      pkg.status = 'authorized';
      pkg.priceMinor = funded;
      pkg.authorizedOn = authorizedOn;
      pkg.authorizedAt = noon(authorizedOn);
      pkg.authorizationReference = `LOA-SCALE-${number}`;
      pkg.version++;
      move(
        holds.map((id) => ({
          kind: 'post_pending' as const,
          idempotencyKey: `transfer:${id}:post`,
          pendingId: id,
        })),
        authorizedOn,
      );
      for (const a of allocations) {
        a.status = 'posted';
        a.resolvedAt = noon(authorizedOn);
      }

      // Disbursements to the supplier, in tranches up to the price.
      const tranches = int(2, 8);
      const disbursementParts = splitByWeights(
        funded,
        Array.from({ length: tranches }, () => BigInt(int(1, 5))),
      );
      let paidOn = authorizedOn;
      let disbursed = 0n;
      for (const part of disbursementParts) {
        paidOn = addDays(paidOn, int(10, 60));
        if (paidOn > now || part === 0n) break;
        const [transfer] = move(
          [
            {
              kind: 'posted',
              idempotencyKey: `package:${packageId}:disburse:${pkg.version}`,
              debitAccountId: fundingAccount,
              creditAccountId: supplier(),
              amountMinor: part,
              code: PACKAGE_TRANSFER_CODES.disbursement,
            },
          ],
          paidOn,
        );
        audit(
          'package',
          packageId,
          'disburse',
          { id: packageId, number, disbursedMinor: disbursed },
          {
            id: packageId,
            number,
            disbursedMinor: disbursed + part,
            transferId: transfer!.id,
            paidOn,
          },
        );
        disbursed += part;
        pkg.version++;
      }
      pkg.disbursedMinor = disbursed;

      // Shipments: each line's quantity split over one to three shipments.
      const shipmentCount = int(1, 3);
      let dispatchedOn = addDays(authorizedOn, int(20, 90));
      let lastReceipt: string | null = null;
      let complete = true;
      for (let s = 0; s < shipmentCount; s++) {
        if (dispatchedOn > now) {
          complete = false;
          break;
        }
        const shipmentId = next('shipment');
        const arrivedHubOn = addDays(dispatchedOn, int(5, 15));
        const handedOverOn = addDays(arrivedHubOn, int(2, 7));
        const receivedOn = addDays(handedOverOn, int(0, 5));
        const shipment: ScaleShipment = {
          id: shipmentId,
          packageId,
          reference: `SHP-${number}-${s + 1}`,
          status: 'dispatched',
          plannedOn: addDays(dispatchedOn, -int(0, 10)),
          dispatchedOn,
          arrivedHubOn: null,
          handedOverOn: null,
          receivedOn: null,
          version: 2,
        };
        out.shipments.push(shipment);
        for (const [status, day] of [
          ['arrived_hub', arrivedHubOn],
          ['handed_over', handedOverOn],
          ['received', receivedOn],
        ] as const) {
          if (day > now) break;
          shipment.status = status;
          shipment.version++;
          if (status === 'arrived_hub') shipment.arrivedHubOn = day;
          else if (status === 'handed_over') shipment.handedOverOn = day;
          else shipment.receivedOn = day;
        }
        for (const line of lines) {
          const share = Math.floor(line.quantity / shipmentCount);
          const quantity =
            s === shipmentCount - 1 ? line.quantity - share * (shipmentCount - 1) : share;
          if (quantity <= 0) continue;
          out.shipmentLines.push({ shipmentId, lineId: line.id, quantity });
          if (shipment.receivedOn === null) continue;
          const short = quantity > 1 && chance(4) ? int(1, Math.min(quantity - 1, 5)) : 0;
          const receiptId = next('receipt');
          out.receipts.push({
            id: receiptId,
            shipmentId,
            lineId: line.id,
            receivedQuantity: quantity - short,
            receivedOn: shipment.receivedOn,
          });
          if (short > 0) {
            const resolvedOn = addDays(shipment.receivedOn, int(10, 90));
            const resolved = resolvedOn <= now;
            if (!resolved) complete = false;
            out.discrepancies.push({
              id: next('discrepancy'),
              receiptId,
              lineId: line.id,
              quantity: short,
              resolvedAt: resolved ? noon(resolvedOn) : null,
            });
          }
        }
        if (shipment.receivedOn === null) complete = false;
        else lastReceipt = shipment.receivedOn;
        dispatchedOn = addDays(dispatchedOn, int(15, 60));
      }
      if (out.shipments.at(-1)?.packageId === packageId) pkg.status = 'in_delivery';
      if (!complete || lastReceipt === null) continue;
      pkg.status = 'delivered';
      const closedOn = addDays(maxDay(lastReceipt, paidOn), int(10, 60));
      if (closedOn <= now && disbursed === funded) {
        pkg.status = 'closed';
        pkg.closedAt = noon(closedOn);
        pkg.version++;
      }
    }
    input.onProgress?.(cycleIndex + 1);
  });

  // Pledges not yet committed: one for every twenty contributions, in the last year.
  const pledges = Math.floor(out.contributions.length / 20);
  for (let i = 0; i < pledges; i++) {
    const donor = pickDonor();
    const id = next('contribution');
    const announcedOn = addDays(now, -int(0, 365));
    const amount = BigInt(int(1, 500)) * 10n ** BigInt(unitOf(donor.currency) + 6);
    out.contributions.push({
      id,
      donorPartyId: donor.id,
      currency: donor.currency,
      status: 'pledged',
      pledgedMinor: amount,
      committedMinor: 0n,
      paidMinor: 0n,
      announcedOn,
      committedOn: null,
      earmarkAreas: [],
      earmarkPackageId: null,
      title: `Synthetic scale pledge ${id}`,
      version: 1,
      createdAt: noon(announcedOn),
    });
    audit('contribution', id, 'pledge', null, {
      id,
      donorPartyId: donor.id,
      currency: donor.currency,
      pledgedMinor: amount,
      synthetic: true,
    });
  }
  void lastDay;

  for (const a of accounts.values()) {
    if (opened.has(a.id)) out.newAccounts.push(a);
    else if (a !== input.existingAccounts.get(a.reference)) out.changedAccounts.push(a);
  }
  out.lastBatchId = ids.batch - 1n;
  return out;
}

/** The allocation service's earmark rule, as a yes or no. */
function earmarkAllows(
  c: { earmarkAreas: readonly string[]; earmarkPackageId: bigint | null },
  packageId: bigint,
  areas: ReadonlySet<string>,
): boolean {
  return earmarkVerdict(
    { capabilityAreas: c.earmarkAreas, packageId: c.earmarkPackageId },
    { packageId, lineAreas: [...areas] },
  ).eligible;
}

/** Donor weights: a few large donors and many small ones, as in the real record. */
function donorWeightsOf(donors: readonly ScaleDonor[], rng: RandomGenerator): number[] {
  return donors.map((_, i) => Math.max(1, Math.round(1000 / (i + 1))) + uniformInt(rng, 0, 20));
}

function monthAfter(cycle: string): string {
  const [y, m] = cycle.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

/** The `count` months ending with `last` (`YYYY-MM`), ascending. */
export function cyclesEndingAt(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const cycles: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    cycles.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return cycles;
}
