/**
 * A contribution's flow ("where each euro went", `GET /contributions/:id/flow`) on both engines,
 * on the delivery fixture (tests/analytics/delivery-support.ts) plus a disbursement of P6 and a
 * package P10 closed with a surplus: every figure worked out here by hand; the funders' shares of
 * a package add up to its disbursed amount and delivered value exactly; each package's three
 * parts add up to what the contribution holds there, and committed = Σ net allocated +
 * available; a contributor sees its own contributions in full and, for another donor's, the
 * delivered value of packages its party does not fund as redacted; access and unknown ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import {
  advanceShipment,
  closePackage,
  createShipment,
  recordReceipt,
} from '../../src/services/deliveries-service.js';
import {
  addPackageLine,
  allocateToPackage,
  authorizePackage,
  createPackage,
  disbursePackage,
  openPackage,
} from '../../src/services/packages-service.js';
import {
  buildDeliveryFixture,
  convert,
  system,
  type DeliveryFixture,
} from '../analytics/delivery-support.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

interface Outcome {
  deliveredMinor: string;
  disbursedNotDeliveredMinor: string;
  notDisbursedMinor: string;
}
type Restricted<T> = T | { redacted: true };
interface FlowPackage {
  package: {
    id: string;
    number: string;
    disbursedMinor: string;
    deliveredMinor: Restricted<string>;
    fundedMinor: string;
  };
  allocatedMinor: string;
  returnedMinor: string;
  netAllocatedMinor: string;
  fundedMinor: string;
  returnedPackageMinor: string;
  netFundedMinor: string;
  disbursedShareMinor: string;
  deliveredShareMinor: Restricted<string>;
  packageOutcome: Restricted<Outcome>;
  outcome: Restricted<Outcome>;
}
interface Flow {
  contribution: {
    committedMinor: string;
    availableMinor: string;
    allocatedMinor: string;
    paidMinor: string;
    currency: string;
  };
  complete: boolean;
  allocations: {
    id: string;
    status: string;
    packageId: string;
    amountMinor: string;
    packageAmountMinor: string;
    rate: string;
    rateDate: string;
    rateSource: string;
    returnedMinor: string;
  }[];
  packages: FlowPackage[];
  totals: {
    allocatedMinor: string;
    returnedMinor: string;
    netAllocatedMinor: string;
    availableMinor: string;
    outcome: Restricted<Outcome>;
  };
}

const big = (text: string) => BigInt(text);
const partsOf = (o: Outcome) =>
  big(o.deliveredMinor) + big(o.disbursedNotDeliveredMinor) + big(o.notDisbursedMinor);
function known<T>(value: Restricted<T>): T {
  if (typeof value === 'object' && value !== null && 'redacted' in value)
    throw new Error('unexpectedly redacted');
  return value;
}

/** Every sum the flow promises, checked on one answer. */
function expectAddsUp(flow: Flow): void {
  let net = 0n;
  for (const p of flow.packages) {
    expect(big(p.netAllocatedMinor)).toBe(big(p.allocatedMinor) - big(p.returnedMinor));
    expect(big(p.netFundedMinor)).toBe(big(p.fundedMinor) - big(p.returnedPackageMinor));
    if (!('redacted' in p.outcome)) {
      expect(partsOf(p.outcome)).toBe(big(p.netAllocatedMinor));
      expect(partsOf(known(p.packageOutcome))).toBe(big(p.netFundedMinor));
    }
    net += big(p.netAllocatedMinor);
  }
  expect(big(flow.totals.netAllocatedMinor)).toBe(net);
  expect(net + big(flow.totals.availableMinor)).toBe(big(flow.contribution.committedMinor));
  expect(big(flow.contribution.allocatedMinor)).toBe(net);
  if (!('redacted' in flow.totals.outcome)) {
    expect(partsOf(flow.totals.outcome)).toBe(net);
  }
}

