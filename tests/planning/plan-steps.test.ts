/**
 * The allocation planner keeps to how each item is stored to be split into packages, through the
 * API on both engines: an item packaged in steps is planned in multiples of its step, a
 * whole-only item all or nothing — and the accepted plan's lines pass the package line rule.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { stopSolver } from '../../src/services/planner-solver.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { approveByAllParties, inProcessApi } from '../support/api.js';

const system = systemActor('test');
const M = 100_000_000n; // $1M in cents
const STEP = 30;

interface PlanItem {
  requirementItemId: string;
  remainingQuantity: number;
  plannedQuantity: number;
  status: string;
}
interface Plan {
  fingerprint: string;
  packages: {
    lines: { requirementItemId: string; quantity: number }[];
    allocations: { contributionId: string | null; amountMinor: string }[];
  }[];
  items: PlanItem[];
}

describe.each(ENGINES)('the planner and stored packaging rules on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  let shells: string;
  let radars: string;

  const api = inProcessApi(() => app);
  const { ok } = api;
  const usd = (amountMinor: bigint) => ({ amountMinor: String(amountMinor), currency: 'USD' });
  const give = async (donor: string, amountMinor: bigint) => {
    const c = await ok('POST', '/contributions', `contributor:${donor}`, {
      donorPartyId: donor,
      currency: 'USD',
      amountMinor: String(amountMinor),
      announcedOn: '2025-08-04',
      title: `${donor} (synthetic)`,
    });
    await ok('POST', `/contributions/${c.id}/commit`, `contributor:${donor}`, {
      committedOn: '2025-08-04',
    });
  };
  const request = { scenarios: [{ targetMinor: String(300n * M) }] };
  const plan = async () =>
    ((await ok('POST', '/plans', 'coordinator', request)) as { scenarios: Plan[] }).scenarios[0]!;
  const planned = (p: Plan, id: string) => p.items.find((i) => i.requirementItemId === id)!;
  const lineQuantities = (p: Plan, id: string) =>
    p.packages
      .flatMap((k) => k.lines)
      .filter((l) => l.requirementItemId === id)
      .map((l) => l.quantity);

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    dir = await mkdtemp(join(tmpdir(), 'purl-plan-steps-'));
    await writeFile(join(dir, 'rates.csv'), 'Date,USD,\n2025-08-04,1.1578,\n');
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'August 2025 (synthetic)',
      synthetic: true,
    });
    const add = async (payload: object) =>
      (await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', payload)).id as string;
    // Rank 1: four radars, funded whole or not at all ($200M).
    radars = await add({
      capabilityArea: 'air_missile_defence',
      category: 'radars',
      lethal: false,
      requestedQuantity: 4,
      unit: 'systems',
      estimatedUnitCost: usd(50n * M),
      wholeOnly: true,
    });
    // Rank 2: 100 lots of shells at $1M, packaged in steps of 30 lots.
    shells = await add({
      capabilityArea: 'artillery',
      category: 'shells',
      lethal: true,
      requestedQuantity: 100,
      unit: 'lots',
      estimatedUnitCost: usd(1n * M),
      quantityStep: STEP,
    });
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    await approveByAllParties(api, list.id);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await stopSolver();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans a stepped item in multiples of its step, and a whole-only item all or nothing', async () => {
    // $150M: three of the four radars would fit, but they go whole or not at all; the shells
    // take 90 lots (3 steps), not the 100 the money could buy.
    await give('DNK', 150n * M);
    const poor = await plan();
    expect(planned(poor, radars)).toMatchObject({ plannedQuantity: 0, status: 'not_funded' });
    expect(lineQuantities(poor, radars)).toEqual([]);
    expect(planned(poor, shells).plannedQuantity).toBe(3 * STEP);
    for (const q of lineQuantities(poor, shells)) expect(q % STEP).toBe(0);

    // $250M: the radars whole ($200M), then one step of shells ($30M) — never 50 lots.
    await give('NLD', 100n * M);
    const richer = await plan();
    expect(planned(richer, radars).plannedQuantity).toBe(4);
    expect(lineQuantities(richer, radars)).toEqual([4]);
    expect(planned(richer, shells).plannedQuantity).toBe(STEP);
    for (const q of lineQuantities(richer, shells)) expect(q % STEP).toBe(0);

    // Accepted, its lines pass the package line rule (steps, whole only).
    const accepted = await ok('POST', '/plans/accept', 'coordinator', {
      scenario: request.scenarios[0],
      fingerprint: richer.fingerprint,
      packages: richer.packages.map((p) => ({
        lines: p.lines.map((l) => ({
          requirementItemId: l.requirementItemId,
          quantity: l.quantity,
        })),
        allocations: p.allocations.map((a) => ({
          contributionId: a.contributionId!,
          amountMinor: a.amountMinor,
        })),
      })),
    });
    const lines = (
      await Promise.all(
        (accepted.packages as { id: string }[]).map((p) =>
          ok('GET', `/packages/${p.id}`, 'coordinator'),
        ),
      )
    ).flatMap((p: { lines: { requirementItemId: string; quantity: number }[] }) => p.lines);
    expect(lines.filter((l) => l.requirementItemId === radars).map((l) => l.quantity)).toEqual([4]);
    expect(
      lines.filter((l) => l.requirementItemId === shells).reduce((n, l) => n + l.quantity, 0),
    ).toBe(STEP);
  });
});
