/**
 * Why a solver and not a fill by rank: an item that fits but blocks two lower-ranked ones worth
 * more together, where the greedy plan the solver starts from (`greedyStart`) is worse than the
 * plan it proves best; and earmarked money kept usable by a themed package while the joint
 * package holds another area.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPlanModel,
  greedyStart,
  settlePlan,
  type PlannerFund,
  type PlannerItem,
  type PlannerOptions,
} from '../../src/core/planner.js';
import { solveLp, stopSolver } from '../../src/services/planner-solver.js';

const M = 100_000_000n;
const rate = {
  from: { code: 'USD', minorUnit: 2 },
  to: { code: 'USD', minorUnit: 2 },
  fromRatePerEur: '1.1578',
  toRatePerEur: '1.1578',
  rateDate: '2025-08-04',
  source: 'ECB',
  rate: '1',
};

function item(rank: number, area: string, cost: bigint): PlannerItem {
  return {
    id: BigInt(rank),
    priorityRank: rank,
    capabilityArea: area,
    category: 'c',
    unit: 'u',
    remainingQuantity: 1,
    unitCostMinor: cost,
    listUnitCostMinor: cost,
    quantityStep: 1,
    wholeOnly: true,
  };
}

function fund(key: string, usd: bigint, earmarkAreas: string[] = []): PlannerFund {
  return {
    key,
    contributionId: BigInt(key),
    donorPartyId: `D${key}`,
    currency: 'USD',
    availableMinor: usd,
    usdMinor: usd,
    rate,
    earmarkAreas,
    earmarkPackageNumber: null,
    fundsPackageAlone: false,
    hypothetical: false,
  };
}

async function both(items: PlannerItem[], funds: PlannerFund[], options: PlannerOptions) {
  const model = buildPlanModel(items, funds, options, 8);
  const start = greedyStart(items, funds, options, model);
  const out = await solveLp(model.lp, { timeLimitSeconds: 20, relativeGap: 0, start });
  return {
    greedy: settlePlan(items, funds, options, model, start),
    solved: settlePlan(items, funds, options, model, out.values),
  };
}

describe('the solver against the fill by rank it starts from', () => {
  afterAll(async () => stopSolver());

  it('leaves out an item that fits but blocks two worth more together', async () => {
    // Ten ranks; $100M. Greedy takes rank 1 ($51M) and nothing else fits; the best is ranks 2
    // and 3 ($50M each): 9×50 + 8×50 = 850 against 10×51 = 510 (weights × $M).
    const items = [
      item(1, 'artillery', 51n * M),
      item(2, 'artillery', 50n * M),
      item(3, 'artillery', 50n * M),
      item(10, 'artillery', 200n * M),
    ];
    const { greedy, solved } = await both(items, [fund('1', 100n * M)], {
      targetMinor: 500n * M,
      toleranceMinor: 0n,
    });
    expect(greedy.packages[0]!.lines.map((l) => l.priorityRank)).toEqual([1]);
    expect(solved.packages[0]!.lines.map((l) => l.priorityRank)).toEqual([2, 3]);
    expect(solved.weightedScore).toBe(850n * M);
    expect(greedy.weightedScore).toBe(510n * M);
  });

  it('keeps an area out of the joint package so money earmarked to it can pay for it', async () => {
    // $60M unearmarked, $40M earmarked to drones. Rank 1 drones $40M, rank 2 artillery $60M.
    // The drones money may not join a package holding artillery: both are funded only with
    // rank 1 in a drones package on the drones money and rank 2 in the joint package.
    const items = [item(1, 'drones', 40n * M), item(2, 'artillery', 60n * M)];
    const funds = [fund('1', 60n * M), fund('2', 40n * M, ['drones'])];
    const { solved } = await both(items, funds, { targetMinor: 500n * M, toleranceMinor: 0n });
    expect(solved.items.map((i) => i.status)).toEqual(['funded', 'funded']);
    const drones = solved.packages.find((p) => p.areas.includes('drones'))!;
    expect(drones.allocations.map((a) => a.fundKey)).toEqual(['2']);
  });
});