describe.each(ENGINES)('a contribution’s flow on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let f: DeliveryFixture;
  let P10: bigint;

  const flowOf = async (id: bigint, actor = 'coordinator'): Promise<Flow> => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/contributions/${id}/flow`,
      headers: { 'x-purl-actor': actor },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Flow;
  };
  const packageIn = (flow: Flow, id: bigint) => {
    const found = flow.packages.find((p) => p.package.id === String(id));
    if (!found) throw new Error(`package ${id} not in the flow`);
    return found;
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    const database = t.database;
    f = await buildDeliveryFixture(database);
    // P6 (funded 580,000 by C2 and 920,000 by C3): 1,000,001 paid to the supplier.
    await disbursePackage(database, system, f.packages.P6.id, {
      amountMinor: 1_000_001n,
      paidOn: '2025-11-05',
    });
    // P10: one lot, funded EUR 500.00 by C2 (USD 580.00) and NOK 4,200.00 by C3 (USD 420.00),
    // re-priced to USD 900.01 at authorisation, received, paid, closed: a surplus of 99.99.
    let p = await createPackage(database, system, {
      cycle: '2025-06',
      title: 'Flow fixture (synthetic)',
      targetMinor: 100_000n,
      synthetic: true,
    });
    p = await addPackageLine(database, system, p.id, {
      requirementItemId: f.packages.P1.lines[0]!.requirementItemId,
      quantity: 1,
    });
    p = await openPackage(database, system, p.id);
    const on = '2025-09-30';
    await allocateToPackage(database, system, p.id, {
      contributionId: f.contributions.C2,
      amountMinor: 50_000n,
      valueDate: on,
    });
    p = await allocateToPackage(database, system, p.id, {
      contributionId: f.contributions.C3,
      amountMinor: 420_000n,
      valueDate: on,
    });
    p = await authorizePackage(database, system, p.id, {
      reference: 'AUTH-P10',
      authorizedOn: '2025-10-01',
      finalPriceMinor: 90_001n,
    });
    const withShipment = await createShipment(database, system, p.id, {
      reference: 'SHIP-P10',
      plannedOn: '2025-10-02',
      lines: [{ packageLineId: p.lines[0]!.id, quantity: 1 }],
    });
    const shipment = withShipment.shipments.at(-1)!;
    await advanceShipment(database, system, shipment.id, {
      status: 'dispatched',
      on: '2025-10-02',
    });
    await recordReceipt(database, system, shipment.id, {
      receivedOn: '2025-10-12',
      lines: [{ packageLineId: p.lines[0]!.id, receivedQuantity: 1 }],
    });
    await disbursePackage(database, system, p.id, { amountMinor: 90_001n, paidOn: '2025-10-20' });
    await closePackage(database, system, p.id);
    P10 = p.id;
    app = await buildApp({ database, devActors: true });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('C1: its allocations, what reached each package, and the three parts of each, by hand', async () => {
    const flow = await flowOf(f.contributions.C1);
    expectAddsUp(flow);
    expect(flow.complete).toBe(true);
    // P9 was cancelled: its allocation is listed, voided, and no package holds its money.
    const voided = flow.allocations.filter((a) => a.status === 'voided');
    expect(voided.map((a) => a.packageId)).toEqual([String(f.packages.P9.id)]);
    expect(flow.packages.map((p) => p.package.number)).toEqual(
      ['P1', 'P2', 'P3', 'P4', 'P5', 'P7'].map((k) => f.packages[k as 'P1'].number),
    );
    // 200,000.00 committed; 1+2+3+4+5 million and 200,000 allocated; the rest available.
    expect(flow.contribution.committedMinor).toBe('20000000');
    expect(flow.totals.netAllocatedMinor).toBe('15200000');
    expect(flow.totals.availableMinor).toBe('4800000');
    // P1: paid to the supplier and delivered in full (10 lots of 100,000).
    expect(known(packageIn(flow, f.packages.P1.id).outcome)).toEqual({
      deliveredMinor: '1000000',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '0',
    });
    // P2: 18 good lots delivered (2 damaged), nothing paid yet: 200,000 neither.
    const p2 = packageIn(flow, f.packages.P2.id);
    expect(p2.deliveredShareMinor).toBe('1800000');
    expect(p2.disbursedShareMinor).toBe('0');
    expect(known(p2.outcome)).toEqual({
      deliveredMinor: '1800000',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '200000',
    });
    // P5: pending, nothing disbursed or delivered.
    expect(known(packageIn(flow, f.packages.P5.id).outcome)).toEqual({
      deliveredMinor: '0',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '5000000',
    });
    expect(known(flow.totals.outcome)).toEqual({
      deliveredMinor: '2800000',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '12400000',
    });
  });

  it('a joint package: the funders’ shares of disbursed and delivered add up to the package’s, by largest remainder', async () => {
    const [c2, c3] = [await flowOf(f.contributions.C2), await flowOf(f.contributions.C3)];
    const [a, b] = [packageIn(c2, f.packages.P6.id), packageIn(c3, f.packages.P6.id)];
    // Weights 580,000 : 920,000. Disbursed 1,000,001 → 386,667.05… and 613,333.94…: the one
    // unit left goes to the larger remainder (C3).
    expect([a.disbursedShareMinor, b.disbursedShareMinor]).toEqual(['386667', '613334']);
    expect(big(a.disbursedShareMinor) + big(b.disbursedShareMinor)).toBe(
      big(a.package.disbursedMinor),
    );
    // Delivered: B 1,000,000 → 386,667 / 613,333 (remainders .67 / .33); A 300,000 → 116,000 /
    // 184,000 — as the follow-up analysis splits them.
    expect([a.deliveredShareMinor, b.deliveredShareMinor]).toEqual(['502667', '797333']);
    expect(a.package.deliveredMinor).toBe('1300000');
    expect(big(known(a.deliveredShareMinor)) + big(known(b.deliveredShareMinor))).toBe(
      big(known(a.package.deliveredMinor)),
    );
    // C2 holds 580,000 in P6: 502,667 delivered (more than its 386,667 disbursed), 77,333 neither.
    expect(known(a.packageOutcome)).toEqual({
      deliveredMinor: '502667',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '77333',
    });
    // In euros, its 500,000 split 502,667 : 77,333 → 433,333.62… and 66,666.37…: 433,334 + 66,666.
    expect(known(a.outcome)).toEqual({
      deliveredMinor: '433334',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '66666',
    });
    // The allocation as recorded: EUR 5,000.00 → USD 5,800.00 at the rate of its value date.
    const allocation = c2.allocations.find((x) => x.packageId === String(f.packages.P6.id))!;
    expect(allocation).toMatchObject({
      amountMinor: '500000',
      packageAmountMinor: '580000',
      rateDate: '2025-09-30',
    });
    expect(allocation.rate).toMatch(/^1\.16/);
    expect(allocation.rateSource.length).toBeGreaterThan(0);
    expectAddsUp(c2);
    expectAddsUp(c3);
  });

  it('a package closed with a surplus: what came back is net of what the contribution holds, and it all adds up', async () => {
    const [c2, c3] = [await flowOf(f.contributions.C2), await flowOf(f.contributions.C3)];
    const [a, b] = [packageIn(c2, P10), packageIn(c3, P10)];
    // Surplus 9,999 split 58,000 : 42,000 → 5,799.42 / 4,199.58: C3 takes the leftover unit.
    expect([a.returnedPackageMinor, b.returnedPackageMinor]).toEqual(['5799', '4200']);
    // Back in each currency at the allocation's own rates (worked out by delivery-support).
    expect(a.returnedMinor).toBe(String(convert(5_799n, 'USD', 'EUR', '2025-09-30')));
    expect(b.returnedMinor).toBe(String(convert(4_200n, 'USD', 'NOK', '2025-09-30')));
    // Disbursed 90,001 → 52,200.58 / 37,800.42: C2 the leftover; delivered 100,000 → 58,000 /
    // 42,000, capped at what each still holds.
    expect([a.disbursedShareMinor, b.disbursedShareMinor]).toEqual(['52201', '37800']);
    expect(known(a.packageOutcome)).toEqual({
      deliveredMinor: '52201',
      disbursedNotDeliveredMinor: '0',
      notDisbursedMinor: '0',
    });
    expect(known(a.outcome).deliveredMinor).toBe(a.netAllocatedMinor);
    expect(c2.contribution.availableMinor).toBe(
      String(1_000_000n - 500_000n - 50_000n + big(a.returnedMinor)),
    );
    expectAddsUp(c2);
    expectAddsUp(c3);
  });

  it('a contributor: its own contributions in full; another donor’s delivered values only where its party funds the package', async () => {
    const own = await flowOf(f.contributions.C2, 'contributor:NLD');
    expect(own.complete).toBe(true);
    expect(own).toEqual(await flowOf(f.contributions.C2));

    // DEU funds nothing: amounts, allocations and disbursed shares, but no delivered value.
    const other = await flowOf(f.contributions.C2, 'contributor:DEU');
    expect(other.complete).toBe(false);
    expect(other.allocations).toEqual(own.allocations);
    for (const p of other.packages) {
      expect(p.deliveredShareMinor).toEqual({ redacted: true });
      expect(p.package.deliveredMinor).toEqual({ redacted: true });
      expect(p.outcome).toEqual({ redacted: true });
      expect(p.packageOutcome).toEqual({ redacted: true });
      expect(p.disbursedShareMinor).toBe(packageIn(own, BigInt(p.package.id)).disbursedShareMinor);
    }
    expect(other.totals.outcome).toEqual({ redacted: true });
    expectAddsUp(other);

    // NOR co-funds P6 and P10 with C3: it sees C2's delivered values there.
    const cofunder = await flowOf(f.contributions.C2, 'contributor:NOR');
    expect(cofunder.complete).toBe(true);
    expect(cofunder.packages).toEqual(own.packages);
  });

  it('a pledge has no flow yet; an unknown id is 404, an admin 403, no one 401', async () => {
    const pledge = await flowOf(f.contributions.C4, 'auditor');
    expect(pledge.allocations).toEqual([]);
    expect(pledge.packages).toEqual([]);
    expect(pledge.totals).toMatchObject({ netAllocatedMinor: '0', availableMinor: '0' });
    const call = (id: string, actor?: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/contributions/${id}/flow`,
        headers: actor ? { 'x-purl-actor': actor } : {},
      });
    const missing = await call('999999', 'coordinator');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'id' } });
    expect((await call(String(f.contributions.C1), 'admin')).statusCode).toBe(403);
    expect((await call(String(f.contributions.C1))).statusCode).toBe(401);
  });
});
