/**
 * The allocation planner (pure): which approved requirement items, in which quantities, go into
 * which proposed packages, funded by which available contributions — the choice that covers the
 * most priority-weighted value with the money actually on hand. The service reads the inputs,
 * hands `buildPlanModel`'s program to the HiGHS solver and gives its answer to `settlePlan`.
 *
 * The model (a mixed-integer program):
 * - **Packages (slots).** A joint package that may hold any capability area; a themed package
 *   per distinct earmark (the areas some contributions are earmarked to, most money first, at
 *   most `LIMITS.planEarmarkPackagesMax`); a package per donor that asked to fund whole packages
 *   alone (only its own money, nothing else). Each holds at most target + tolerance.
 * - **Items.** kᵢₛ units of item i in package s: a unit is the item's quantity step, or the
 *   whole remaining quantity when the item is whole only. Σₛ kᵢₛ ≤ what is left to package.
 * - **Money.** fᶜₛ US dollars of contribution c to package s (c's money converted at today's
 *   rate); Σₛ fᶜₛ ≤ c's available money; per package Σ cost ≤ Σ money.
 * - **Earmarks** follow the allocation rule exactly (`earmarkVerdict`): an earmarked
 *   contribution may fund a package only when every area of the package's lines is one of its
 *   areas. A themed package holds only its areas and takes money earmarked to all of them; in
 *   the joint package and a donor's own package an area indicator yₐ (the package holds area a)
 *   closes an earmarked contribution out when the package holds an area outside its earmark:
 *   fᶜ + availableᶜ·yₐ ≤ availableᶜ. Money earmarked to another package is not planned.
 * - **Objective.** Maximise Σ weightᵢ × cost of the units planned, weightᵢ = (N − rankᵢ + 1) / N
 *   (rank 1 of N weighs 1, the last 1/N): priority-weighted covered value.
 *
 * Money in the program is in units of 10^e US cents (`moneyUnitExponent`: the largest amount
 * about a million units) written as exact decimals; every figure
 * of the result is recomputed exactly in minor units (`settlePlan`): quantities are integers,
 * costs are bigint, the money is assigned by an exact max-flow and converted back to each
 * contribution's currency with the same rounding as an allocation (`convertAmount`).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { assert } from './errors.js';
import { convertAmount, type FxCurrency } from './fx.js';

/** An approved requirement item with quantity left to package, as the planner sees it. */
export interface PlannerItem {
  id: bigint;
  priorityRank: number;
  capabilityArea: string;
  category: string;
  unit: string;
  /** Approved quantity not yet in a package (> 0). */
  remainingQuantity: number;
  /** Estimated unit cost in US cents (a what-if may change it). */
  unitCostMinor: bigint;
  /** The list's estimate, before any what-if change. */
  listUnitCostMinor: bigint;
  /** Smallest quantity that can be funded apart (1: any whole number of units). */
  quantityStep: number;
  /** Only the whole remaining quantity, or nothing. */
  wholeOnly: boolean;
}

/** A rate used to value a contribution's money in US dollars, kept with the plan. */
export interface PlannerRate {
  from: FxCurrency;
  to: FxCurrency;
  fromRatePerEur: string;
  toRatePerEur: string;
  rateDate: string;
  source: string;
  /** Display rate (units of USD per unit of the currency). */
  rate: string;
}

/** Money that can fund the plan: a contribution's unallocated committed money, or a what-if pledge. */
export interface PlannerFund {
  /** Contribution id, or `H1`, `H2`… for a hypothetical pledge. */
  key: string;
  contributionId: bigint | null;
  donorPartyId: string;
  currency: string;
  /** Unallocated money, in the contribution's currency. */
  availableMinor: bigint;
  /** The same in US cents at today's rate. */
  usdMinor: bigint;
  rate: PlannerRate;
  /** Capability areas the money is earmarked to (empty: any). */
  earmarkAreas: readonly string[];
  /** Earmarked to one existing package: not planned. */
  earmarkPackageNumber: string | null;
  /** The donor asked this money to fund a whole package alone. */
  fundsPackageAlone: boolean;
  hypothetical: boolean;
}

export interface PlannerOptions {
  /** Target package value, US cents. */
  targetMinor: bigint;
  /** A package holds at most target + tolerance; below target − tolerance it is flagged. */
  toleranceMinor: bigint;
}

export type SlotKind = 'joint' | 'earmarked' | 'sole';

export interface PlanSlot {
  index: number;
  kind: SlotKind;
  /** Areas the package may hold (every area for the joint package). */
  areas: readonly string[] | null;
  /** For a donor's own package. */
  donorPartyId: string | null;
  /** Indexes into the funds that may fund it. */
  funds: number[];
}

export interface PlanModel {
  lp: string;
  slots: PlanSlot[];
  /** Item variables: name → (item index, slot index). */
  itemVars: { name: string; item: number; slot: number }[];
  /** The program's money unit: 10^moneyExponent US cents (`moneyUnitExponent`). */
  moneyExponent: number;
  /** Area indicators (joint and donors' own packages): name → (slot, area). */
  areaVars: { name: string; slot: number; area: string }[];
  /** Per item: units per variable (step, or the whole remaining quantity) and max units. */
  unitOf: { quantity: number; maxUnits: number }[];
  variables: number;
  integerVariables: number;
  rows: number;
}

