/**
 * The funding funnel on the fixture of `support.ts`, both engines, both reporting currencies,
 * both rate modes: every stage equals the sum worked out here from the fixture's own amounts and
 * ECB rates (one half-even rounding per record); each stage is also given in its original
 * currencies; every figure's drill-down adds up to it; the funnel reconciles with the ledger
 * (its balances read one by one, and `verifyLedger` passing); records after `asOf` are left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportingCurrency, RateMode } from '../../src/core/analytics.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { getCoverage } from '../../src/services/analytics/coverage.js';
import { getFunnel, type FunnelStage } from '../../src/services/analytics/funnel.js';
import { closePackage } from '../../src/services/deliveries-service.js';
import { getAccountByReference, verifyLedger } from '../../src/services/ledger-service.js';
import { authorizePackage, disbursePackage } from '../../src/services/packages-service.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  ALLOCATIONS,
  AS_OF,
  AUTHORISED_ON,
  CONTRIBUTIONS,
  DISBURSEMENTS,
  FIXED_DATE,
  RECEIPT,
  RECEIVED_ON,
  buildFundingWorld,
  contribution,
  convertByHand,
  item,
  roundHalfEven,
  shipAndReceive,
  system,
  type FundingWorld,
  BASES,
} from './support.js';

const coordinator = ACTORS.coordinator;

interface Rec {
  amountMinor: bigint;
  currency: string;
  date: string;
}

/** Every stage's records, by hand from the fixture (all dates; filtered by asOf below). */
function stageRecords(): Record<FunnelStage, Rec[]> {
  const live = CONTRIBUTIONS.filter((c) => !c.cancelled);
  const p1Price = 80n * item('A').unitCostMinor + 2n * item('B').unitCostMinor; // PURL-001: A×80 + B×2
  return {
    pledged: live.map((c) => ({
      amountMinor: c.pledgedMinor,
      currency: c.currency,
      date: c.announcedOn,
    })),
    committed: live
      .filter((c) => c.committedOn)
      .map((c) => ({ amountMinor: c.pledgedMinor, currency: c.currency, date: c.committedOn! })),
    paid: CONTRIBUTIONS.flatMap((c) =>
      c.payments.map((p) => ({ amountMinor: p.amountMinor, currency: c.currency, date: p.paidOn })),
    ),
    // What reached the package: each allocation converted to USD at its own value date.
    allocated: ALLOCATIONS.map((a) => ({
      amountMinor: convertByHand(
        a.amountMinor,
        contribution(a.contribution).currency,
        'USD',
        a.valueDate,
      ),
      currency: 'USD',
      date: a.valueDate,
    })),
    authorised: [{ amountMinor: p1Price, currency: 'USD', date: AUTHORISED_ON }],
    disbursed: DISBURSEMENTS.map((d) => ({
      amountMinor: d.amountMinor,
      currency: 'USD',
      date: d.paidOn,
    })),
    delivered: RECEIPT.map((r) => ({
      amountMinor: BigInt(r.received - r.damaged) * item(r.item).unitCostMinor,
      currency: 'USD',
      date: RECEIVED_ON,
    })),
  };
}

const STAGES: FunnelStage[] = [
  'pledged',
  'committed',
  'paid',
  'allocated',
  'authorised',
  'disbursed',
  'delivered',
];

function expected(currency: ReportingCurrency, rateMode: RateMode, asOf: string) {
  const records = stageRecords();
  return Object.fromEntries(
    STAGES.map((stage) => {
      const kept = records[stage].filter((r) => r.date <= asOf);
      const amount = kept.reduce(
        (sum, r) =>
          sum +
          convertByHand(
            r.amountMinor,
            r.currency,
            currency,
            rateMode === 'fixed' ? FIXED_DATE : r.date,
          ),
        0n,
      );
      const byCurrency = new Map<string, bigint>();
      for (const r of kept)
        byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0n) + r.amountMinor);
      return [stage, { amount, records: kept.length, byCurrency }];
    }),
  ) as Record<FunnelStage, { amount: bigint; records: number; byCurrency: Map<string, bigint> }>;
}

