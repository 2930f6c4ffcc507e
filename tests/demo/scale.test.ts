/**
 * The scale generator. Pure: deterministic from its seed, and every rule the services enforce
 * holds in what it generates (earmarks, funding, authorisation at the funded amount, disbursed ≤
 * price, payments ≤ committed, allocations ≤ committed). On both engines: `loadScaleDemo` at a
 * small scale writes a history the ledger and audit verifications accept, the services read
 * back, the funnel reconciles with the ledger, and a second load changes nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemActor } from '../../src/core/actor.js';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { addDays } from '../../src/core/fx.js';
import { cyclesEndingAt, planScale, type ScaleInput } from '../../src/core/scale.js';
import { getFunnel } from '../../src/services/analytics/funnel.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { loadScaleDemo, type ScaleSummary } from '../../src/services/demo/scale.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { getPackage, listPackages } from '../../src/services/packages-service.js';
import { CHUNK_BITS, listTableChunks } from '../../src/storage/analytics-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');

/** Weekdays from 2015-01-01 to 2026-04-10, constant rates: enough for a pure run. */
function input(seed: number, scale = 0.004): ScaleInput {
  const days: string[] = [];
  for (let d = '2015-01-01'; d <= '2026-04-10'; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(d);
  }
  const rates: Record<string, string> = { USD: '1.1', NOK: '11.5', JPY: '160', GBP: '0.85' };
  return {
    scale,
    seed,
    cycles: cyclesEndingAt('2025-07', 120),
    donors: [
      { id: 'NLD', currency: 'EUR' },
      { id: 'NOR', currency: 'NOK' },
      { id: 'JPN', currency: 'JPY' },
      { id: 'GBR', currency: 'GBP' },
    ],
    areas: ['air_force', 'artillery', 'drones', 'demining'],
    minorUnits: new Map([
      ['EUR', 2],
      ['USD', 2],
      ['NOK', 2],
      ['JPY', 0],
      ['GBP', 2],
    ]),
    rates: {
      days,
      perEur: (c, _day) =>
        c === 'EUR' ? { rate: '1', source: '' } : { rate: rates[c]!, source: 'test rates' },
    },
    start: {
      account: 1n,
      transfer: 1n,
      batch: 1n,
      conversion: 1n,
      contribution: 1n,
      payment: 1n,
      package: 1n,
      packageNumber: 100_001,
      line: 1n,
      allocation: 1n,
      list: 1n,
      item: 1n,
      shipment: 1n,
      receipt: 1n,
      discrepancy: 1n,
      auditId: 1n,
      auditHash: '0'.repeat(64),
    },
    existingAccounts: new Map(),
    actor: systemActor('scale-test'),
    now: new Date('2026-01-01T00:00:00Z'),
  };
}

const digest = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