/** US cents as an exact decimal of units of 10^exponent cents (`centsToUnits(1234n, 2)` → "12.34"). */
export function centsToUnits(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const per = 10n ** BigInt(exponent);
  const whole = abs / per;
  const frac =
    exponent === 0 ? '' : (abs % per).toString().padStart(exponent, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** US cents as exact decimal millions of dollars ("12.3456789"). */
export function centsToMillions(minor: bigint): string {
  return centsToUnits(minor, 8);
}

/**
 * The program's unit of money, 10^exponent US cents, chosen so that the largest amount in it is
 * about a million units: the solver's tolerances (1e-7 to 1e-6 in the program's units) then stay
 * far below a cent for real packages ($500M: units of $100) and a problem in dollars or cents is
 * not lost inside them.
 */
export function moneyUnitExponent(largestMinor: bigint): number {
  const digits = largestMinor > 0n ? largestMinor.toString().length : 1;
  return Math.max(0, digits - 7);
}

/** Units an item's variable counts, and how many of them can be planned. */
export function itemUnit(item: PlannerItem): { quantity: number; maxUnits: number } {
  const step = Math.max(1, item.quantityStep);
  // Whole only, or less left than one step: only what is left, at once (the package rule,
  // core/packages.ts `checkLineQuantity`, takes it as the last part).
  if (item.wholeOnly || step > item.remainingQuantity) {
    return { quantity: item.remainingQuantity, maxUnits: 1 };
  }
  return { quantity: step, maxUnits: Math.floor(item.remainingQuantity / step) };
}

/** The priority weight of rank r among n ranks: (n − r + 1) / n, as a numerator over n. */
export function priorityWeight(rank: number, ranks: number): number {
  return (ranks - rank + 1) / ranks;
}

/** Can `fund` pay for a package holding exactly these areas (the allocation rule)? */
export function fundAllowsAreas(fund: PlannerFund, areas: Iterable<string>): boolean {
  if (fund.earmarkPackageNumber !== null) return false;
  if (fund.earmarkAreas.length === 0) return true;
  for (const a of areas) if (!fund.earmarkAreas.includes(a)) return false;
  return true;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The packages a plan may propose: each donor's own package (funds it asked to fund packages
 * alone), the joint package, then a themed package per distinct earmark by money (at most
 * `earmarkPackagesMax`).
 */
export function planSlots(funds: readonly PlannerFund[], earmarkPackagesMax: number): PlanSlot[] {
  const slots: PlanSlot[] = [];
  const usable = funds
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.earmarkPackageNumber === null && f.usdMinor > 0n);
  const soleDonors = [
    ...new Set(usable.filter(({ f }) => f.fundsPackageAlone).map(({ f }) => f.donorPartyId)),
  ].sort();
  for (const donor of soleDonors) {
    const own = usable.filter(({ f }) => f.fundsPackageAlone && f.donorPartyId === donor);
    const anyArea = own.some(({ f }) => f.earmarkAreas.length === 0);
    const areas = anyArea ? null : [...new Set(own.flatMap(({ f }) => f.earmarkAreas))].sort();
    slots.push({
      index: slots.length,
      kind: 'sole',
      areas,
      donorPartyId: donor,
      funds: own.map(({ i }) => i),
    });
  }
  const shared = usable.filter(({ f }) => !f.fundsPackageAlone);
  slots.push({
    index: slots.length,
    kind: 'joint',
    areas: null,
    donorPartyId: null,
    funds: shared.map(({ i }) => i),
  });
  const earmarks: { areas: string[]; usd: bigint }[] = [];
  for (const { f } of shared) {
    if (f.earmarkAreas.length === 0) continue;
    const areas = [...f.earmarkAreas].sort();
    const known = earmarks.find((e) => sameSet(e.areas, areas));
    if (known) known.usd += f.usdMinor;
    else earmarks.push({ areas, usd: f.usdMinor });
  }
  earmarks.sort((a, b) =>
    a.usd > b.usd ? -1 : a.usd < b.usd ? 1 : a.areas.join() < b.areas.join() ? -1 : 1,
  );
  for (const e of earmarks.slice(0, earmarkPackagesMax)) {
    slots.push({
      index: slots.length,
      kind: 'earmarked',
      areas: e.areas,
      donorPartyId: null,
      // Money earmarked to all of the package's areas: no area indicator needed. Unearmarked
      // money goes to the joint package only (else every package could take it: symmetric).
      funds: shared
        .filter(({ f }) => f.earmarkAreas.length > 0 && fundAllowsAreas(f, e.areas))
        .map(({ i }) => i),
    });
  }
  return slots;
}

/**
 * What the plan may take of a fund, in US cents: its value, less a unit of rounding per package
 * for money in another currency (each allocation converts on its own and may round up by less
 * than one unit of the currency when it closes a package's last cents).
 */
export function fundCapacity(fund: PlannerFund, packages: number): bigint {
  if (fund.currency === 'USD') return fund.usdMinor;
  const margin = BigInt(packages) * (usdValue(fund, 1n) + 1n);
  return fund.usdMinor > margin ? fund.usdMinor - margin : 0n;
}

/** Whether a slot may hold an area at all, and some of its money could pay for it. */
function slotTakesArea(slot: PlanSlot, funds: readonly PlannerFund[], area: string): boolean {
  if (slot.areas !== null && !slot.areas.includes(area)) return false;
  return slot.funds.some((i) => fundAllowsAreas(funds[i]!, [area]));
}

/** Terms written a few to a line: HiGHS reads an expression over several lines. */
function writeTerms(out: string[], head: string, terms: string[], tail: string): void {
  let line = head;
  for (const t of terms) {
    if (line.length + t.length > 200) {
      out.push(line);
      line = ' ';
    }
    line += ` ${t}`;
  }
  out.push(`${line} ${tail}`);
}

/** The mixed-integer program in CPLEX LP format, with the names to read its answer by. */
export function buildPlanModel(
  items: readonly PlannerItem[],
  funds: readonly PlannerFund[],
  options: PlannerOptions,
  earmarkPackagesMax: number,
): PlanModel {
  const slots = planSlots(funds, earmarkPackagesMax);
  let largest = options.targetMinor + options.toleranceMinor;
  for (const f of funds) if (f.usdMinor > largest) largest = f.usdMinor;
  for (const it of items) {
    const cost = it.unitCostMinor * BigInt(Math.max(1, itemUnit(it).quantity));
    if (cost > largest) largest = cost;
  }
  const exponent = moneyUnitExponent(largest);
  const money = (minor: bigint) => centsToUnits(minor, exponent);
  const ranks = items.reduce((n, it) => Math.max(n, it.priorityRank), 1);
  const unitOf = items.map(itemUnit);
  const itemVars: PlanModel['itemVars'] = [];
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const integers: string[] = [];
  const binaries: string[] = [];
  const areaVars: PlanModel['areaVars'] = [];
  const perSlot = slots.map(() => [] as { name: string; cost: string; area: string }[]);
  const perItem = items.map(() => [] as string[]);
  items.forEach((item, i) => {
    const unit = unitOf[i]!;
    if (unit.maxUnits <= 0 || item.unitCostMinor <= 0n) return;
    const cost = money(item.unitCostMinor * BigInt(unit.quantity));
    const weight = priorityWeight(item.priorityRank, ranks);
    for (const slot of slots) {
      if (!slotTakesArea(slot, funds, item.capabilityArea)) continue;
      const name = `k${i}s${slot.index}`;
      itemVars.push({ name, item: i, slot: slot.index });
      perSlot[slot.index]!.push({ name, cost, area: item.capabilityArea });
      perItem[i]!.push(name);
      objective.push(`+ ${(weight * Number(cost)).toPrecision(15)} ${name}`);
      bounds.push(` 0 <= ${name} <= ${unit.maxUnits}`);
      integers.push(name);
    }
  });
  const upper = money(options.targetMinor + options.toleranceMinor);
  const fundSlots = funds.map(() => [] as string[]);
  for (const slot of slots) {
    const vars = perSlot[slot.index]!;
    if (vars.length === 0) continue;
    const flows: string[] = [];
    for (const fi of slot.funds) {
      const name = `f${fi}s${slot.index}`;
      flows.push(name);
      fundSlots[fi]!.push(name);
    }
    writeTerms(
      rows,
      ` cover${slot.index}:`,
      [...vars.map((v) => `+ ${v.cost} ${v.name}`), ...flows.map((f) => `- ${f}`)],
      '<= 0',
    );
    writeTerms(
      rows,
      ` size${slot.index}:`,
      vars.map((v) => `+ ${v.cost} ${v.name}`),
      `<= ${upper}`,
    );
    // A themed package takes only money earmarked to all its areas; the joint package and a
    // donor's own package may take money earmarked otherwise, closed out by area indicators.
    if (slot.kind === 'earmarked') continue;
    // Area indicators: only for areas some earmarked funder of the package lacks.
    const areas = [...new Set(vars.map((v) => v.area))].sort();
    for (const area of areas) {
      const lacking = slot.funds.filter((fi) => {
        const f = funds[fi]!;
        return f.earmarkAreas.length > 0 && !f.earmarkAreas.includes(area);
      });
      if (lacking.length === 0) continue;
      const y = `y${slot.index}a${areas.indexOf(area)}`;
      binaries.push(y);
      areaVars.push({ name: y, slot: slot.index, area });
      const inArea = vars.filter((v) => v.area === area);
      writeTerms(
        rows,
        ` holds${slot.index}a${areas.indexOf(area)}:`,
        [...inArea.map((v) => `+ ${v.cost} ${v.name}`), `- ${upper} ${y}`],
        '<= 0',
      );
      for (const fi of lacking) {
        const cap = money(fundCapacity(funds[fi]!, slots.length));
        rows.push(
          ` ear${fi}s${slot.index}a${areas.indexOf(area)}: + f${fi}s${slot.index} + ${cap} ${y} <= ${cap}`,
        );
      }
    }
  }
  funds.forEach((f, fi) => {
    const flows = fundSlots[fi]!;
    if (flows.length === 0) return;
    writeTerms(
      rows,
      ` fund${fi}:`,
      flows.map((x) => `+ ${x}`),
      `<= ${money(fundCapacity(f, slots.length))}`,
    );
  });
  items.forEach((_, i) => {
    const vars = perItem[i]!;
    if (vars.length > 1)
      writeTerms(
        rows,
        ` item${i}:`,
        vars.map((v) => `+ ${v}`),
        `<= ${unitOf[i]!.maxUnits}`,
      );
  });
  const lp: string[] = ['Maximize'];
  writeTerms(lp, ' value:', objective.length > 0 ? objective : ['+ 0 zero'], '');
  lp.push('Subject To');
  lp.push(...(rows.length > 0 ? rows : [' none: + zero <= 0']));
  lp.push('Bounds', ...bounds);
  if (objective.length === 0) lp.push(' 0 <= zero <= 0');
  if (integers.length > 0) writeTerms(lp, 'General\n', integers, '');
  if (binaries.length > 0) writeTerms(lp, 'Binary\n', binaries, '');
  lp.push('End');
  return {
    lp: lp.join('\n'),
    slots,
    moneyExponent: exponent,
    itemVars,
    areaVars,
    unitOf,
    variables: itemVars.length + fundSlots.reduce((n, f) => n + f.length, 0) + binaries.length,
    integerVariables: integers.length + binaries.length,
    rows: rows.length,
  };
}

/**
 * A feasible start for the solver: items in rank order, each into the first package (donors'
 * own, then themed, then joint) with room and money for it, the joint package on unearmarked
 * money only. With a good plan in hand from the start the solver proves its bound sooner.
 */
export function greedyStart(
  items: readonly PlannerItem[],
  funds: readonly PlannerFund[],
  options: PlannerOptions,
  model: PlanModel,
): Map<string, number> {
  const upper = options.targetMinor + options.toleranceMinor;
  const left = funds.map((f) => fundCapacity(f, model.slots.length));
  const value = model.slots.map(() => 0n);
  const flows = new Map<string, bigint>();
  const start = new Map<string, number>();
  const order = [...model.slots].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.index - b.index);
  const varsOf = new Map<number, { name: string; slot: number }[]>();
  for (const v of model.itemVars) {
    const list = varsOf.get(v.item) ?? [];
    list.push(v);
    varsOf.set(v.item, list);
  }
  const byRank = items
    .map((_, i) => i)
    .sort((a, b) => items[a]!.priorityRank - items[b]!.priorityRank);
  // Packages with area indicators take, in this start, only money earmarked to no area.
  const indicated = new Set(model.areaVars.map((y) => y.slot));
  const usedAreas = new Set<string>();
  for (const i of byRank) {
    const vars = varsOf.get(i);
    if (!vars) continue;
    let units = model.unitOf[i]!.maxUnits;
    const cost = items[i]!.unitCostMinor * BigInt(model.unitOf[i]!.quantity);
    for (const slot of order) {
      const v = vars.find((x) => x.slot === slot.index);
      if (!v || units === 0) continue;
      const usable = slot.funds.filter(
        (fi) =>
          (!indicated.has(slot.index) || funds[fi]!.earmarkAreas.length === 0) &&
          fundAllowsAreas(funds[fi]!, [items[i]!.capabilityArea]),
      );
      const money = usable.reduce((n, fi) => n + left[fi]!, 0n);
      const room = upper - value[slot.index]!;
      let k = BigInt(units);
      if (room / cost < k) k = room / cost;
      if (money / cost < k) k = money / cost;
      if (k <= 0n) continue;
      units -= Number(k);
      start.set(v.name, (start.get(v.name) ?? 0) + Number(k));
      value[slot.index]! += k * cost;
      usedAreas.add(`${slot.index}:${items[i]!.capabilityArea}`);
      let need = k * cost;
      for (const fi of usable) {
        const take = left[fi]! < need ? left[fi]! : need;
        if (take <= 0n) continue;
        left[fi]! -= take;
        need -= take;
        const name = `f${fi}s${slot.index}`;
        flows.set(name, (flows.get(name) ?? 0n) + take);
        if (need === 0n) break;
      }
    }
  }
  for (const [name, cents] of flows) start.set(name, Number(cents) / 10 ** model.moneyExponent);
  for (const y of model.areaVars) start.set(y.name, usedAreas.has(`${y.slot}:${y.area}`) ? 1 : 0);
  return start;
}