describe.each(ENGINES)('the funding funnel on %s', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => w?.close());

  for (const [currency, rateMode] of BASES) {
    it(`every stage in ${currency} at ${rateMode} equals the records worked out by hand, in each original currency too`, async () => {
      const options = {
        currency,
        rateMode,
        asOf: AS_OF,
        ...(rateMode === 'fixed' ? { rateDate: FIXED_DATE } : {}),
      };
      const funnel = await getFunnel(w.t.database, coordinator, options);
      expect(funnel.basis).toMatchObject({
        currency,
        rateMode,
        rateDate: rateMode === 'fixed' ? FIXED_DATE : null,
        asOf: AS_OF,
      });
      const want = expected(currency, rateMode, AS_OF);
      expect(funnel.stages.map((s) => s.stage)).toEqual(STAGES);
      for (const stage of funnel.stages) {
        const w8 = want[stage.stage];
        expect(stage.amountMinor, `${stage.stage}`).toBe(w8.amount);
        expect(stage.records, `${stage.stage} records`).toBe(w8.records);
        expect(stage.funding).toBe(stage.stage !== 'pledged');
        expect(new Map(stage.byCurrency.map((c) => [c.currency, c.amountMinor]))).toEqual(
          w8.byCurrency,
        );
        expect(stage.figures.amount).toBe(`funnel.${stage.stage}`);
      }
      // % of committed, exact: delivered / committed × 100, 2 decimals half to even.
      const committed = want.committed.amount;
      const delivered = funnel.stages.find((s) => s.stage === 'delivered')!;
      const hundredths = roundHalfEven(want.delivered.amount * 10_000n, committed);
      expect(delivered.percentOfCommitted).toBe(
        `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`,
      );

      // Every figure's drill-down adds up to it, in the reporting currency and in the original.
      for (const stage of funnel.stages) {
        const drill = await drillFigure(w.t.database, coordinator, options, stage.figures.amount);
        expect(drill.totalMinor, `drill of ${stage.stage}`).toBe(stage.amountMinor);
        expect(drill.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(stage.amountMinor);
        expect(drill.records.every((r) => r.kind !== 'redacted')).toBe(true);
        expect(drill.truncated).toBe(false);
        for (const c of stage.byCurrency) {
          const byCurrency = await drillFigure(w.t.database, coordinator, options, c.figure);
          expect(byCurrency.records.reduce((s, r) => s + r.originalAmountMinor, 0n)).toBe(
            c.amountMinor,
          );
          expect(byCurrency.records.every((r) => r.originalCurrency === c.currency)).toBe(true);
        }
      }
    });
  }

  it('a Saturday commitment is valued at Friday’s rate, and the basis counts the fallback', async () => {
    const drill = await drillFigure(
      w.t.database,
      coordinator,
      { currency: 'USD', rateMode: 'value_date', asOf: AS_OF },
      'funnel.committed:EUR',
    );
    expect(drill.records).toHaveLength(1);
    expect(drill.records[0]).toMatchObject({
      kind: 'contribution',
      date: '2025-08-02',
      rateDate: '2025-08-01',
      originalAmountMinor: 2_500_000_000n,
      amountMinor: 2_851_000_000n, // €25,000,000.00 × 1.1404
    });
    expect(drill.basis.fellBack).toBe(1);
  });

  it('records after asOf are left out; the reconciliation still covers every record', async () => {
    const before = await getFunnel(w.t.database, coordinator, {
      currency: 'EUR',
      rateMode: 'value_date',
      asOf: '2025-08-31',
    });
    const want = expected('EUR', 'value_date', '2025-08-31');
    for (const stage of before.stages)
      expect(stage.amountMinor, stage.stage).toBe(want[stage.stage].amount);
    expect(before.stages.find((s) => s.stage === 'paid')!.amountMinor).toBe(0n);
    expect(before.reconciliation.ok).toBe(true);
  });

  it('reconciles with the ledger: per currency, the records equal the balances of the accounts holding the money, and ledger verify passes', async () => {
    const funnel = await getFunnel(w.t.database, coordinator, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const verification = await verifyLedger(w.t.database, system);
    expect(verification.ok).toBe(true);
    expect(funnel.reconciliation.ok).toBe(true);

    // The ledger side, read account by account.
    const balance = async (reference: string) => {
      const a = await getAccountByReference(w.t.database, system, reference);
      return {
        debit: a.debitsPostedMinor - a.creditsPostedMinor,
        credit:
          a.creditsPendingMinor + a.creditsPostedMinor - a.debitsPendingMinor - a.debitsPostedMinor,
      };
    };
    const committedLedger = new Map<string, bigint>();
    const paidLedger = new Map<string, bigint>();
    for (const c of CONTRIBUTIONS.filter((x) => x.committedOn)) {
      const receivable = await balance(`contribution:${w.contributions[c.key]}:receivable`);
      committedLedger.set(c.currency, (committedLedger.get(c.currency) ?? 0n) + receivable.debit);
    }
    for (const currency of ['EUR', 'NOK', 'GBP']) {
      const cash = (await balance(`fund:${currency}:cash`)).debit;
      paidLedger.set(currency, cash);
      committedLedger.set(currency, (committedLedger.get(currency) ?? 0n) + cash);
    }
    const supplier = (await balance('supplier:USA:USD:paid')).credit;
    let funding = 0n;
    for (const p of Object.values(w.packages)) {
      funding += (await balance(`package:${p.id}:funding`)).credit;
    }
    const line = (stage: string, currency: string) =>
      funnel.reconciliation.lines.find((l) => l.stage === stage && l.currency === currency);

    // By hand: what was committed and paid per currency (every record to date), what reached
    // the packages, what the supplier was paid.
    const all = stageRecords();
    const sum = (records: Rec[], currency: string) =>
      records.filter((r) => r.currency === currency).reduce((s, r) => s + r.amountMinor, 0n);
    for (const currency of ['EUR', 'NOK', 'GBP', 'USD']) {
      expect(line('committed', currency)).toMatchObject({
        analyticsMinor: sum(all.committed, currency),
        ledgerMinor: committedLedger.get(currency),
        matches: true,
      });
    }
    for (const currency of ['EUR', 'NOK', 'GBP']) {
      expect(line('paid', currency)).toMatchObject({
        analyticsMinor: sum(all.paid, currency),
        ledgerMinor: paidLedger.get(currency),
        matches: true,
      });
    }
    expect(line('allocated', 'USD')).toMatchObject({
      analyticsMinor: sum(all.allocated, 'USD'),
      ledgerMinor: funding + supplier,
      matches: true,
    });
    expect(line('disbursed', 'USD')).toMatchObject({
      analyticsMinor: 600_000_000n,
      ledgerMinor: supplier,
      matches: true,
    });
    // Every ledger verify reports is balanced, and every currency it holds money in is reconciled.
    expect(verification.ledgers.every((l) => l.balanced)).toBe(true);
    const reconciled = new Set(funnel.reconciliation.lines.map((l) => l.currency));
    for (const l of verification.ledgers.filter((x) => x.creditsPostedMinor > 0n)) {
      expect(reconciled.has(l.ledger), l.ledger).toBe(true);
    }
  });

  it('a drill-down names an unknown stage or dimension as the figure', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    for (const figure of [
      'funnel.bogus',
      'funnel.paid:eur',
      'funnel.paid:EUR:USD',
      'nothing.here',
    ]) {
      await expect(drillFigure(w.t.database, coordinator, options, figure)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'figure' },
      });
    }
  });

  it('a surplus returned when a package closes leaves the allocated figure, still reconciled (last: closes PURL-003)', async () => {
    // PURL-003 ($1,000,000.00 from CAN) is authorised at $900,000.00, paid, delivered, closed:
    // $100,000.00 goes back to CAN's contribution.
    const db = w.t.database;
    const p3 = w.packages.p3!;
    await authorizePackage(db, ACTORS.supplier, p3.id, {
      reference: 'US-AUTH-TEST-003',
      authorizedOn: '2025-11-03',
      finalPriceMinor: 90_000_000n,
    });
    await disbursePackage(db, ACTORS.coordinator, p3.id, {
      amountMinor: 90_000_000n,
      paidOn: '2025-11-05',
    });
    await shipAndReceive(db, p3.id, {
      reference: 'SHIP-3',
      on: { planned: '2025-11-04', dispatched: '2025-11-05', handedOver: '2025-11-10' },
      lines: [{ packageLineId: p3.lines.C!, quantity: 50 }],
      receivedOn: '2025-11-12',
    });
    await closePackage(db, ACTORS.coordinator, p3.id);

    // Today (the default asOf) covers the closing; every rate at the fixed date.
    const options = { currency: 'USD' as const, rateMode: 'fixed' as const, rateDate: FIXED_DATE };
    const funnel = await getFunnel(db, coordinator, options);
    const allocated = funnel.stages.find((s) => s.stage === 'allocated')!;
    const gross = stageRecords().allocated.reduce((sum, r) => sum + r.amountMinor, 0n);
    expect(allocated.byCurrency).toEqual([
      {
        currency: 'USD',
        amountMinor: gross - 10_000_000n,
        records: 5,
        figure: 'funnel.allocated:USD',
      },
    ]);
    expect(funnel.reconciliation.ok).toBe(true);
    expect(funnel.reconciliation.lines.find((l) => l.stage === 'allocated')).toMatchObject({
      analyticsMinor: gross - 10_000_000n,
      matches: true,
    });
    const drill = await drillFigure(db, coordinator, options, 'funnel.allocated');
    const surplus = drill.records.filter((r) => r.amountMinor < 0n);
    expect(surplus).toHaveLength(1);
    expect(surplus[0]).toMatchObject({
      kind: 'allocation',
      packageId: p3.id,
      contributionId: w.contributions.can,
      partyId: 'CAN',
      amountMinor: -10_000_000n,
    });
    expect(surplus[0]!.label).toContain('Surplus');
    expect(drill.totalMinor).toBe(allocated.amountMinor);
    // The areas still add up to what the packages kept.
    const coverage = await getCoverage(db, coordinator, options);
    expect(coverage.totals.fundedMinor).toBe(allocated.amountMinor);
    expect((await verifyLedger(db, system)).ok).toBe(true);
  });
});
