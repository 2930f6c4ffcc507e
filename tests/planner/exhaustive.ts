/**
 * An exhaustive planner for small instances, written from the rules in the doc comment of
 * src/core/planner.ts and nothing else of its code but `fundCapacity` (what the plan may take
 * of a fund): every assignment of item units to the packages (slots), each checked exactly in
 * bigint — a package holds at most target + tolerance, and the money must pay every package
 * at once, each package only from the funds of its slot that the allocation rule allows for
 * the areas the package actually holds (Hall's condition over every set of packages, which is
 * exact for supply-and-demand with uncapped edges) — the best priority-weighted value kept.
 *
 * Also here: the fund and item builders the planner tests share, and an independent reading of
 * which packages a plan may propose (`expectedSlots`).
 */
import { convertAmount, crossRate, type FxCurrency } from '../../src/core/fx.js';
import {
  fundCapacity,
  type PlanSlot,
  type PlannerFund,
  type PlannerItem,
  type PlannerOptions,
} from '../../src/core/planner.js';

/** Units of USD per EUR on the day of every test rate. */
export const USD_PER_EUR = '1.0832';
export const RATE_DATE = '2026-04-30';
const SOURCE = 'test rates';

/** Currencies the tests use: minor unit and units per EUR. */
export const CURRENCIES: Record<string, { minorUnit: number; perEur: string }> = {
  USD: { minorUnit: 2, perEur: USD_PER_EUR },
  EUR: { minorUnit: 2, perEur: '1' },
  GBP: { minorUnit: 2, perEur: '0.8412' },
  JPY: { minorUnit: 0, perEur: '162.35' },
  KWD: { minorUnit: 3, perEur: '0.33215' },
};

const USD: FxCurrency = { code: 'USD', minorUnit: 2 };

function currencyOf(code: string): { fx: FxCurrency; perEur: string } {
  const c = CURRENCIES[code];
  if (!c) throw new Error(`no test currency ${code}`);
  return { fx: { code, minorUnit: c.minorUnit }, perEur: c.perEur };
}

/** US cents of an amount in a test currency, converted as an allocation is. */
export function toUsd(currency: string, amountMinor: bigint): bigint {
  if (currency === 'USD') return amountMinor;
  const c = currencyOf(currency);
  return convertAmount({
    amountMinor,
    from: c.fx,
    to: USD,
    fromRatePerEur: c.perEur,
    toRatePerEur: USD_PER_EUR,
    rateDate: RATE_DATE,
    source: SOURCE,
  }).amountMinor;
}

export interface FundSpec {
  key: string;
  donor: string;
  currency: string;
  availableMinor: bigint;
  earmarkAreas?: readonly string[];
  earmarkPackageNumber?: string | null;
  fundsPackageAlone?: boolean;
  hypothetical?: boolean;
}

export function makeFund(spec: FundSpec): PlannerFund {
  const c = currencyOf(spec.currency);
  const usd = spec.currency === 'USD';
  return {
    key: spec.key,
    contributionId: spec.hypothetical ? null : BigInt(spec.key.replace(/\D/g, '') || '0'),
    donorPartyId: spec.donor,
    currency: spec.currency,
    availableMinor: spec.availableMinor,
    usdMinor: toUsd(spec.currency, spec.availableMinor),
    rate: {
      from: c.fx,
      to: USD,
      fromRatePerEur: usd ? USD_PER_EUR : c.perEur,
      toRatePerEur: USD_PER_EUR,
      rateDate: RATE_DATE,
      source: SOURCE,
      rate: usd ? '1' : crossRate(c.perEur, USD_PER_EUR),
    },
    earmarkAreas: spec.earmarkAreas ?? [],
    earmarkPackageNumber: spec.earmarkPackageNumber ?? null,
    fundsPackageAlone: spec.fundsPackageAlone ?? false,
    hypothetical: spec.hypothetical ?? false,
  };
}

export interface ItemSpec {
  rank: number;
  area: string;
  remaining: number;
  unitCostMinor: bigint;
  step?: number;
  wholeOnly?: boolean;
}