const ORDER: Record<SlotKind, number> = { sole: 0, earmarked: 1, joint: 2 };

// ---------------------------------------------------------------------------------------------
// Exact settlement of the solver's answer

/** Exact max-flow from funds to packages (bigint capacities, Edmonds–Karp on a small graph). */
export function assignMoney(
  capacities: readonly bigint[],
  eligible: readonly (readonly number[])[],
  demands: readonly bigint[],
): { flows: Map<number, bigint>[]; satisfied: boolean[] } {
  // flows[slot]: fund → amount.
  const slots = demands.length;
  const flows = demands.map(() => new Map<number, bigint>());
  const used = capacities.map(() => 0n);
  const received = demands.map(() => 0n);
  const fundsOf = eligible;
  const slotsOfFund = capacities.map(() => [] as number[]);
  fundsOf.forEach((fs, s) => fs.forEach((f) => slotsOfFund[f]!.push(s)));
  // Greedy first: each package in turn takes from its funds, most restricted funds first.
  for (let s = 0; s < slots; s++) {
    const order = [...fundsOf[s]!].sort(
      (a, b) => slotsOfFund[a]!.length - slotsOfFund[b]!.length || a - b,
    );
    for (const f of order) {
      const need = demands[s]! - received[s]!;
      if (need <= 0n) break;
      const take = capacities[f]! - used[f]! < need ? capacities[f]! - used[f]! : need;
      if (take <= 0n) continue;
      used[f]! += take;
      received[s]! += take;
      flows[s]!.set(f, (flows[s]!.get(f) ?? 0n) + take);
    }
  }
  // Then augmenting paths: package s short ← fund f with room, through re-routings
  // (s ← f1, f1 leaves s1, s1 ← f2 …). BFS over packages.
  for (let s = 0; s < slots; s++) {
    while (received[s]! < demands[s]!) {
      const prev = new Map<number, { from: number; fund: number }>();
      const queue = [s];
      const seen = new Set([s]);
      let found: { slot: number; fund: number } | undefined;
      search: while (queue.length > 0) {
        const cur = queue.shift()!;
        for (const f of fundsOf[cur]!) {
          if (capacities[f]! - used[f]! > 0n) {
            found = { slot: cur, fund: f };
            break search;
          }
          for (const other of slotsOfFund[f]!) {
            if (seen.has(other) || (flows[other]!.get(f) ?? 0n) <= 0n) continue;
            seen.add(other);
            prev.set(other, { from: cur, fund: f });
            queue.push(other);
          }
        }
      }
      if (!found) break;
      // Bottleneck along the path.
      let amount = demands[s]! - received[s]!;
      const room = capacities[found.fund]! - used[found.fund]!;
      if (room < amount) amount = room;
      for (let cur = found.slot; cur !== s;) {
        const step = prev.get(cur)!;
        const movable = flows[cur]!.get(step.fund) ?? 0n;
        if (movable < amount) amount = movable;
        cur = step.from;
      }
      // Apply: the last package takes from the free fund, each earlier hop hands its fund on.
      used[found.fund]! += amount;
      flows[found.slot]!.set(found.fund, (flows[found.slot]!.get(found.fund) ?? 0n) + amount);
      for (let cur = found.slot; cur !== s;) {
        const step = prev.get(cur)!;
        flows[cur]!.set(step.fund, flows[cur]!.get(step.fund)! - amount);
        flows[step.from]!.set(step.fund, (flows[step.from]!.get(step.fund) ?? 0n) + amount);
        cur = step.from;
      }
      received[s]! += amount;
    }
  }
  for (const m of flows) for (const [f, v] of m) if (v === 0n) m.delete(f);
  return { flows, satisfied: demands.map((d, s) => received[s]! >= d) };
}