describe('the scale generator (pure)', () => {
  const data = planScale(input(7));

  it('is deterministic from its seed', () => {
    expect(digest(planScale(input(7)))).toBe(digest(data));
    expect(digest(planScale(input(8)))).not.toBe(digest(data));
  });

  it('covers ten years with the counts the scale asks for', () => {
    expect(data.lists).toHaveLength(120);
    expect(data.lists[0]!.cycle).toBe('2015-08');
    expect(data.lists.at(-1)!.cycle).toBe('2025-07');
    expect(data.packages).toHaveLength(20); // 5,000 × 0.004
    expect(data.contributions.length).toBeGreaterThan(data.packages.length);
    expect(data.transfers.length).toBeGreaterThan(data.contributions.length);
    const statuses = new Set(data.packages.map((p) => p.status));
    expect(statuses.has('closed')).toBe(true);
  });

  it('keeps the rules of the services', () => {
    const contributions = new Map(data.contributions.map((c) => [c.id, c]));
    const linesOf = (packageId: bigint) => data.lines.filter((l) => l.packageId === packageId);
    const allocated = new Map<bigint, bigint>();
    for (const a of data.allocations) {
      const c = contributions.get(a.contributionId)!;
      expect(a.currency).toBe(c.currency);
      expect(a.valueDate >= c.committedOn!).toBe(true);
      if (c.earmarkPackageId !== null) expect(a.packageId).toBe(c.earmarkPackageId);
      // Earmarked for areas: every line of the package is in them (the allocation's rule).
      for (const line of linesOf(a.packageId)) {
        if (c.earmarkAreas.length > 0) expect(c.earmarkAreas).toContain(line.capabilityArea);
      }
      allocated.set(c.id, (allocated.get(c.id) ?? 0n) + a.amountMinor);
    }
    for (const [id, amount] of allocated) {
      expect(amount).toBeLessThanOrEqual(contributions.get(id)!.committedMinor);
    }
    for (const c of data.contributions) {
      const paid = data.payments
        .filter((p) => p.contributionId === c.id)
        .reduce((s, p) => s + p.amountMinor, 0n);
      expect(paid).toBe(c.paidMinor);
      expect(c.paidMinor).toBeLessThanOrEqual(c.committedMinor);
    }
    for (const p of data.packages) {
      const funded = data.allocations
        .filter((a) => a.packageId === p.id)
        .reduce((s, a) => s + a.packageAmountMinor, 0n);
      expect(funded).toBe(p.fundedMinor);
      expect(p.disbursedMinor).toBeLessThanOrEqual(p.priceMinor);
      if (p.status !== 'open') expect(p.fundedMinor).toBeGreaterThanOrEqual(p.targetMinor);
      if (p.authorizedOn) expect(p.priceMinor).toBe(p.fundedMinor);
      if (p.status === 'closed') expect(p.disbursedMinor).toBe(p.priceMinor);
    }
    // Per ledger, the transfers' debits equal their credits (double entry).
    const byLedger = new Map<string, bigint>();
    for (const a of data.newAccounts) {
      const net = a.debitsPostedMinor - a.creditsPostedMinor;
      byLedger.set(a.ledger, (byLedger.get(a.ledger) ?? 0n) + net);
    }
    for (const net of byLedger.values()) expect(net).toBe(0n);
  });

  it('chains its audit events', () => {
    expect(data.audit[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < data.audit.length; i++) {
      expect(data.audit[i]!.prevHash).toBe(data.audit[i - 1]!.hash);
      expect(data.audit[i]!.id).toBe(data.audit[i - 1]!.id + 1n);
    }
  });
});

describe.each(ENGINES)('purl demo load --scale on %s', (engine) => {
  let t: TestDatabase;
  let summary: ScaleSummary;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    summary = await loadScaleDemo(t.database, { scale: 0.002, seed: 11 });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('writes ten years of synthetic history before the demo', () => {
    expect(summary.outcome).toBe('loaded');
    expect(summary.cycles).toEqual({ first: '2015-08', last: '2025-07' });
    expect(summary.counts.packages).toBe(10);
    expect(summary.counts.transfers).toBeGreaterThan(1_000);
  });

  it('passes the ledger and audit verifications', async () => {
    const ledger = await verifyLedger(t.database, system);
    expect(ledger.mismatches).toEqual([]);
    expect(ledger.inconsistencies).toEqual([]);
    expect(ledger.ok).toBe(true);
    const audit = await verifyAudit(t.database, system);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
  });

  it("revises every chunk of the chunked tables it loaded, and the packages' shapes", async () => {
    const held = await sql<{ key: string }>`
      SELECT DISTINCT 'contribution#' || (id >> ${CHUNK_BITS.contribution}) AS key FROM contribution
      UNION SELECT DISTINCT 'contribution_payment#' || (id >> ${CHUNK_BITS.contribution_payment})
      FROM contribution_payment
      UNION SELECT DISTINCT 'ledger_account#' || (id >> ${CHUNK_BITS.ledger_account})
      FROM ledger_account
      UNION SELECT DISTINCT 'package#' || (id >> ${CHUNK_BITS.package}) FROM package
      UNION SELECT DISTINCT 'package_shape#' || (id >> ${CHUNK_BITS.package}) FROM package
    `.execute(t.database.kysely);
    const revised: string[] = [];
    for (const table of [
      'contribution',
      'contribution_payment',
      'ledger_account',
      'package',
      'package_shape',
    ] as const) {
      for (const c of await listTableChunks(t.database.kysely, table)) {
        revised.push(`${table}#${c.chunk}`);
      }
    }
    expect(revised.sort()).toEqual(held.rows.map((r) => r.key).sort());
  });

  it('reads back through the services, and the funnel reconciles with the ledger', async () => {
    const page = await listPackages(t.database, system, { cycle: '2016-01', limit: 50 });
    const scaled = await listPackages(t.database, system, { status: 'closed', limit: 200 });
    const one = scaled.items.find((p) => p.number >= 'PURL-100001')!;
    expect(one).toBeDefined();
    const detail = await getPackage(t.database, system, one.id);
    expect(detail.synthetic).toBe(true);
    expect(detail.fundedMinor).toBe(detail.priceMinor);
    expect(page.items.every((p) => p.cycle === '2016-01')).toBe(true);
    const funnel = await getFunnel(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
    });
    expect(funnel.reconciliation.lines.filter((l) => !l.matches)).toEqual([]);
    expect(funnel.reconciliation.ok).toBe(true);
  });

  it('changes nothing when loaded again, and refuses a scale out of range', async () => {
    const again = await loadScaleDemo(t.database, { scale: 0.002, seed: 11 });
    expect(again.outcome).toBe('already_loaded');
    await expect(loadScaleDemo(t.database, { scale: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'scale' },
    });
    await expect(loadScaleDemo(t.database, { scale: 11 })).rejects.toMatchObject({
      details: { field: 'scale' },
    });
  });
});