export function makeItem(spec: ItemSpec, id: number): PlannerItem {
  return {
    id: BigInt(id),
    priorityRank: spec.rank,
    capabilityArea: spec.area,
    category: `cat-${spec.area}`,
    unit: 'each',
    remainingQuantity: spec.remaining,
    unitCostMinor: spec.unitCostMinor,
    listUnitCostMinor: spec.unitCostMinor,
    quantityStep: spec.step ?? 1,
    wholeOnly: spec.wholeOnly ?? false,
  };
}

/** The allocation rule, from the doc: every area of the package is one of the earmark's. */
export function allowsAreas(fund: PlannerFund, areas: Iterable<string>): boolean {
  if (fund.earmarkPackageNumber !== null) return false;
  if (fund.earmarkAreas.length === 0) return true;
  for (const a of areas) if (!fund.earmarkAreas.includes(a)) return false;
  return true;
}

/** Units an item is planned in (a step, or the whole remaining quantity) and how many there are. */
export function unitsOf(item: PlannerItem): { quantity: number; maxUnits: number } {
  const step = Math.max(1, item.quantityStep);
  if (item.wholeOnly || step > item.remainingQuantity) {
    return { quantity: item.remainingQuantity, maxUnits: 1 };
  }
  return { quantity: step, maxUnits: Math.floor(item.remainingQuantity / step) };
}

/** N − rank + 1, N the largest rank (at least 1). */
export function weightOf(item: PlannerItem, items: readonly PlannerItem[]): bigint {
  const n = items.reduce((m, it) => Math.max(m, it.priorityRank), 1);
  return BigInt(n - item.priorityRank + 1);
}

/**
 * Can the packages be paid all at once? Funds have capacities, package s may draw on
 * `eligible[s]` only. Hall's condition: every set of packages needs no more than the funds any
 * of them may use can give.
 */
export function hallFeasible(
  demands: readonly bigint[],
  eligible: readonly (readonly number[])[],
  capacities: readonly bigint[],
): boolean {
  const active = demands.map((d, s) => ({ d, s })).filter(({ d }) => d > 0n);
  const n = active.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    let demand = 0n;
    const reach = new Set<number>();
    for (let j = 0; j < n; j++) {
      if ((mask & (1 << j)) === 0) continue;
      const a = active[j]!;
      demand += a.d;
      for (const f of eligible[a.s]!) reach.add(f);
    }
    let supply = 0n;
    for (const f of reach) supply += capacities[f]!;
    if (demand > supply) return false;
  }
  return true;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The packages a plan may propose, read from the doc: a package per donor funding alone (its
 * own such money; any area if one of them is unearmarked, else the union of their earmarks),
 * the joint package (every other usable fund), a themed package per distinct earmark among
 * those (funds earmarked to all its areas). Order within a kind is not compared by callers.
 */
export function expectedSlots(
  funds: readonly PlannerFund[],
): { kind: string; areas: string[] | null; donor: string | null; funds: number[] }[] {
  const usable = funds
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.earmarkPackageNumber === null && f.usdMinor > 0n);
  const out: { kind: string; areas: string[] | null; donor: string | null; funds: number[] }[] = [];
  const donors = new Set(
    usable.filter(({ f }) => f.fundsPackageAlone).map(({ f }) => f.donorPartyId),
  );
  for (const donor of donors) {
    const own = usable.filter(({ f }) => f.fundsPackageAlone && f.donorPartyId === donor);
    const areas = own.some(({ f }) => f.earmarkAreas.length === 0)
      ? null
      : [...new Set(own.flatMap(({ f }) => f.earmarkAreas))].sort();
    out.push({ kind: 'sole', areas, donor, funds: own.map(({ i }) => i) });
  }
  const shared = usable.filter(({ f }) => !f.fundsPackageAlone);
  out.push({ kind: 'joint', areas: null, donor: null, funds: shared.map(({ i }) => i) });
  const sets: string[][] = [];
  for (const { f } of shared) {
    if (f.earmarkAreas.length === 0) continue;
    const s = [...f.earmarkAreas].sort();
    if (!sets.some((x) => sameSet(x, s))) sets.push(s);
  }
  for (const s of sets) {
    out.push({
      kind: 'earmarked',
      areas: s,
      donor: null,
      funds: shared
        .filter(({ f }) => f.earmarkAreas.length > 0 && s.every((a) => f.earmarkAreas.includes(a)))
        .map(({ i }) => i),
    });
  }
  return out;
}

