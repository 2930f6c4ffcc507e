/**
 * The money chain through the API, on both engines: an approved requirement list → a package
 * composed of its items → two donors commit in different currencies (EUR, NOK) → allocations
 * converted to USD at recorded ECB rates → funded → authorised at a new (lower) price, the holds
 * posted → disbursed; a re-price above the funding re-opens the gap; a cancellation voids the
 * holds. Afterwards `ledger verify` and `audit verify` pass and the figures equal amounts worked
 * out here by hand.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { getAccountByReference, verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { approveByAllParties, inProcessApi } from '../support/api.js';

const system = systemActor('test');
// ECB-format rates (units per EUR) for the value date used below.
const RATES = 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n';

/** Half-to-even division of non-negative bigints, worked out independently of src/core/fx.ts. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const r2 = (numerator % denominator) * 2n;
  if (r2 > denominator || (r2 === denominator && q % 2n === 1n)) return q + 1n;
  return q;
}

describe.each(ENGINES)('the package money chain on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  let itemA: string;
  let itemB: string;

  const api = inProcessApi(() => app);
  const { call, ok } = api;
  const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    dir = await mkdtemp(join(tmpdir(), 'purl-chain-'));
    await writeFile(join(dir, 'rates.csv'), RATES);
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });

    // Ukraine's list for the cycle, validated (item A cut from 100 to 80) and approved by all three.
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'August 2025 (synthetic)',
      synthetic: true,
    });
    itemA = (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'artillery',
        category: '155mm artillery ammunition',
        lethal: true,
        requestedQuantity: 100,
        unit: 'lots',
        estimatedUnitCost: usd('100000000'), // $1,000,000.00 a lot
      })
    ).id;
    itemB = (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'air_missile_defence',
        category: 'air defence interceptors',
        lethal: true,
        requestedQuantity: 10,
        unit: 'units',
        estimatedUnitCost: usd('2000000000'), // $20,000,000.00 a unit
      })
    ).id;
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok(
      'PATCH',
      `/requirement-lists/${list.id}/items/${itemA}/approved-quantity`,
      'validator',
      { approvedQuantity: 80 },
    );
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    await approveByAllParties(api, list.id);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('composes, funds from EUR and NOK, authorises at a new price and disburses — every figure by hand', async () => {
    const pkg = await ok('POST', '/packages', 'coordinator', {
      cycle: '2025-08',
      title: 'Artillery and air defence (synthetic)',
      targetMinor: '50000000000',
      synthetic: true,
    });
    expect(pkg.number).toBe('PURL-001');
    const over = await call('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: itemA,
      quantity: 81,
    });
    expect(over.status).toBe(400); // only 80 approved
    await ok('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: itemA,
      quantity: 80,
    });
    const composed = await ok('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: itemB,
      quantity: 10,
    });
    // 80 × $1,000,000.00 + 10 × $20,000,000.00 = $280,000,000.00
    const price = 80n * 100_000_000n + 10n * 2_000_000_000n;
    expect(composed.priceMinor).toBe(price.toString());
    const early = await call('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: '1',
      amountMinor: '1',
      valueDate: '2025-08-04',
    });
    expect(early.body.error.code).toBe('PACKAGE_NOT_OPEN');
    await ok('POST', `/packages/${pkg.id}/open`, 'coordinator', {});

    // Two donors, two currencies.
    const nld = await ok('POST', '/contributions', 'contributor:NLD', {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '15000000000',
      announcedOn: '2025-08-04',
      title: 'NLD for PURL-001',
    });
    const nor = await ok('POST', '/contributions', 'contributor:NOR', {
      donorPartyId: 'NOR',
      currency: 'NOK',
      amountMinor: '200000000000',
      announcedOn: '2025-08-04',
      title: 'NOR for PURL-001',
    });
    const pledgeOnly = await call('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nld.id,
      amountMinor: '100',
      valueDate: '2025-08-04',
    });
    expect(pledgeOnly.body.error.code).toBe('CONTRIBUTION_NOT_COMMITTED');
    await ok('POST', `/contributions/${nld.id}/commit`, 'contributor:NLD', {
      committedOn: '2025-08-04',
    });
    await ok('POST', `/contributions/${nor.id}/commit`, 'contributor:NOR', {
      committedOn: '2025-08-04',
    });

    // €150,000,000.00 × 1.1578 = $173,670,000.00 exactly.
    const afterNld = await ok('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nld.id,
      amountMinor: '15000000000',
      valueDate: '2025-08-04',
    });
    const nldUsd = (15_000_000_000n * 11_578n) / 10_000n;
    expect(afterNld.fundedMinor).toBe(nldUsd.toString());
    expect(afterNld.allocations[0]).toMatchObject({
      status: 'pending',
      currency: 'EUR',
      packageAmountMinor: nldUsd.toString(),
      rateDate: '2025-08-04',
      toRatePerEur: '1.1578',
    });

    // NOK fills the gap: øre × 1.1578 / 11.8590 = øre × 11578 / 118590 cents.
    const gap = price - nldUsd;
    const tooMuch = await call('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nor.id,
      amountMinor: (gap * 11n).toString(),
      valueDate: '2025-08-04',
    });
    expect(tooMuch.status).toBe(400);
    const ore = (gap * 118_590n + 11_577n) / 11_578n; // the smallest amount that covers the gap
    const norUsd = roundHalfEven(ore * 11_578n, 118_590n);
    expect(norUsd >= gap).toBe(true);
    const funded = await ok('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nor.id,
      amountMinor: ore.toString(),
      valueDate: '2025-08-04',
    });
    expect(funded).toMatchObject({
      status: 'funded',
      fundedMinor: (nldUsd + norUsd).toString(),
      gapMinor: '0',
    });
    const closedToMore = await call('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: nor.id,
      amountMinor: '100',
      valueDate: '2025-08-04',
    });
    expect(closedToMore.body.error.code).toBe('PACKAGE_NOT_OPEN');

    // The holds are pending on the ledger: the contribution's money is reserved, not moved.
    const nldAvailable = await getAccountByReference(
      t.database,
      system,
      `contribution:${nld.id}:available`,
    );
    expect(nldAvailable.debitsPendingMinor).toBe(15_000_000_000n);
    const funding = await getAccountByReference(t.database, system, `package:${pkg.id}:funding`);
    expect(funding.creditsPendingMinor).toBe(nldUsd + norUsd);

    // Only the supplier authorises; at $279,000,000.00 the holds are posted and $1M (+ rounding) is surplus.
    expect(
      (
        await call('POST', `/packages/${pkg.id}/authorize`, 'coordinator', {
          reference: 'X',
          authorizedOn: '2025-08-20',
        })
      ).status,
    ).toBe(403);
    const finalPrice = 27_900_000_000n;
    const authorized = await ok('POST', `/packages/${pkg.id}/authorize`, 'supplier', {
      reference: 'US-AUTH-2025-001',
      authorizedOn: '2025-08-20',
      finalPriceMinor: finalPrice.toString(),
    });
    expect(authorized).toMatchObject({
      status: 'authorized',
      priceMinor: finalPrice.toString(),
      surplusMinor: (nldUsd + norUsd - finalPrice).toString(),
    });
    expect(authorized.allocations.every((a: { status: string }) => a.status === 'posted')).toBe(
      true,
    );
    const fundingAfter = await getAccountByReference(
      t.database,
      system,
      `package:${pkg.id}:funding`,
    );
    expect([fundingAfter.creditsPendingMinor, fundingAfter.creditsPostedMinor]).toEqual([
      0n,
      nldUsd + norUsd,
    ]);

    // Disbursement: never beyond the price.
    const tooFar = await call('POST', `/packages/${pkg.id}/disbursements`, 'coordinator', {
      amountMinor: (finalPrice + 1n).toString(),
      paidOn: '2025-09-01',
    });
    expect(tooFar.status).toBe(400);
    const paid = await ok('POST', `/packages/${pkg.id}/disbursements`, 'coordinator', {
      amountMinor: finalPrice.toString(),
      paidOn: '2025-09-01',
    });
    expect(paid.disbursedMinor).toBe(finalPrice.toString());
    const supplier = await getAccountByReference(t.database, system, 'supplier:USA:USD:paid');
    expect(supplier.creditsPostedMinor).toBe(finalPrice);

    // The contributions show what was allocated.
    const norAfter = await ok('GET', `/contributions/${nor.id}`, 'contributor:NOR');
    expect(norAfter).toMatchObject({
      allocatedMinor: ore.toString(),
      availableMinor: (200_000_000_000n - ore).toString(),
    });

    // Shipped (status and dates only), received with one discrepancy, delivered, closed.
    const [lineA, lineB] = composed.lines.map((l: { id: string }) => l.id);
    expect(
      (
        await call('POST', `/packages/${pkg.id}/shipments`, 'coordinator', {
          reference: 'SHIP-1',
          plannedOn: '2025-09-05',
          lines: [],
        })
      ).status,
    ).toBe(403); // only the supplier ships
    const planned = await call('POST', `/packages/${pkg.id}/shipments`, 'supplier', {
      reference: 'SHIP-1',
      plannedOn: '2025-09-05',
      lines: [
        { packageLineId: lineA, quantity: 80 },
        { packageLineId: lineB, quantity: 10 },
      ],
    });
    expect(planned.status).toBe(201);
    const shipmentId = planned.body.shipments[0].id;
    const tooEarly = await call('POST', `/shipments/${shipmentId}/receipt`, 'recipient', {
      receivedOn: '2025-09-06',
      lines: [
        { packageLineId: lineA, receivedQuantity: 80 },
        { packageLineId: lineB, receivedQuantity: 10 },
      ],
    });
    expect(tooEarly.body.error.code).toBe('INVALID_TRANSITION'); // not dispatched yet
    await ok('POST', `/shipments/${shipmentId}/status`, 'supplier', {
      status: 'dispatched',
      on: '2025-09-08',
    });
    expect((await ok('GET', `/packages/${pkg.id}`, 'coordinator')).status).toBe('in_delivery');
    const backwards = await call('POST', `/shipments/${shipmentId}/status`, 'supplier', {
      status: 'dispatched',
      on: '2025-09-09',
    });
    expect(backwards.body.error.code).toBe('INVALID_TRANSITION');
    await ok('POST', `/shipments/${shipmentId}/status`, 'supplier', {
      status: 'handed_over',
      on: '2025-09-12',
    });
    const unexplained = await call('POST', `/shipments/${shipmentId}/receipt`, 'recipient', {
      receivedOn: '2025-09-13',
      lines: [
        { packageLineId: lineA, receivedQuantity: 78 },
        { packageLineId: lineB, receivedQuantity: 10 },
      ],
    });
    expect(unexplained.status).toBe(400); // two missing, no discrepancy recorded
    const received = await ok('POST', `/shipments/${shipmentId}/receipt`, 'recipient', {
      receivedOn: '2025-09-13',
      lines: [
        {
          packageLineId: lineA,
          receivedQuantity: 78,
          discrepancies: [{ kind: 'short', quantity: 2, reason: 'two lots missing at handover' }],
        },
        { packageLineId: lineB, receivedQuantity: 10 },
      ],
    });
    expect(received.delivered).toBe(false);
    expect((await ok('GET', `/packages/${pkg.id}`, 'coordinator')).status).toBe('in_delivery');
    const notYet = await call('POST', `/packages/${pkg.id}/close`, 'coordinator', {});
    expect(notYet.body.error.code).toBe('INVALID_TRANSITION');
    const resolved = await ok(
      'POST',
      `/discrepancies/${received.discrepancies[0].id}/resolve`,
      'coordinator',
      { resolution: 'credited', note: 'credited by the supplier' },
    );
    expect(resolved.delivered).toBe(true);
    expect((await ok('GET', `/packages/${pkg.id}`, 'coordinator')).status).toBe('delivered');

    // Closing returns the surplus to NLD and NOR by largest remainder, back at their own rates.
    const surplus = nldUsd + norUsd - finalPrice;
    const total = nldUsd + norUsd;
    let nldPart = (surplus * nldUsd) / total;
    let norPart = (surplus * norUsd) / total;
    if (nldPart + norPart < surplus) {
      if ((surplus * nldUsd) % total >= (surplus * norUsd) % total) nldPart += 1n;
      else norPart += 1n;
    }
    const nldBackEur = roundHalfEven(nldPart * 10_000n, 11_578n); // USD cents ÷ 1.1578
    const norBackOre = roundHalfEven(norPart * 118_590n, 11_578n); // USD cents × 11.8590 ÷ 1.1578
    const closed = await ok('POST', `/packages/${pkg.id}/close`, 'coordinator', {});
    expect(closed.status).toBe('closed');
    const nldClosed = await ok('GET', `/contributions/${nld.id}`, 'contributor:NLD');
    expect(nldClosed.availableMinor).toBe(nldBackEur.toString());
    const norClosed = await ok('GET', `/contributions/${nor.id}`, 'contributor:NOR');
    expect(norClosed.availableMinor).toBe((200_000_000_000n - ore + norBackOre).toString());
    const fundingClosed = await getAccountByReference(
      t.database,
      system,
      `package:${pkg.id}:funding`,
    );
    expect(fundingClosed.creditsPostedMinor - fundingClosed.debitsPostedMinor).toBe(0n);
  });

  it('a re-price above the funding re-opens the gap; a cancellation voids every hold', async () => {
    const pkg = await ok('POST', '/packages', 'coordinator', {
      cycle: '2025-09',
      title: 'Re-priced (synthetic)',
      targetMinor: '1000000000',
    });
    expect(pkg.number).toBe('PURL-002');
    // The remaining 20 lots of item A? No: 80 were approved and all are packaged.
    const none = await call('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: itemA,
      quantity: 1,
    });
    expect(none.status).toBe(400);
    const cad = await ok('POST', '/contributions', 'coordinator', {
      donorPartyId: 'CAN',
      currency: 'USD',
      amountMinor: '50000000000',
      announcedOn: '2025-08-24',
      title: 'Canada PURL',
    });
    await ok('POST', `/contributions/${cad.id}/commit`, 'coordinator', {
      committedOn: '2025-08-24',
    });
    // Package 1 holds every approved unit of the August list: this package takes a new list's item.
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-09',
      title: 'September 2025 (synthetic)',
    });
    const item = (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'drones',
        category: 'reconnaissance drones',
        lethal: false,
        requestedQuantity: 5,
        unit: 'systems',
        estimatedUnitCost: usd('100000000'),
      })
    ).id;
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    await approveByAllParties(api, list.id);
    await ok('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: item,
      quantity: 5,
    });
    await ok('POST', `/packages/${pkg.id}/open`, 'coordinator', {});
    const funded = await ok('POST', `/packages/${pkg.id}/allocations`, 'coordinator', {
      contributionId: cad.id,
      amountMinor: '500000000',
      valueDate: '2025-08-04',
    });
    expect(funded.status).toBe('funded');
    const repriced = await ok('POST', `/packages/${pkg.id}/authorize`, 'supplier', {
      reference: 'US-AUTH-2025-002',
      authorizedOn: '2025-09-10',
      finalPriceMinor: '600000000',
    });
    expect(repriced).toMatchObject({
      status: 'open',
      priceMinor: '600000000',
      gapMinor: '100000000',
    });
    const stale = await call(
      'POST',
      `/packages/${pkg.id}/cancel`,
      'coordinator',
      { reason: 'test' },
      { 'if-match': `"${funded.version}"` },
    );
    expect(stale.status).toBe(412);
    const cancelled = await ok('POST', `/packages/${pkg.id}/cancel`, 'coordinator', {
      reason: 'superseded by PURL-003',
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.allocations[0].status).toBe('voided');
    const cadAfter = await ok('GET', `/contributions/${cad.id}`, 'coordinator');
    expect(cadAfter).toMatchObject({ availableMinor: '50000000000', allocatedMinor: '0' });
  });

  it('an allocation retried with its Idempotency-Key is made once', async () => {
    const pkg = await ok('POST', '/packages', 'coordinator', {
      cycle: '2025-10',
      title: 'Retried (synthetic)',
      targetMinor: '1000',
    });
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-10',
      title: 'October (synthetic)',
    });
    const item = (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'it',
        category: 'secure communications equipment',
        lethal: false,
        requestedQuantity: 1,
        unit: 'sets',
        estimatedUnitCost: usd('100000'),
      })
    ).id;
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    await approveByAllParties(api, list.id);
    await ok('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: item,
      quantity: 1,
    });
    await ok('POST', `/packages/${pkg.id}/open`, 'coordinator', {});
    const usdDonor = await ok('POST', '/contributions', 'coordinator', {
      donorPartyId: 'LTU',
      currency: 'USD',
      amountMinor: '3000000000',
      announcedOn: '2025-10-15',
      title: 'LTU',
    });
    await ok('POST', `/contributions/${usdDonor.id}/commit`, 'coordinator', {
      committedOn: '2025-10-15',
    });
    const body = { contributionId: usdDonor.id, amountMinor: '40000', valueDate: '2025-08-04' };
    const headers = { 'idempotency-key': 'alloc-ltu-1' };
    const first = await call(
      'POST',
      `/packages/${pkg.id}/allocations`,
      'coordinator',
      body,
      headers,
    );
    const again = await call(
      'POST',
      `/packages/${pkg.id}/allocations`,
      'coordinator',
      body,
      headers,
    );
    expect(first.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const after = await ok('GET', `/packages/${pkg.id}`, 'coordinator');
    expect(after.allocations).toHaveLength(1);
    expect(after.fundedMinor).toBe('40000');
    const other = await call(
      'POST',
      `/packages/${pkg.id}/allocations`,
      'coordinator',
      { ...body, amountMinor: '1' },
      headers,
    );
    expect(other.status).toBe(409);
  });

  it('lists filter by status, cycle, capability area, donor and date', async () => {
    const byArea = await ok('GET', '/packages?capabilityArea=air_missile_defence', 'auditor');
    expect(byArea.items.map((p: { number: string }) => p.number)).toEqual(['PURL-001']);
    const byDonor = await ok('GET', '/packages?donor=NOR', 'auditor');
    expect(byDonor.items.map((p: { number: string }) => p.number)).toEqual(['PURL-001']);
    const byCanada = await ok('GET', '/packages?donor=CAN', 'auditor');
    expect(byCanada.items).toEqual([]); // its only allocation was voided with the cancellation
    const closed = await ok('GET', '/packages?status=closed&cycle=2025-08', 'auditor');
    expect(closed.items.map((p: { number: string }) => p.number)).toEqual(['PURL-001']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await ok('GET', `/packages?createdFrom=${today}`, 'auditor')).items).toHaveLength(3);
    expect((await ok('GET', '/packages?createdTo=2020-01-01', 'auditor')).items).toHaveLength(0);
  });

  it('afterwards the ledger balances in every currency and the audit chain verifies', async () => {
    const ledger = await verifyLedger(t.database, system);
    expect(ledger.ok, JSON.stringify(ledger.mismatches)).toBe(true);
    expect(ledger.ledgers.map((l) => l.ledger).sort()).toEqual(
      expect.arrayContaining(['EUR', 'NOK', 'USD']),
    );
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });
});