/** The largest amount in the fund's currency whose US value (an allocation's rounding) is ≤ usd. */
export function amountForUsd(fund: PlannerFund, usdMinor: bigint): bigint {
  if (fund.currency === 'USD')
    return usdMinor < fund.availableMinor ? usdMinor : fund.availableMinor;
  let lo = 0n;
  let hi = fund.availableMinor;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (usdValue(fund, mid) <= usdMinor) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** US value of an amount in the fund's currency, rounded as an allocation is. */
export function usdValue(fund: PlannerFund, amountMinor: bigint): bigint {
  if (fund.currency === 'USD') return amountMinor;
  return convertAmount({ amountMinor, ...fund.rate }).amountMinor;
}

export interface PlannedLine {
  requirementItemId: bigint;
  priorityRank: number;
  capabilityArea: string;
  quantity: number;
  unitCostMinor: bigint;
  valueMinor: bigint;
}

export interface PlannedAllocation {
  fundKey: string;
  contributionId: bigint | null;
  donorPartyId: string;
  currency: string;
  /** In the contribution's currency. */
  amountMinor: bigint;
  /** Its US value at today's rate, rounded as the allocation will be. */
  usdMinor: bigint;
  hypothetical: boolean;
}

export interface PlannedPackage {
  slot: number;
  kind: SlotKind;
  areas: string[];
  donorPartyId: string | null;
  lines: PlannedLine[];
  allocations: PlannedAllocation[];
  /** Σ line values (the package's price at the estimates). */
  valueMinor: bigint;
  /** Σ allocations' US values: value + rounding, where the last unit of a currency rounds up. */
  fundedMinor: bigint;
  /** fundedMinor − valueMinor (≥ 0, less than one unit of the rounding currency). */
  roundingMinor: bigint;
  upperMinor: bigint;
  lowerMinor: bigint;
  belowRange: boolean;
}

export type ItemStatus = 'funded' | 'partly_funded' | 'not_funded';
export type ItemReason =
  | 'no_eligible_money'
  | 'money_ran_out'
  | 'ranked_below_cut'
  | 'too_large_for_room'
  | 'step_larger_than_remaining';

export interface ItemExplanation {
  requirementItemId: bigint;
  priorityRank: number;
  capabilityArea: string;
  category: string;
  unit: string;
  remainingQuantity: number;
  plannedQuantity: number;
  unitCostMinor: bigint;
  listUnitCostMinor: bigint;
  plannedValueMinor: bigint;
  status: ItemStatus;
  /** Why the rest is out (null when funded). */
  reason: ItemReason | null;
  /** The cost of the smallest part still out (a unit, or the whole item). */
  nextPartMinor: bigint | null;
  /**
   * For money_ran_out (the best-ranked item its money could not pay for) and ranked_below_cut
   * (an item after it, for the same money): the eligible money left; for too_large_for_room:
   * the largest room left in a package.
   */
  leftMinor: bigint | null;
}

export type BindingKind = 'package_size' | 'money' | 'earmark' | 'sole_funding';

export interface BindingConstraint {
  kind: BindingKind;
  /** The package (slot) it binds, if one. */
  slot: number | null;
  capabilityArea: string | null;
  fundKey: string | null;
  /** package_size: room left; money: money left; earmark/sole_funding: money left unused. */
  amountMinor: bigint;
  /** Items it keeps out. */
  itemsKeptOut: number;
}

export interface NextMoney {
  capabilityArea: string;
  /** Money eligible for this area still unused (US cents). */
  unusedEligibleMinor: bigint;
  next: {
    requirementItemId: bigint;
    priorityRank: number;
    costMinor: bigint;
    extraMinor: bigint;
  }[];
}

export interface FundUse {
  fundKey: string;
  contributionId: bigint | null;
  donorPartyId: string;
  currency: string;
  availableMinor: bigint;
  usdMinor: bigint;
  plannedMinor: bigint;
  leftMinor: bigint;
  earmarkAreas: string[];
  earmarkPackageNumber: string | null;
  fundsPackageAlone: boolean;
  hypothetical: boolean;
  rate: PlannerRate;
}

export interface CurrencyTotal {
  currency: string;
  availableMinor: bigint;
  plannedMinor: bigint;
  leftMinor: bigint;
}

export interface SettledPlan {
  packages: PlannedPackage[];
  items: ItemExplanation[];
  binding: BindingConstraint[];
  nextMoney: NextMoney[];
  funds: FundUse[];
  currencies: CurrencyTotal[];
  /** Σ planned value, US cents. */
  plannedValueMinor: bigint;
  /** Σ weight × value over what is planned, with weight (N − rank + 1) as an integer. */
  weightedScore: bigint;
  /** Units dropped to make the solver's answer exact (float tolerance), normally 0. */
  repairs: number;
}

/**
 * The exact plan from the solver's quantities: integer quantities, exact costs, money assigned
 * by an exact flow (never beyond a contribution's money, never against an earmark), converted
 * back to each contribution's currency as an allocation rounds, and the explanation.
 */
export function settlePlan(
  items: readonly PlannerItem[],
  funds: readonly PlannerFund[],
  options: PlannerOptions,
  model: PlanModel,
  values: ReadonlyMap<string, number>,
): SettledPlan {
  const slots = model.slots;
  const upperMinor = options.targetMinor + options.toleranceMinor;
  const lowerMinor =
    options.targetMinor > options.toleranceMinor
      ? options.targetMinor - options.toleranceMinor
      : 0n;
  const ranks = items.reduce((n, it) => Math.max(n, it.priorityRank), 1);
  // Units per (item, slot).
  const units = new Map<string, number>();
  for (const v of model.itemVars) {
    const k = Math.round(values.get(v.name) ?? 0);
    if (k > 0) units.set(v.name, Math.min(k, model.unitOf[v.item]!.maxUnits));
  }
  // The variables the solver set (units only ever drop below): every loop below walks these.
  const planned = model.itemVars.filter((v) => units.has(v.name));
  const costOf = (i: number): bigint => items[i]!.unitCostMinor * BigInt(model.unitOf[i]!.quantity);
  let repairs = 0;
  const slotAreas = (s: number): Set<string> => {
    const areas = new Set<string>();
    for (const v of planned)
      if (v.slot === s && units.has(v.name)) areas.add(items[v.item]!.capabilityArea);
    return areas;
  };
  const dropOne = (s: number): boolean => {
    // The planned unit of least weight in package s.
    let worst: { name: string; item: number } | undefined;
    for (const v of planned) {
      if (v.slot !== s || !units.has(v.name)) continue;
      if (!worst || items[v.item]!.priorityRank > items[worst.item]!.priorityRank) worst = v;
    }
    if (!worst) return false;
    const left = units.get(worst.name)! - 1;
    if (left > 0) units.set(worst.name, left);
    else units.delete(worst.name);
    repairs++;
    return true;
  };
  // Item totals never above what is left (the solver's rounding could in theory exceed).
  const plannedOf = new Map<number, typeof planned>();
  for (const v of planned) plannedOf.set(v.item, [...(plannedOf.get(v.item) ?? []), v]);
  for (const [i, all] of plannedOf) {
    for (;;) {
      const vars = all.filter((v) => units.has(v.name));
      const total = vars.reduce((n, v) => n + units.get(v.name)!, 0);
      if (total <= model.unitOf[i]!.maxUnits) break;
      const v = vars[vars.length - 1]!;
      const left = units.get(v.name)! - 1;
      if (left > 0) units.set(v.name, left);
      else units.delete(v.name);
      repairs++;
    }
  }
  let assignment: ReturnType<typeof assignMoney>;
  let eligible: number[][];
  for (;;) {
    const demands = slots.map((slot) => {
      let d = 0n;
      for (const v of planned)
        if (v.slot === slot.index && units.has(v.name))
          d += costOf(v.item) * BigInt(units.get(v.name)!);
      return d;
    });
    const over = demands.findIndex((d) => d > upperMinor);
    if (over >= 0) {
      dropOne(over);
      continue;
    }
    eligible = slots.map((slot) => {
      const areas = slotAreas(slot.index);
      return slot.funds.filter((fi) => fundAllowsAreas(funds[fi]!, areas));
    });
    assignment = assignMoney(
      funds.map((f) => fundCapacity(f, slots.length)),
      eligible,
      demands,
    );
    const short = assignment.satisfied.findIndex((ok) => !ok);
    if (short < 0) break;
    assert(dropOne(short), 'a package short of money has a unit to drop');
  }

  // Allocations in each fund's own currency: the largest amount whose US value fits its share,
  // then the package's remaining cents from the fund with the most room (rounding up by less
  // than one unit of its currency).
  const plannedByFund = funds.map(() => 0n);
  const fundIndex = new Map(funds.map((f, i) => [f.key, i]));
  const packages: PlannedPackage[] = [];
  // First every package's shares, each rounded down in its currency; then each package's last
  // cents, from money no package is promised (else closing one package's gap could take money
  // the flow gave to a later one).
  const drafts: {
    slot: PlanSlot;
    lines: PlannedLine[];
    valueMinor: bigint;
    allocations: PlannedAllocation[];
    covered: bigint;
  }[] = [];
  for (const slot of slots) {
    const lines: PlannedLine[] = [];
    for (const v of planned) {
      if (v.slot !== slot.index || !units.has(v.name)) continue;
      const item = items[v.item]!;
      const quantity = model.unitOf[v.item]!.quantity * units.get(v.name)!;
      lines.push({
        requirementItemId: item.id,
        priorityRank: item.priorityRank,
        capabilityArea: item.capabilityArea,
        quantity,
        unitCostMinor: item.unitCostMinor,
        valueMinor: item.unitCostMinor * BigInt(quantity),
      });
    }
    if (lines.length === 0) continue;
    lines.sort(
      (a, b) =>
        a.priorityRank - b.priorityRank || (a.requirementItemId < b.requirementItemId ? -1 : 1),
    );
    const valueMinor = lines.reduce((n, l) => n + l.valueMinor, 0n);
    const shares = [...assignment!.flows[slot.index]!.entries()].sort(([a], [b]) => a - b);
    const allocations: PlannedAllocation[] = [];
    let covered = 0n;
    for (const [fi, usd] of shares) {
      const fund = funds[fi]!;
      const amount = amountForUsd(
        { ...fund, availableMinor: fund.availableMinor - plannedByFund[fi]! },
        usd,
      );
      if (amount === 0n) continue;
      plannedByFund[fi]! += amount;
      const value = usdValue(fund, amount);
      covered += value;
      allocations.push({
        fundKey: fund.key,
        contributionId: fund.contributionId,
        donorPartyId: fund.donorPartyId,
        currency: fund.currency,
        amountMinor: amount,
        usdMinor: value,
        hypothetical: fund.hypothetical,
      });
    }
    drafts.push({ slot, lines, valueMinor, allocations, covered });
  }
  for (const draft of drafts) {
    const { slot, lines, valueMinor, allocations } = draft;
    let covered = draft.covered;
    // The cents still missing: from the share with the most money left, one unit at a time
    // (a few units at most: each floor loses less than one unit of its currency).
    let guard = 0;
    let closer: PlannedAllocation | undefined;
    while (covered < valueMinor) {
      assert(guard++ < 10_000, 'the rounding gap closes');
      let best: PlannedAllocation | undefined;
      let bestLeft = -1n;
      for (const a of allocations) {
        const fi = fundIndex.get(a.fundKey)!;
        const left = funds[fi]!.availableMinor - plannedByFund[fi]!;
        if (left > 0n && (a.currency === 'USD' ? left * 1_000_000n : left) > bestLeft) {
          best = a;
          bestLeft = a.currency === 'USD' ? left * 1_000_000n : left;
        }
      }
      if (!best) {
        // Another eligible fund with money left joins.
        const fi = eligible![slot.index]!.find(
          (f) => funds[f]!.availableMinor - plannedByFund[f]! > 0n,
        );
        assert(fi !== undefined, 'some eligible money is left for the rounding gap');
        const fund = funds[fi]!;
        best = {
          fundKey: fund.key,
          contributionId: fund.contributionId,
          donorPartyId: fund.donorPartyId,
          currency: fund.currency,
          amountMinor: 0n,
          usdMinor: 0n,
          hypothetical: fund.hypothetical,
        };
        allocations.push(best);
      }
      const fi = fundIndex.get(best.fundKey)!;
      const fund = funds[fi]!;
      const need = valueMinor - covered;
      // The smallest addition in the fund's currency that covers the need.
      let add = amountForUsd(fund, need);
      if (usdValue(fund, best.amountMinor + add) - best.usdMinor < need) add += 1n;
      const room = fund.availableMinor - plannedByFund[fi]!;
      if (add > room) add = room;
      plannedByFund[fi]! += add;
      best.amountMinor += add;
      const newValue = usdValue(fund, best.amountMinor);
      covered += newValue - best.usdMinor;
      best.usdMinor = newValue;
      closer = best;
    }
    allocations.sort((a, b) =>
      a.usdMinor > b.usdMinor ? -1 : a.usdMinor < b.usdMinor ? 1 : a.fundKey < b.fundKey ? -1 : 1,
    );
    // The allocation that closed the last cents goes last: the package's gap then allows its
    // rounding (less than one unit of its currency), as it allows the last allocation's.
    if (closer) allocations.push(...allocations.splice(allocations.indexOf(closer), 1));
    const areas = [...new Set(lines.map((l) => l.capabilityArea))].sort();
    packages.push({
      slot: slot.index,
      kind: slot.kind,
      areas,
      donorPartyId: slot.donorPartyId,
      lines,
      allocations,
      valueMinor,
      fundedMinor: covered,
      roundingMinor: covered - valueMinor,
      upperMinor,
      lowerMinor,
      belowRange: valueMinor < lowerMinor,
    });
  }

  // ---- Explanation ----
  const usedUsd = funds.map((f, fi) => usdValue(f, plannedByFund[fi]!));
  const leftUsd = funds.map((f, fi) =>
    f.usdMinor > usedUsd[fi]! ? f.usdMinor - usedUsd[fi]! : 0n,
  );
  const valueOfSlot = new Map(packages.map((p) => [p.slot, p.valueMinor]));
  const areasOfSlot = new Map(packages.map((p) => [p.slot, new Set(p.areas)]));
  const plannedQty = items.map(() => 0);
  const itemIndex = new Map(items.map((it, i) => [it.id, i]));
  for (const p of packages) {
    for (const l of p.lines) {
      const i = itemIndex.get(l.requirementItemId)!;
      plannedQty[i]! += l.quantity;
    }
  }
  /** Unused money that could pay for `area` in slot s, were it added to the package. */
  const leftFor = (slot: PlanSlot, area: string): bigint => {
    if (slot.areas !== null && !slot.areas.includes(area)) return 0n;
    const areas = new Set(areasOfSlot.get(slot.index) ?? []);
    areas.add(area);
    let sum = 0n;
    for (const fi of slot.funds) if (fundAllowsAreas(funds[fi]!, areas)) sum += leftUsd[fi]!;
    return sum;
  };
  const explanations: ItemExplanation[] = items.map((item, i) => {
    const unit = model.unitOf[i]!;
    const planned = plannedQty[i]!;
    const base = {
      requirementItemId: item.id,
      priorityRank: item.priorityRank,
      capabilityArea: item.capabilityArea,
      category: item.category,
      unit: item.unit,
      remainingQuantity: item.remainingQuantity,
      plannedQuantity: planned,
      unitCostMinor: item.unitCostMinor,
      listUnitCostMinor: item.listUnitCostMinor,
      plannedValueMinor: item.unitCostMinor * BigInt(planned),
    };
    const leftUnits = unit.maxUnits - Math.floor(planned / unit.quantity);
    if (planned > 0 && leftUnits <= 0) {
      if (planned >= item.remainingQuantity) {
        return { ...base, status: 'funded', reason: null, nextPartMinor: null, leftMinor: null };
      }
      // Every step planned; what is left is less than one step: the planner plans in steps,
      // the coordinator adds that last part by hand (the package rule allows it).
      const rest = item.remainingQuantity - planned;
      return {
        ...base,
        status: 'partly_funded',
        reason: 'step_larger_than_remaining',
        nextPartMinor: item.unitCostMinor * BigInt(rest),
        leftMinor: null,
      };
    }
    const status: ItemStatus = planned > 0 ? 'partly_funded' : 'not_funded';
    const part = costOf(i);
    const candidates = slots.filter((s) => slotTakesArea(s, funds, item.capabilityArea));
    if (candidates.length === 0) {
      return { ...base, status, reason: 'no_eligible_money', nextPartMinor: part, leftMinor: 0n };
    }
    let bestRoom = -1n;
    let bestMoney = 0n;
    for (const s of candidates) {
      const room = upperMinor - (valueOfSlot.get(s.index) ?? 0n);
      if (room > bestRoom) bestRoom = room;
      const money = leftFor(s, item.capabilityArea);
      if (money > bestMoney) bestMoney = money;
    }
    const fitsRoom = candidates.some((s) => upperMinor - (valueOfSlot.get(s.index) ?? 0n) >= part);
    if (!fitsRoom) {
      return {
        ...base,
        status,
        reason: 'too_large_for_room',
        nextPartMinor: part,
        leftMinor: bestRoom,
      };
    }
    return {
      ...base,
      status,
      reason: 'ranked_below_cut',
      nextPartMinor: part,
      leftMinor: bestMoney,
    };
  });

  // Where the money ran out: per pool of money (the funds that may pay for an item), the
  // best-ranked item short of money is where it ran out; the items after it that the same money
  // could pay for are ranked below the cut.
  const byRank = explanations
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.reason === 'ranked_below_cut')
    .sort((a, b) => a.e.priorityRank - b.e.priorityRank);
  let poolsSeen = 0n;
  for (const { e, i } of byRank) {
    let pool = 0n;
    for (const s of slots) {
      if (!slotTakesArea(s, funds, items[i]!.capabilityArea)) continue;
      for (const fi of s.funds) {
        if (fundAllowsAreas(funds[fi]!, [items[i]!.capabilityArea])) pool |= 1n << BigInt(fi);
      }
    }
    if ((pool & poolsSeen) === 0n) e.reason = 'money_ran_out';
    poolsSeen |= pool;
  }
  const shortOfMoney = (e: ItemExplanation) =>
    e.reason === 'ranked_below_cut' || e.reason === 'money_ran_out';

  // Binding constraints.
  const binding: BindingConstraint[] = [];
  const out = explanations.filter((e) => e.status !== 'funded');
  for (const slot of slots) {
    const value = valueOfSlot.get(slot.index) ?? 0n;
    const room = upperMinor - value;
    const keptByRoom = out.filter(
      (e) => e.reason === 'too_large_for_room' && slotTakesArea(slot, funds, e.capabilityArea),
    ).length;
    if (value > 0n && keptByRoom > 0) {
      binding.push({
        kind: 'package_size',
        slot: slot.index,
        capabilityArea: null,
        fundKey: null,
        amountMinor: room,
        itemsKeptOut: keptByRoom,
      });
    }
  }
  const outAreas = [...new Set(out.filter(shortOfMoney).map((e) => e.capabilityArea))].sort();
  for (const area of outAreas) {
    const kept = out.filter((e) => shortOfMoney(e) && e.capabilityArea === area);
    const left = kept.reduce(
      (m, e) => (e.leftMinor !== null && e.leftMinor > m ? e.leftMinor : m),
      0n,
    );
    binding.push({
      kind: 'money',
      slot: null,
      capabilityArea: area,
      fundKey: null,
      amountMinor: left,
      itemsKeptOut: kept.length,
    });
  }
  funds.forEach((f, fi) => {
    const left = leftUsd[fi]!;
    if (left <= 0n || f.earmarkPackageNumber !== null) return;
    if (f.fundsPackageAlone) {
      const kept = out.filter((e) => fundAllowsAreas(f, [e.capabilityArea])).length;
      if (kept > 0)
        binding.push({
          kind: 'sole_funding',
          slot: null,
          capabilityArea: null,
          fundKey: f.key,
          amountMinor: left,
          itemsKeptOut: kept,
        });
      return;
    }
    if (f.earmarkAreas.length === 0) return;
    const kept = out.filter((e) => !f.earmarkAreas.includes(e.capabilityArea)).length;
    if (kept > 0)
      binding.push({
        kind: 'earmark',
        slot: null,
        capabilityArea: null,
        fundKey: f.key,
        amountMinor: left,
        itemsKeptOut: kept,
      });
  });

  // What extra money in which area would cover the next items (in rank order).
  const nextMoney: NextMoney[] = [];
  const areas = [...new Set(out.map((e) => e.capabilityArea))].sort();
  for (const area of areas) {
    let unused = 0n;
    funds.forEach((f, fi) => {
      if (
        f.earmarkPackageNumber === null &&
        (f.earmarkAreas.length === 0 || f.earmarkAreas.includes(area))
      )
        unused += leftUsd[fi]!;
    });
    const next = out
      .filter((e) => e.capabilityArea === area && e.reason !== 'step_larger_than_remaining')
      .sort((a, b) => a.priorityRank - b.priorityRank)
      .slice(0, 5);
    let cumulative = 0n;
    const rows = next.map((e) => {
      const cost = e.unitCostMinor * BigInt(e.remainingQuantity - e.plannedQuantity);
      cumulative += cost;
      return {
        requirementItemId: e.requirementItemId,
        priorityRank: e.priorityRank,
        costMinor: cost,
        extraMinor: cumulative > unused ? cumulative - unused : 0n,
      };
    });
    if (rows.length > 0)
      nextMoney.push({ capabilityArea: area, unusedEligibleMinor: unused, next: rows });
  }

  const fundUses: FundUse[] = funds.map((f, fi) => ({
    fundKey: f.key,
    contributionId: f.contributionId,
    donorPartyId: f.donorPartyId,
    currency: f.currency,
    availableMinor: f.availableMinor,
    usdMinor: f.usdMinor,
    plannedMinor: plannedByFund[fi]!,
    leftMinor: f.availableMinor - plannedByFund[fi]!,
    earmarkAreas: [...f.earmarkAreas],
    earmarkPackageNumber: f.earmarkPackageNumber,
    fundsPackageAlone: f.fundsPackageAlone,
    hypothetical: f.hypothetical,
    rate: f.rate,
  }));
  const byCurrency = new Map<string, CurrencyTotal>();
  for (const u of fundUses) {
    const t = byCurrency.get(u.currency) ?? {
      currency: u.currency,
      availableMinor: 0n,
      plannedMinor: 0n,
      leftMinor: 0n,
    };
    t.availableMinor += u.availableMinor;
    t.plannedMinor += u.plannedMinor;
    t.leftMinor += u.leftMinor;
    byCurrency.set(u.currency, t);
  }
  let weightedScore = 0n;
  for (const e of explanations)
    weightedScore += BigInt(ranks - e.priorityRank + 1) * e.plannedValueMinor;
  return {
    packages,
    items: explanations,
    binding,
    nextMoney,
    funds: fundUses,
    currencies: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    plannedValueMinor: packages.reduce((n, p) => n + p.valueMinor, 0n),
    weightedScore,
    repairs,
  };
}

