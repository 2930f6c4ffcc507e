/**
 * Planner benchmark: random planning problems of the size a coordinator meets at scale
 * (2,000 approved items with quantity left × 60 contributions with money available, in five
 * currencies, 40 % of them earmarked to one or two capability areas, 3 donors funding alone),
 * solved by the same pipeline the service runs — the model (`buildPlanModel`), HiGHS in its
 * worker thread (`solveLp`, started from `greedyStart`), the exact settlement (`settlePlan`) —
 * on several seeds, beside the greedy plan by rank that the solver starts from, in the same run.
 * Target: 2,000 × 60 solved (proven within the planner's 0.1 % gap) in ≤ 5 s. Writes
 * bench/results/planner.json.
 *
 *   npm run bench:planner            (or: npx tsx bench/planner.ts --seeds 5 --sizes 2000x60)
 */
import { parseArgs } from 'node:util';
import { convertAmount } from '../src/core/fx.js';
import {
  buildPlanModel,
  greedyStart,
  settlePlan,
  type PlannerFund,
  type PlannerItem,
  type PlannerOptions,
  type PlannerRate,
} from '../src/core/planner.js';
import { LIMITS } from '../src/core/limits.js';
import { PLAN_RELATIVE_GAP } from '../src/services/planner-service.js';
import { solveLp, stopSolver } from '../src/services/planner-solver.js';
import {
  machineFacts,
  machineLine,
  median,
  tableLine,
  writeBenchResults,
} from './support/machine.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '200x20,1000x40,2000x60,4000x120' },
    'time-limit': { type: 'string', default: '20' },
    target: { type: 'string', default: '5' },
  },
});
const SEEDS = Number(args.seeds);
const SIZES = args.sizes.split(',').map((s) => s.split('x').map(Number) as [number, number]);
const TIME_LIMIT = Number(args['time-limit']);
const TARGET_SECONDS = Number(args.target);

const AREAS = [
  'air_force',
  'air_missile_defence',
  'artillery',
  'armour',
  'maritime',
  'it',
  'demining',
  'drones',
  'sustainment',
  'other',
];
/** Units per EUR (ECB, a day of 2025) and minor units. */
const CURRENCIES: Record<string, { perEur: string; minorUnit: number }> = {
  USD: { perEur: '1.1578', minorUnit: 2 },
  EUR: { perEur: '1', minorUnit: 2 },
  GBP: { perEur: '0.86755', minorUnit: 2 },
  NOK: { perEur: '11.859', minorUnit: 2 },
  JPY: { perEur: '170.42', minorUnit: 0 },
};

/** A small seeded generator (mulberry32): the same problem for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rateOf(code: string): PlannerRate {
  const from = CURRENCIES[code]!;
  return {
    from: { code, minorUnit: from.minorUnit },
    to: { code: 'USD', minorUnit: 2 },
    fromRatePerEur: from.perEur,
    toRatePerEur: CURRENCIES.USD!.perEur,
    rateDate: '2025-08-04',
    source: 'ECB',
    rate: '',
  };
}

export function problem(
  items: number,
  funds: number,
  seed: number,
): { items: PlannerItem[]; funds: PlannerFund[]; options: PlannerOptions } {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const planned: PlannerItem[] = Array.from({ length: items }, (_, i) => {
    const unitCost = BigInt(Math.round(5_000 + rand() * 4_995_000)) * 100n; // $5k – $5M
    return {
      id: BigInt(i + 1),
      priorityRank: i + 1,
      capabilityArea: pick(AREAS),
      category: 'synthetic',
      unit: 'units',
      remainingQuantity: 1 + Math.floor(rand() * 40),
      unitCostMinor: unitCost,
      listUnitCostMinor: unitCost,
      quantityStep: 1,
      wholeOnly: rand() < 0.3,
    };
  });
  const money: PlannerFund[] = Array.from({ length: funds }, (_, j) => {
    const currency = pick(Object.keys(CURRENCIES));
    const rate = rateOf(currency);
    const usdCents = BigInt(Math.round(5_000_000 + rand() * 45_000_000)) * 100n; // $5M – $50M
    // The amount in its own currency worth about that many dollars.
    const perUsd = Number(CURRENCIES[currency]!.perEur) / Number(CURRENCIES.USD!.perEur);
    const own = BigInt(
      Math.round((Number(usdCents) / 100) * perUsd * 10 ** CURRENCIES[currency]!.minorUnit),
    );
    const earmarked = rand() < 0.4;
    const earmarkAreas = earmarked
      ? [...new Set([pick(AREAS), ...(rand() < 0.5 ? [pick(AREAS)] : [])])].sort()
      : [];
    return {
      key: String(j + 1),
      contributionId: BigInt(j + 1),
      donorPartyId: `D${String(j % 30).padStart(2, '0')}`,
      currency,
      availableMinor: own,
      usdMinor: currency === 'USD' ? own : convertAmount({ amountMinor: own, ...rate }).amountMinor,
      rate,
      earmarkAreas,
      earmarkPackageNumber: null,
      fundsPackageAlone: j % 30 < 3 && !earmarked,
      hypothetical: false,
    };
  });
  return {
    items: planned,
    funds: money,
    options: { targetMinor: 500_000_000_00n, toleranceMinor: 50_000_000_00n },
  };
}

interface Run {
  items: number;
  funds: number;
  seed: number;
  buildMs: number;
  solveMs: number;
  settleMs: number;
  totalMs: number;
  status: string;
  gap: number;
  variables: number;
  integerVariables: number;
  rows: number;
  packages: number;
  plannedMillions: number;
  /** The solver's plan against the greedy plan by rank it started from (weighted score). */
  vsGreedy: number;
}