export interface ExhaustiveResult {
  /** The best Σ (N − rank + 1) × value planned. */
  score: bigint;
  /** Units of each item in each slot in one best plan. */
  units: number[][];
  /** Plans (complete assignments) looked at. */
  leaves: number;
}

/** The best plan over every assignment of item units to `slots`. */
export function exhaustiveOptimum(
  items: readonly PlannerItem[],
  funds: readonly PlannerFund[],
  options: PlannerOptions,
  slots: readonly PlanSlot[],
): ExhaustiveResult {
  const upper = options.targetMinor + options.toleranceMinor;
  const capacities = funds.map((f) => fundCapacity(f, slots.length));
  // Heaviest items first: the bound below then cuts early.
  const order = items
    .map((_, i) => i)
    .sort((a, b) => items[a]!.priorityRank - items[b]!.priorityRank);
  const info = order.map((i) => {
    const item = items[i]!;
    const unit = unitsOf(item);
    const cost = item.unitCostMinor * BigInt(unit.quantity);
    const slotsFor = slots
      .filter((s) => s.areas === null || s.areas.includes(item.capabilityArea))
      .map((s) => s.index);
    return { i, area: item.capabilityArea, cost, weight: weightOf(item, items), unit, slotsFor };
  });
  const rest: bigint[] = info.map(() => 0n);
  for (let j = info.length - 1, acc = 0n; j >= 0; j--) {
    const x = info[j]!;
    if (x.cost > 0n) acc += x.weight * x.cost * BigInt(x.unit.maxUnits);
    rest[j] = acc;
  }
  const value = slots.map(() => 0n);
  const areaCount = slots.map(() => new Map<string, number>());
  const units = items.map(() => slots.map(() => 0));
  let best = -1n;
  let bestUnits: number[][] = [];
  let leaves = 0;

  const feasible = (): boolean => {
    if (value.some((v) => v > upper)) return false;
    const eligible = slots.map((slot) => {
      const areas = [...areaCount[slot.index]!.keys()];
      return slot.funds.filter((fi) => allowsAreas(funds[fi]!, areas));
    });
    return hallFeasible(value, eligible, capacities);
  };

  const visit = (j: number, score: bigint): void => {
    if (score + (rest[j] ?? 0n) <= best) return;
    if (j === info.length) {
      leaves++;
      if (score > best) {
        best = score;
        bestUnits = units.map((row) => [...row]);
      }
      return;
    }
    const x = info[j]!;
    if (x.cost <= 0n || x.unit.maxUnits <= 0 || x.slotsFor.length === 0) {
      visit(j + 1, score);
      return;
    }
    // Spread up to maxUnits units over the item's slots, most units first.
    const spread = (k: number, left: number, placed: number): void => {
      if (k === x.slotsFor.length) {
        visit(j + 1, score + x.weight * x.cost * BigInt(placed));
        return;
      }
      const s = x.slotsFor[k]!;
      for (let u = left; u >= 0; u--) {
        if (u > 0) {
          value[s]! += x.cost * BigInt(u);
          const m = areaCount[s]!;
          m.set(x.area, (m.get(x.area) ?? 0) + 1);
          units[x.i]![s] = u;
          if (feasible()) spread(k + 1, left - u, placed + u);
          units[x.i]![s] = 0;
          const c = m.get(x.area)! - 1;
          if (c === 0) m.delete(x.area);
          else m.set(x.area, c);
          value[s]! -= x.cost * BigInt(u);
        } else {
          spread(k + 1, left, placed);
        }
      }
    };
    spread(0, x.unit.maxUnits, 0);
  };
  visit(0, 0n);
  return { score: best, units: bestUnits, leaves };
}