export interface PlanComparison {
  plannedValueDeltaMinor: bigint;
  weightedScoreDelta: bigint;
  packagesDelta: number;
  /** Per capability area: the value each plan covers. */
  areas: { capabilityArea: string; baseMinor: bigint; otherMinor: bigint }[];
  /** Items whose planned quantity differs. */
  items: {
    requirementItemId: bigint;
    priorityRank: number;
    capabilityArea: string;
    baseQuantity: number;
    otherQuantity: number;
  }[];
}

/** What changes from one plan to another (a what-if beside its base). */
export function comparePlans(base: SettledPlan, other: SettledPlan): PlanComparison {
  const areas = new Map<
    string,
    { capabilityArea: string; baseMinor: bigint; otherMinor: bigint }
  >();
  const area = (a: string) => {
    let row = areas.get(a);
    if (!row) areas.set(a, (row = { capabilityArea: a, baseMinor: 0n, otherMinor: 0n }));
    return row;
  };
  for (const e of base.items) area(e.capabilityArea).baseMinor += e.plannedValueMinor;
  for (const e of other.items) area(e.capabilityArea).otherMinor += e.plannedValueMinor;
  const otherById = new Map(other.items.map((e) => [e.requirementItemId, e]));
  const items: PlanComparison['items'] = [];
  for (const e of base.items) {
    const o = otherById.get(e.requirementItemId);
    const otherQuantity = o?.plannedQuantity ?? 0;
    if (otherQuantity !== e.plannedQuantity) {
      items.push({
        requirementItemId: e.requirementItemId,
        priorityRank: e.priorityRank,
        capabilityArea: e.capabilityArea,
        baseQuantity: e.plannedQuantity,
        otherQuantity,
      });
    }
  }
  return {
    plannedValueDeltaMinor: other.plannedValueMinor - base.plannedValueMinor,
    weightedScoreDelta: other.weightedScore - base.weightedScore,
    packagesDelta: other.packages.length - base.packages.length,
    areas: [...areas.values()].sort((a, b) => (a.capabilityArea < b.capabilityArea ? -1 : 1)),
    items: items.sort((a, b) => a.priorityRank - b.priorityRank),
  };
}

