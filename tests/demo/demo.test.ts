/**
 * The demo on both engines: after `loadDemo` the figures match the public record of PRODUCT.md
 * (amounts in minor units of the announced currency, joint packages split so the parts sum to
 * the whole), PURL-001…004 are funded or further and funded by the announced donors, every
 * requirement list, item, package and line is synthetic, every contribution carries a source
 * note, the ledger and the audit chain verify, and a second load changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { getDeliveries } from '../../src/services/deliveries-service.js';
import {
  createContribution,
  listContributions,
  type Contribution,
} from '../../src/services/contributions-service.js';
import {
  DEMO_EXPECTED,
  DEMO_TAG,
  inspectDemo,
  loadDemo,
  type DemoSummary,
} from '../../src/services/demo-service.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import {
  getMeeting,
  getMeetingFollowUp,
  listMeetings,
} from '../../src/services/meetings-service.js';
import {
  getPackage,
  listPackages,
  type PackageDetail,
} from '../../src/services/packages-service.js';
import {
  getRequirementList,
  listRequirementLists,
} from '../../src/services/requirements-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');
const usd = (dollars: number) => BigInt(dollars) * 100n;

/** Half-to-even division of non-negative bigints, worked out independently of src/core/fx.ts. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const r2 = (numerator % denominator) * 2n;
  if (r2 > denominator || (r2 === denominator && q % 2n === 1n)) return q + 1n;
  return q;
}

describe.each(ENGINES)('the demo on %s', (engine) => {
  let t: TestDatabase;
  let summary: DemoSummary;
  let contributions: Contribution[];
  let packages: PackageDetail[];
  const byDonor = (donor: string, announcedOn?: string) =>
    contributions.filter(
      (c) =>
        c.donorPartyId === donor && (announcedOn === undefined || c.announcedOn === announcedOn),
    );
  const one = (donor: string, announcedOn?: string) => {
    const found = byDonor(donor, announcedOn);
    expect(found, `${donor} ${announcedOn ?? ''}`).toHaveLength(1);
    return found[0]!;
  };
  const pkg = (number: string) => packages.find((p) => p.number === number)!;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    summary = await loadDemo(t.database);
    contributions = (await listContributions(t.database, system, { limit: 200 })).items;
    const summaries = (await listPackages(t.database, system, { limit: 200 })).items;
    packages = [];
    for (const p of summaries) packages.push(await getPackage(t.database, system, p.id));
    packages.sort((a, b) => (a.number < b.number ? -1 : 1));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads in well under a minute, the ECB file included', () => {
    expect(summary.outcome).toBe('loaded');
    expect(summary.fx?.rates).toBeGreaterThan(200_000);
    expect(summary.seconds).toBeLessThan(60);
    console.info(`demo load on ${engine}: ${summary.seconds} s`);
  });

  it('records the publicly announced contributions in their currency, with source notes', () => {
    expect(contributions).toHaveLength(DEMO_EXPECTED.contributions);
    // Package 1: the Netherlands, €500,000,000.00.
    expect(one('NLD')).toMatchObject({
      currency: 'EUR',
      pledgedMinor: 50_000_000_000n,
      committedMinor: 50_000_000_000n,
      announcedOn: '2025-08-04',
      committedOn: '2025-08-04',
      synthetic: false,
    });
    // Package 2: Sweden $275M of $500M; Denmark and Norway share the rest.
    expect(one('SWE', '2025-08-05')).toMatchObject({ currency: 'USD', committedMinor: usd(275e6) });
    const dnk = one('DNK', '2025-08-05');
    const nor = one('NOR', '2025-08-05');
    expect(dnk.committedMinor + nor.committedMinor).toBe(usd(225e6));
    expect([dnk.committedMinor, nor.committedMinor]).toEqual([usd(112.5e6), usd(112.5e6)]);
    expect(dnk.sourceNote).toMatch(/ASSUMPTION/);
    for (const [donor, currency, dollars, on] of [
      ['DEU', 'USD', 500e6, '2025-08-13'],
      ['CAN', 'USD', 500e6, '2025-08-24'],
      ['BEL', 'EUR', 100e6, undefined],
      ['LTU', 'USD', 30e6, '2025-10-15'],
      ['LVA', 'EUR', 5e6, '2025-09-09'],
      ['ESP', 'EUR', 100e6, undefined],
      ['POL', 'USD', 100e6, '2025-11-20'],
    ] as const) {
      expect(one(donor, on), donor).toMatchObject({ currency, committedMinor: usd(dollars) });
    }
    expect(one('ESP').announcedOn).toMatch(/^2025-10-/);
    // The eight Nordic-Baltic states: $500M, split so the parts sum exactly.
    const nb8 = contributions.filter((c) => c.announcedOn === '2025-11-13');
    expect(nb8.map((c) => c.donorPartyId).sort()).toEqual([
      'DNK',
      'EST',
      'FIN',
      'ISL',
      'LTU',
      'LVA',
      'NOR',
      'SWE',
    ]);
    expect(nb8.reduce((sum, c) => sum + c.committedMinor, 0n)).toBe(usd(500e6));
    expect(
      nb8.every((c) => c.committedMinor === usd(62.5e6) && /ASSUMPTION/.test(c.sourceNote!)),
    ).toBe(true);
    // Australia and New Zealand: amounts not public — synthetic pledges, not funding.
    for (const donor of ['AUS', 'NZL']) {
      expect(one(donor, '2025-12-03')).toMatchObject({
        status: 'pledged',
        committedMinor: 0n,
        synthetic: true,
      });
      expect(one(donor).sourceNote).toMatch(/SYNTHETIC/);
    }
    // Every contribution names its public source; synthetic payments say so.
    for (const c of contributions) {
      expect(c.sourceNote, c.title).toMatch(/Public record/);
      expect(c.sourceNote!.endsWith(DEMO_TAG)).toBe(true);
      if (c.status !== 'pledged') expect(c.committedOn).toBe(c.announcedOn);
    }
    expect(one('CAN').status).toBe('partially_paid');
    expect(one('NLD').status).toBe('paid');
  });

  it('funds PURL-001…004 from the announced donors, at recorded ECB rates', async () => {
    expect(packages.map((p) => p.number)).toEqual(
      Array.from({ length: DEMO_EXPECTED.packages }, (_, i) => `PURL-00${i + 1}`),
    );
    const funded = ['funded', 'authorized', 'in_delivery', 'delivered', 'closed'];
    const donorsOf = (p: PackageDetail) =>
      [
        ...new Set(
          p.allocations.map(
            (a) => contributions.find((c) => c.id === a.contributionId)!.donorPartyId,
          ),
        ),
      ].sort();
    for (const number of ['PURL-001', 'PURL-002', 'PURL-003', 'PURL-004']) {
      const p = pkg(number);
      expect(funded, number).toContain(p.status);
      expect(p.fundedMinor).toBeGreaterThanOrEqual(p.priceMinor);
      expect(p.synthetic).toBe(true);
      expect(p.fundedMinor).toBe(p.allocations.reduce((s, a) => s + a.packageAmountMinor, 0n));
    }
    expect(donorsOf(pkg('PURL-001'))).toEqual(['NLD']);
    expect(donorsOf(pkg('PURL-002'))).toEqual(['DNK', 'NOR', 'SWE']);
    expect(donorsOf(pkg('PURL-003'))).toEqual(['DEU']);
    expect(donorsOf(pkg('PURL-004'))).toEqual(['CAN']);

    // PURL-001: euros converted at the ECB rate of 2025-08-06 (1.1604 USD per EUR), by hand.
    const [nld] = pkg('PURL-001').allocations;
    expect(nld).toMatchObject({ currency: 'EUR', valueDate: '2025-08-06', rateDate: '2025-08-06' });
    expect(nld!.toRatePerEur).toBe('1.1604');
    expect(nld!.packageAmountMinor).toBe(roundHalfEven(nld!.amountMinor * 11_604n, 10_000n));
    expect(nld!.amountMinor).toBeLessThanOrEqual(50_000_000_000n);
    // About $580M: €500M at 1.1604, less what the composition could not use.
    expect(pkg('PURL-001').priceMinor).toBeGreaterThan(usd(579e6));

    // PURL-002: Sweden's $275M, then Denmark and Norway split the rest equally.
    const p2 = pkg('PURL-002');
    const [swe, dnk, nor] = p2.allocations;
    expect(swe!.amountMinor).toBe(usd(275e6));
    expect(dnk!.amountMinor + nor!.amountMinor).toBe(p2.priceMinor - usd(275e6));
    expect(dnk!.amountMinor - nor!.amountMinor).toBe(0n);
    expect(p2.priceMinor).toBeLessThanOrEqual(usd(495e6));

    // PURL-003: the supplier re-priced it higher; Germany's contribution filled the new gap.
    const p3 = pkg('PURL-003');
    expect(p3.allocations).toHaveLength(2);
    expect(p3.allocations[1]!.amountMinor).toBe(usd(3.15e6));
    expect(p3.priceMinor).toBeLessThanOrEqual(usd(500e6));
    expect(p3.status).not.toBe('open');

    // Disbursed: all of 1 and 2, part of 3 and 4.
    expect(pkg('PURL-001').disbursedMinor).toBe(pkg('PURL-001').priceMinor);
    expect(p3.disbursedMinor).toBe((p3.priceMinor * 60n) / 100n);

    // The later ones show the dashboard's gaps.
    expect(pkg('PURL-006').status).toBe('funded');
    expect(pkg('PURL-007')).toMatchObject({ status: 'open', fundedMinor: usd(100e6) });
    expect(pkg('PURL-007').gapMinor).toBeGreaterThan(0n);
    expect(pkg('PURL-008')).toMatchObject({ status: 'open', fundedMinor: 0n });
    expect(pkg('PURL-008').gapMinor).toBe(pkg('PURL-008').priceMinor);
  });

  it('ships and receives the early packages, with one discrepancy', async () => {
    // PURL-001: two consignments received in full, delivered and closed.
    const p1 = pkg('PURL-001');
    expect(p1.status).toBe('closed');
    const d1 = await getDeliveries(t.database, system, p1.id);
    expect(d1.shipments.map((s) => s.status)).toEqual(['received', 'received']);
    expect(d1.shipments.every((s) => s.synthetic && /synthetic/.test(s.reference))).toBe(true);
    expect(d1.delivered).toBe(true);
    expect(d1.discrepancies).toEqual([]);
    // PURL-002: three demining sets short, to be replaced; the replacement is on its way.
    const p2 = pkg('PURL-002');
    expect(p2.status).toBe('in_delivery');
    const d2 = await getDeliveries(t.database, system, p2.id);
    expect(d2.discrepancies).toHaveLength(1);
    expect(d2.discrepancies[0]).toMatchObject({
      kind: 'short',
      quantity: 3,
      resolution: 'replaced',
    });
    expect(d2.discrepancies[0]!.reason).toMatch(/SYNTHETIC/);
    expect(d2.shipments.map((s) => s.status)).toEqual(['received', 'dispatched']);
    expect(d2.delivered).toBe(false);
    const demining = p2.lines.find((l) => l.category === 'demining equipment')!;
    expect(d2.lines.find((l) => l.packageLineId === demining.id)).toMatchObject({
      quantity: demining.quantity,
      receivedQuantity: demining.quantity - 3,
      complete: false,
    });
    expect(pkg('PURL-003').status).toBe('in_delivery');
    expect(pkg('PURL-004').status).toBe('authorized');
  });

  it('marks every requirement list, item, package and line synthetic', async () => {
    const lists = (await listRequirementLists(t.database, system, { limit: 200 })).items;
    expect(lists.map((l) => l.cycle).sort()).toEqual([
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    let trimmed = 0;
    for (const summaryRow of lists) {
      const list = await getRequirementList(t.database, system, summaryRow.id);
      expect(list.synthetic).toBe(true);
      expect(list.title).toMatch(/synthetic/);
      expect(list.sourceNote).toMatch(/SYNTHETIC/);
      expect(list.items.length).toBeGreaterThanOrEqual(4);
      expect(list.items.length).toBeLessThanOrEqual(8);
      for (const item of list.items) {
        expect(item.synthetic).toBe(true);
        expect(item.description).toMatch(/SYNTHETIC/);
        if (item.approvedQuantity !== null && item.approvedQuantity < item.requestedQuantity) {
          trimmed++;
        }
      }
      if (list.cycle === '2026-03') expect(list.status).toBe('submitted');
      else {
        expect(['approved', 'closed']).toContain(list.status);
        expect(list.approvals.map((a) => a.role).sort()).toEqual([
          'coordinator',
          'recipient',
          'supplier',
        ]);
      }
    }
    expect(trimmed).toBeGreaterThanOrEqual(5);
    for (const p of packages) {
      expect(p.synthetic, p.number).toBe(true);
      expect(p.title).toMatch(/synthetic/);
      expect(p.sourceNote).toMatch(/SYNTHETIC/);
      expect(p.lines.length).toBeGreaterThan(0);
      expect(p.lines.every((l) => l.synthetic)).toBe(true);
    }
  });

  it('records the UDCG meetings in Brussels, announcements linked to what they became', async () => {
    const meetings = (await listMeetings(t.database, system, { limit: 200 })).items;
    const udcg = meetings.filter((m) => m.kind === 'udcg');
    for (const day of ['2025-02-12', '2025-04-11', '2025-10-15', '2026-02-12']) {
      const m = udcg.find((x) => x.heldOn === day);
      expect(m, day).toBeDefined();
      expect(m!.place).toMatch(/Brussels/);
      expect(m!.sourceNote!.endsWith(DEMO_TAG)).toBe(true);
    }
    expect(udcg.find((m) => m.heldOn === '2026-02-12')!.synthetic).toBe(true);
    const october = udcg.find((m) => m.heldOn === '2025-10-15')!;
    expect(october).toMatchObject({ number: 31, chairs: ['GBR', 'DEU'], synthetic: false });
    expect(october.summary).toMatch(/already 2 billion/);
    const detail = await getMeeting(t.database, system, october.id);
    const lithuania = detail.announcements.find((a) => a.partyId === 'LTU')!;
    expect(lithuania).toMatchObject({ amountMinor: usd(30e6), currency: 'USD', synthetic: false });
    expect(lithuania.contributionIds).toEqual([one('LTU', '2025-10-15').id]);
    const followUp = await getMeetingFollowUp(t.database, system, october.id);
    expect(followUp.announcements.find((a) => a.partyId === 'LTU')!.status).toBe('paid');
    for (const m of meetings) {
      for (const a of (await getMeeting(t.database, system, m.id)).announcements) {
        expect(a.sourceNote, a.text).toMatch(a.synthetic ? /SYNTHETIC/ : /Public record/);
      }
    }
  });

  it('leaves the ledger balanced and the audit chain intact', async () => {
    const ledger = await verifyLedger(t.database, system);
    expect(ledger.ok, JSON.stringify(ledger.mismatches)).toBe(true);
    expect(ledger.ledgers.map((l) => l.ledger).sort()).toEqual(['EUR', 'USD']);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });

  it('a second load changes nothing and says so', async () => {
    const before = await verifyAudit(t.database, system);
    const again = await loadDemo(t.database);
    expect(again.outcome).toBe('already_loaded');
    expect(again.fx).toBeNull();
    expect(again.packages).toHaveLength(DEMO_EXPECTED.packages);
    const after = await verifyAudit(t.database, system);
    expect(after.events).toBe(before.events);
    expect((await inspectDemo(t.database)).state).toBe('loaded');
  });

  it('refuses a database holding other data, and says where it looked for the ECB file', async () => {
    const other = await openTestDatabase(engine);
    try {
      const missing = await loadDemo(other.database, {
        sharedDataDir: '/nonexistent/shared',
      }).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(DomainError);
      expect((missing as DomainError).code).toBe('NOT_FOUND');
      expect((missing as DomainError).message).toContain('/nonexistent/shared/eurofxref-hist.zip');
      expect((await inspectDemo(other.database)).state).toBe('empty');

      await createContribution(other.database, system, {
        donorPartyId: 'FRA',
        currency: 'EUR',
        amountMinor: 100n,
        announcedOn: '2025-09-01',
        title: 'A real record',
      });
      const refused = await loadDemo(other.database).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe('DUPLICATE');
      expect((refused as DomainError).message).toMatch(
        /already holds data \(1 contribution, 0 packages/,
      );
      expect((await inspectDemo(other.database)).state).toBe('other_data');
    } finally {
      await other.close();
    }
  });
});