const runs: Run[] = [];
// The worker's WebAssembly is compiled once per process: warm it on a tiny problem first.
{
  const warm = problem(20, 4, 1);
  const model = buildPlanModel(warm.items, warm.funds, warm.options, 8);
  await solveLp(model.lp, { timeLimitSeconds: 5, relativeGap: PLAN_RELATIVE_GAP });
}
for (const [items, funds] of SIZES) {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const p = problem(items, funds, seed);
    const t0 = performance.now();
    const model = buildPlanModel(p.items, p.funds, p.options, LIMITS.planEarmarkPackagesMax);
    const start = greedyStart(p.items, p.funds, p.options, model);
    const t1 = performance.now();
    const out = await solveLp(model.lp, {
      timeLimitSeconds: TIME_LIMIT,
      relativeGap: PLAN_RELATIVE_GAP,
      start,
    });
    const t2 = performance.now();
    const plan = settlePlan(p.items, p.funds, p.options, model, out.values);
    const t3 = performance.now();
    const greedy = settlePlan(p.items, p.funds, p.options, model, start);
    runs.push({
      items,
      funds,
      seed,
      buildMs: Math.round(t1 - t0),
      solveMs: Math.round(t2 - t1),
      settleMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      status: out.status,
      gap: out.gap,
      variables: model.variables,
      integerVariables: model.integerVariables,
      rows: model.rows,
      packages: plan.packages.length,
      plannedMillions: Number(plan.plannedValueMinor / 1_000_000n) / 100,
      vsGreedy: Number((plan.weightedScore * 10_000n) / (greedy.weightedScore || 1n)) / 10_000,
    });
    const r = runs[runs.length - 1]!;
    process.stderr.write(
      `${items}×${funds} seed ${seed}: ${r.totalMs} ms (${r.status}, gap ${(r.gap * 100).toFixed(3)} %)\n`,
    );
  }
}
await stopSolver();

const machine = machineFacts();
const lines = [
  tableLine([
    'items × contributions',
    'variables (integer)',
    'median total s',
    'max total s',
    'solve s (median)',
    'proven within 0.1 %',
    'vs greedy by rank',
    'target',
  ]),
  tableLine(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
];
const summary = SIZES.map(([items, funds]) => {
  const mine = runs.filter((r) => r.items === items && r.funds === funds);
  const totals = mine.map((r) => r.totalMs / 1000);
  const proven = mine.filter((r) => r.status === 'Optimal').length;
  const row = {
    items,
    funds,
    variables: median(mine.map((r) => r.variables)),
    integerVariables: median(mine.map((r) => r.integerVariables)),
    medianSeconds: median(totals),
    maxSeconds: Math.max(...totals),
    medianSolveSeconds: median(mine.map((r) => r.solveMs / 1000)),
    proven: `${proven}/${mine.length}`,
    medianVsGreedy: median(mine.map((r) => r.vsGreedy)),
    target:
      items === 2000 && funds === 60
        ? Math.max(...totals) <= TARGET_SECONDS
          ? `≤ ${TARGET_SECONDS} s met`
          : `≤ ${TARGET_SECONDS} s MISSED`
        : '—',
  };
  lines.push(
    tableLine([
      `${items} × ${funds}`,
      `${row.variables} (${row.integerVariables})`,
      row.medianSeconds.toFixed(2),
      row.maxSeconds.toFixed(2),
      row.medianSolveSeconds.toFixed(2),
      row.proven,
      `${row.medianVsGreedy.toFixed(4)}×`,
      row.target,
    ]),
  );
  return row;
});
process.stdout.write(`${lines.join('\n')}\n${machineLine(machine)}\n`);
await writeBenchResults('planner', { machine, targetSeconds: TARGET_SECONDS, summary, runs });