/** The packages a plan proposes, as much as accepting needs: lines and allocations. */
export interface ProposedPackage {
  lines: { requirementItemId: bigint; quantity: number }[];
  allocations: { fundKey: string; amountMinor: bigint }[];
}

/**
 * A plan's fingerprint: its inputs' fingerprint and the packages it proposes. Accepting checks
 * that the packages sent are those of a plan made on inputs equal to today's.
 */
export function planFingerprint(inputs: string, packages: readonly ProposedPackage[]): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        inputs,
        packages: packages.map((p) => ({
          lines: p.lines.map((l) => [String(l.requirementItemId), l.quantity]),
          allocations: p.allocations.map((a) => [a.fundKey, String(a.amountMinor)]),
        })),
      }),
    )
    .digest('hex');
}

/** A fingerprint of everything a plan depends on: accepting refuses a plan made on other inputs. */
export function planInputsFingerprint(
  items: readonly PlannerItem[],
  funds: readonly PlannerFund[],
  options: PlannerOptions,
): string {
  const payload = {
    items: items.map((i) => [
      String(i.id),
      i.priorityRank,
      i.capabilityArea,
      i.remainingQuantity,
      String(i.unitCostMinor),
      i.quantityStep,
      i.wholeOnly,
    ]),
    funds: funds.map((f) => [
      f.key,
      f.donorPartyId,
      f.currency,
      String(f.availableMinor),
      String(f.usdMinor),
      f.rate.rateDate,
      [...f.earmarkAreas],
      f.earmarkPackageNumber,
      f.fundsPackageAlone,
    ]),
    options: [String(options.targetMinor), String(options.toleranceMinor)],
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}
