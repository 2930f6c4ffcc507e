/**
 * The allocation planner through the API, on both engines: an approved list with items in three
 * areas, money in USD and EUR (one contribution earmarked to artillery, one donor funding alone)
 * → `POST /plans` proposes packages that respect every earmark, whose money adds up exactly,
 * with reasons for each item; a what-if beside it (a hypothetical pledge, a price change, a
 * larger target) writes nothing; accepting makes the packages through the package services
 * (funded, allocations pending), refuses a stale plan, and leaves the ledger and audit chain
 * verified.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { stopSolver } from '../../src/services/planner-solver.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { approveByAllParties, inProcessApi } from '../support/api.js';

const system = systemActor('test');
const RATES = 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n';
const M = 100_000_000n; // $1M in cents

interface PlanBody {
  asOf: string;
  scenarios: {
    fingerprint: string;
    whatIf: boolean;
    plannedValueMinor: string;
    solver: { optimal: boolean; status: string };
    packages: {
      kind: string;
      areas: string[];
      donorPartyId: string | null;
      valueMinor: string;
      fundedMinor: string;
      roundingMinor: string;
      lines: { requirementItemId: string; quantity: number; valueMinor: string }[];
      allocations: {
        fundKey: string;
        contributionId: string | null;
        currency: string;
        amountMinor: string;
        usdMinor: string;
      }[];
    }[];
    items: { requirementItemId: string; status: string; reason: string | null }[];
    funds: {
      fundKey: string;
      currency: string;
      availableMinor: string;
      plannedMinor: string;
      leftMinor: string;
      earmarkAreas: string[];
    }[];
    currencies: {
      currency: string;
      availableMinor: string;
      plannedMinor: string;
      leftMinor: string;
    }[];
    nextMoney: { capabilityArea: string; next: { extraMinor: string }[] }[];
    binding: { kind: string }[];
  }[];
  comparison: { plannedValueDeltaMinor: string; items: unknown[] } | null;
}

describe.each(ENGINES)('the allocation planner on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  const items: Record<string, string> = {};
  const contributions: Record<string, string> = {};

  const api = inProcessApi(() => app);
  const { call, ok } = api;
  const usd = (amountMinor: bigint) => ({ amountMinor: String(amountMinor), currency: 'USD' });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    dir = await mkdtemp(join(tmpdir(), 'purl-plans-'));
    await writeFile(join(dir, 'rates.csv'), RATES);
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'August 2025 (synthetic)',
      synthetic: true,
    });
    const add = async (key: string, capabilityArea: string, quantity: number, unitCost: bigint) => {
      items[key] = (
        await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
          capabilityArea,
          category: key,
          lethal: true,
          requestedQuantity: quantity,
          unit: 'units',
          estimatedUnitCost: usd(unitCost),
        })
      ).id;
    };
    await add('interceptors', 'air_missile_defence', 10, 20n * M); // $200M, rank 1
    await add('shells', 'artillery', 100, 1n * M); // $100M, rank 2
    await add('radars', 'air_missile_defence', 4, 50n * M); // $200M, rank 3
    await add('boats', 'maritime', 2, 30n * M); // $60M, rank 4: nobody can pay for maritime? (yes: unearmarked money can)
    await add('giant', 'armour', 1, 900n * M); // $900M: above any package
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    await approveByAllParties(api, list.id);
    const give = async (
      key: string,
      donor: string,
      currency: string,
      amountMinor: bigint,
      earmarkAreas?: string[],
      fundsPackageAlone?: boolean,
    ) => {
      const c = await ok('POST', '/contributions', `contributor:${donor}`, {
        donorPartyId: donor,
        currency,
        amountMinor: String(amountMinor),
        announcedOn: '2025-08-04',
        title: `${key} (synthetic)`,
        ...(earmarkAreas ? { earmarkAreas } : {}),
        ...(fundsPackageAlone ? { fundsPackageAlone } : {}),
      });
      await ok('POST', `/contributions/${c.id}/commit`, `contributor:${donor}`, {
        committedOn: '2025-08-04',
      });
      contributions[key] = c.id;
    };
    await give('nld', 'NLD', 'EUR', 150n * M); // €150M ≈ $173.67M
    await give('dnk', 'DNK', 'USD', 180n * M);
    await give('pol-artillery', 'POL', 'USD', 60n * M, ['artillery']);
    // Norway asked at pledging; the preference is stored with the contribution.
    await give('nor-alone', 'NOR', 'USD', 100n * M, undefined, true);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await stopSolver();
    await rm(dir, { recursive: true, force: true });
  });

  const request = {
    scenarios: [{ targetMinor: String(300n * M) }],
  };

  it('proposes packages that keep every earmark and add up exactly, with a reason for each item', async () => {
    const denied = await call('POST', '/plans', 'contributor:NLD', request);
    expect(denied.status).toBe(403);
    const body = (await ok('POST', '/plans', 'coordinator', request)) as PlanBody;
    expect(body.asOf).toBe('2025-08-04');
    const [plan] = body.scenarios;
    expect(plan!.solver.optimal).toBe(true);
    const funds = new Map(plan!.funds.map((f) => [f.fundKey, f]));
    for (const p of plan!.packages) {
      // Value = Σ lines; funded = Σ allocations' US values = value + rounding (< 1 EUR cent).
      const value = p.lines.reduce((n, l) => n + BigInt(l.valueMinor), 0n);
      expect(BigInt(p.valueMinor)).toBe(value);
      const funded = p.allocations.reduce((n, a) => n + BigInt(a.usdMinor), 0n);
      expect(BigInt(p.fundedMinor)).toBe(funded);
      expect(funded - value).toBe(BigInt(p.roundingMinor));
      expect(BigInt(p.roundingMinor)).toBeGreaterThanOrEqual(0n);
      expect(BigInt(p.roundingMinor)).toBeLessThan(2n);
      expect(value).toBeLessThanOrEqual(330n * M);
      for (const a of p.allocations) {
        const earmark = funds.get(a.fundKey)!.earmarkAreas;
        if (earmark.length > 0) for (const area of p.areas) expect(earmark).toContain(area);
        if (a.contributionId === contributions['nor-alone']) {
          expect(p.kind).toBe('sole');
          expect(p.allocations).toHaveLength(1);
        }
      }
    }
    // Money per contribution and per currency adds up.
    for (const f of plan!.funds) {
      const allocated = plan!.packages
        .flatMap((p) => p.allocations)
        .filter((a) => a.fundKey === f.fundKey)
        .reduce((n, a) => n + BigInt(a.amountMinor), 0n);
      expect(BigInt(f.plannedMinor)).toBe(allocated);
      expect(BigInt(f.leftMinor)).toBe(BigInt(f.availableMinor) - allocated);
      expect(allocated).toBeLessThanOrEqual(BigInt(f.availableMinor));
    }
    for (const c of plan!.currencies) {
      const own = plan!.funds.filter((f) => f.currency === c.currency);
      expect(BigInt(c.plannedMinor)).toBe(own.reduce((n, f) => n + BigInt(f.plannedMinor), 0n));
    }
    const reason = (key: string) => plan!.items.find((i) => i.requirementItemId === items[key]);
    expect(reason('interceptors')!.status).toBe('funded');
    expect(reason('giant')!.reason).toBe('too_large_for_room');
    // The artillery money funds shells in a package of artillery only.
    const artillery = plan!.packages.find((p) =>
      p.allocations.some((a) => a.contributionId === contributions['pol-artillery']),
    );
    expect(artillery?.areas).toEqual(['artillery']);
    expect(plan!.nextMoney.length).toBeGreaterThan(0);
    // A preference can change after pledging, and is audited like any command.
    const changed = await ok(
      'POST',
      `/contributions/${contributions['pol-artillery']}/package-preference`,
      'contributor:POL',
      { fundsPackageAlone: true },
    );
    expect(changed.fundsPackageAlone).toBe(true);
    const other = await call(
      'POST',
      `/contributions/${contributions['pol-artillery']}/package-preference`,
      'contributor:NLD',
      { fundsPackageAlone: false },
    );
    expect(other.status).toBe(403);
    const polAlone = (await ok('POST', '/plans', 'coordinator', request)) as PlanBody;
    const pol = polAlone.scenarios[0]!.packages.find((p) =>
      p.allocations.some((a) => a.contributionId === contributions['pol-artillery']),
    );
    expect(pol?.kind).toBe('sole');
    await ok(
      'POST',
      `/contributions/${contributions['pol-artillery']}/package-preference`,
      'contributor:POL',
      {
        fundsPackageAlone: false,
      },
    );
  });

  it('compares a what-if side by side without writing anything', async () => {
    const before = await ok('GET', '/packages', 'coordinator');
    const body = (await ok('POST', '/plans', 'coordinator', {
      scenarios: [
        request.scenarios[0],
        {
          ...request.scenarios[0],
          name: 'more money, dearer shells',
          targetMinor: String(1_000n * M),
          hypotheticalPledges: [
            { donorPartyId: 'DEU', currency: 'EUR', amountMinor: String(900n * M) },
          ],
          priceChanges: [{ capabilityArea: 'artillery', changePercent: 10 }],
          donorsFundingAlone: ['DNK'],
        },
      ],
    })) as PlanBody;
    expect(body.scenarios).toHaveLength(2);
    expect(body.scenarios[1]!.whatIf).toBe(true);
    expect(body.comparison).not.toBeNull();
    expect(BigInt(body.comparison!.plannedValueDeltaMinor)).toBeGreaterThan(0n);
    const giant = body.scenarios[1]!.items.find((i) => i.requirementItemId === items['giant']);
    expect(giant!.status).toBe('funded');
    // Denmark asked, in the what-if only, to fund alone: its money has a package of its own.
    for (const [n, s] of body.scenarios.entries()) {
      const dnk = s.packages.filter((p) =>
        p.allocations.some((a) => a.contributionId === contributions['dnk']),
      );
      for (const p of dnk) {
        if (n === 1) expect(p.donorPartyId).toBe('DNK');
        if (n === 1)
          expect(p.allocations.every((a) => a.contributionId === contributions['dnk'])).toBe(true);
        if (n === 0) expect(p.kind).not.toBe('sole');
      }
    }
    const after = await ok('GET', '/packages', 'coordinator');
    expect(after.items).toHaveLength(before.items.length);
    // A what-if cannot be accepted.
    const refused = await call('POST', '/plans/accept', 'coordinator', {
      scenario: body.scenarios[1] && {
        hypotheticalPledges: [
          { donorPartyId: 'DEU', currency: 'EUR', amountMinor: String(900n * M) },
        ],
      },
      fingerprint: body.scenarios[1]!.fingerprint,
    });
    expect(refused.body.error.code).toBe('PLAN_NOT_ACCEPTABLE');
  });

  it('accepts the reviewed plan as funded packages; a stale plan is refused', async () => {
    const body = (await ok('POST', '/plans', 'coordinator', request)) as PlanBody;
    const plan = body.scenarios[0]!;
    const stale = await call('POST', '/plans/accept', 'coordinator', {
      scenario: request.scenarios[0],
      fingerprint: '0'.repeat(64),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('PLAN_STALE');
    // The packages as shown, with the fingerprint: a forged quantity is refused as stale.
    const shown = plan.packages.map((p) => ({
      lines: p.lines.map((l) => ({ requirementItemId: l.requirementItemId, quantity: l.quantity })),
      allocations: p.allocations.map((a) => ({
        contributionId: a.contributionId!,
        amountMinor: a.amountMinor,
      })),
    }));
    const forged = structuredClone(shown);
    forged[0]!.lines[0]!.quantity += 1;
    const refusedForged = await call('POST', '/plans/accept', 'coordinator', {
      scenario: request.scenarios[0],
      fingerprint: plan.fingerprint,
      packages: forged,
    });
    expect(refusedForged.body.error.code).toBe('PLAN_STALE');
    const accepted = await ok('POST', '/plans/accept', 'coordinator', {
      scenario: request.scenarios[0],
      fingerprint: plan.fingerprint,
      packages: shown,
    });
    expect(accepted.packages).toHaveLength(plan.packages.length);
    for (const [i, p] of accepted.packages.entries()) {
      expect(p.status).toBe('funded');
      expect(p.priceMinor).toBe(plan.packages[i]!.valueMinor);
      expect(p.fundedMinor).toBe(plan.packages[i]!.fundedMinor);
      const detail = await ok('GET', `/packages/${p.id}`, 'coordinator');
      expect(detail.allocations.every((a: { status: string }) => a.status === 'pending')).toBe(
        true,
      );
    }
    // The same fingerprint again: the money is now allocated, so the plan is stale.
    const again = await call('POST', '/plans/accept', 'coordinator', {
      scenario: request.scenarios[0],
      fingerprint: plan.fingerprint,
    });
    expect(again.body.error.code).toBe('PLAN_STALE');
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });

  it('two coordinators accepting the same plan at once: one gets the packages, the other PLAN_STALE with its packages undone', async () => {
    // Fresh money for a fresh plan (everything before is allocated now).
    const c = await ok('POST', '/contributions', 'contributor:NLD', {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: String(50n * M),
      announcedOn: '2025-08-04',
      title: 'race (synthetic)',
    });
    await ok('POST', `/contributions/${c.id}/commit`, 'contributor:NLD', {
      committedOn: '2025-08-04',
    });
    const body = (await ok('POST', '/plans', 'coordinator', request)) as PlanBody;
    const plan = body.scenarios[0]!;
    expect(plan.packages.length).toBeGreaterThan(0);
    const ids = async () =>
      (await ok('GET', '/packages?limit=200', 'coordinator')).items as {
        id: string;
        status: string;
      }[];
    const before = Math.max(0, ...(await ids()).map((p) => Number(p.id)));
    const accept = () =>
      call('POST', '/plans/accept', 'coordinator', {
        scenario: request.scenarios[0],
        fingerprint: plan.fingerprint,
      });
    const answers = await Promise.all([accept(), accept()]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.error.code).toBe('PLAN_STALE');
    const made = (await ids()).filter((p) => Number(p.id) > before);
    // The loser made at least its first package before the refusal, and cancelled it.
    expect(made.length).toBeGreaterThan(plan.packages.length);
    const live = made.filter((p) => p.status !== 'cancelled');
    expect(live).toHaveLength(plan.packages.length);
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });
});
