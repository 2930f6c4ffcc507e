/**
 * Pace on the fixture of `support.ts`, both engines, both currencies, both rate modes: monthly
 * and cumulative committed, paid and delivered from the first month to the month of `asOf`;
 * the default target (US$1bn a month) and goal (US$5bn) converted at the rate of `asOf` (a
 * Saturday: Friday's rate) or of the fixed date; the pace over the last three complete months;
 * the projected date; a goal already reached gives the day it was; every figure drills down to
 * its records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateMode, ReportingCurrency } from '../../src/core/analytics.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { getPace } from '../../src/services/analytics/pace.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  AS_OF,
  CONTRIBUTIONS,
  FIXED_DATE,
  RECEIPT,
  RECEIVED_ON,
  buildFundingWorld,
  convertByHand,
  item,
  roundHalfEven,
  type FundingWorld,
  BASES,
} from './support.js';

const MONTHS = ['2025-08', '2025-09', '2025-10', '2025-11'];

/** Days from `from` to `to` by the calendar (by hand, with Date.UTC). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function expected(currency: ReportingCurrency, rateMode: RateMode) {
  const day = (date: string) => (rateMode === 'fixed' ? FIXED_DATE : date);
  const value = (amount: bigint, from: string, date: string) =>
    convertByHand(amount, from, currency, day(date));
  const monthly = new Map(MONTHS.map((m) => [m, { committed: 0n, paid: 0n, delivered: 0n }]));
  const committedRecords: { date: string; amount: bigint }[] = [];
  for (const c of CONTRIBUTIONS.filter((x) => !x.cancelled)) {
    if (c.committedOn && c.committedOn <= AS_OF) {
      const amount = value(c.pledgedMinor, c.currency, c.committedOn);
      monthly.get(c.committedOn.slice(0, 7))!.committed += amount;
      committedRecords.push({ date: c.committedOn, amount });
    }
    for (const p of c.payments)
      monthly.get(p.paidOn.slice(0, 7))!.paid += value(p.amountMinor, c.currency, p.paidOn);
  }
  for (const r of RECEIPT) {
    monthly.get(RECEIVED_ON.slice(0, 7))!.delivered += value(
      BigInt(r.received - r.damaged) * item(r.item).unitCostMinor,
      'USD',
      RECEIVED_ON,
    );
  }
  return {
    monthly,
    committedRecords: committedRecords.sort((a, b) => a.date.localeCompare(b.date)),
    target: value(100_000_000_000n, 'USD', AS_OF),
    goal: value(500_000_000_000n, 'USD', AS_OF),
  };
}

describe.each(ENGINES)('pace on %s', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => w?.close());

  for (const [currency, rateMode] of BASES) {
    it(`in ${currency} at ${rateMode}: months, running totals, target, pace and projection worked out by hand`, async () => {
      const options = {
        currency,
        rateMode,
        asOf: AS_OF,
        ...(rateMode === 'fixed' ? { rateDate: FIXED_DATE } : {}),
      };
      const pace = await getPace(w.t.database, ACTORS.coordinator, options);
      const want = expected(currency, rateMode);

      expect(pace.target).toMatchObject({
        amountMinor: want.target,
        source: 'default',
        defaultUsdMinor: 100_000_000_000n,
        // USD needs no rate; EUR is converted at Friday 2025-11-14's (asOf is a Saturday) or the fixed date's.
        rateDate: currency === 'USD' ? null : rateMode === 'fixed' ? FIXED_DATE : '2025-11-14',
      });
      expect(pace.goal.amountMinor).toBe(want.goal);

      expect(pace.months.map((m) => m.month)).toEqual(MONTHS);
      const running = { committed: 0n, paid: 0n, delivered: 0n };
      pace.months.forEach((m, index) => {
        const sums = want.monthly.get(m.month)!;
        running.committed += sums.committed;
        running.paid += sums.paid;
        running.delivered += sums.delivered;
        expect(m, m.month).toMatchObject({
          complete: m.month !== '2025-11',
          committedMinor: sums.committed,
          paidMinor: sums.paid,
          deliveredMinor: sums.delivered,
          cumulativeCommittedMinor: running.committed,
          cumulativePaidMinor: running.paid,
          cumulativeDeliveredMinor: running.delivered,
          targetMinor: want.target,
          cumulativeTargetMinor: want.target * BigInt(index + 1),
        });
      });
      for (const m of pace.months) {
        for (const [key, figure] of Object.entries(m.figures)) {
          const drill = await drillFigure(w.t.database, ACTORS.coordinator, options, figure);
          const field = `${key}Minor` as keyof typeof m;
          expect(drill.totalMinor, figure).toBe(m[field]);
        }
      }

      // Pace: the average of August, September and October (complete; November is not).
      const windowSum = ['2025-08', '2025-09', '2025-10'].reduce(
        (s, month) => s + want.monthly.get(month)!.committed,
        0n,
      );
      expect(pace.pace).toMatchObject({
        window: ['2025-08', '2025-09', '2025-10'],
        windowCommittedMinor: windowSum,
        perMonthMinor: roundHalfEven(windowSum, 3n),
        figures: { windowCommitted: 'pace.committed:2025-08_2025-10' },
      });
      const windowDrill = await drillFigure(
        w.t.database,
        ACTORS.coordinator,
        options,
        'pace.committed:2025-08_2025-10',
      );
      expect(windowDrill.totalMinor).toBe(windowSum);

      // Projection: remaining ÷ pace months of 365.2425 / 12 days, rounded up, from asOf.
      const perMonth = roundHalfEven(windowSum, 3n);
      const remaining = want.goal - running.committed;
      const days = (remaining * 3_652_425n + perMonth * 120_000n - 1n) / (perMonth * 120_000n);
      expect(pace.projection).toMatchObject({
        goalMinor: want.goal,
        cumulativeCommittedMinor: running.committed,
        remainingMinor: remaining,
        reachedOn: null,
        projectedDate: addDays(AS_OF, Number(days)),
        reason: null,
      });
    });
  }

  it('a goal already reached gives the commitment day that reached it; a given target is used as is', async () => {
    const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const want = expected('EUR', 'value_date');
    // €30,000,000.00: NLD's €25M (2025-08-02) is short of it, NOR's (2025-08-04) reaches it.
    const goalMinor = 3_000_000_000n;
    let cumulative = 0n;
    const reachedOn = want.committedRecords.find(
      (r) => (cumulative += r.amount) >= goalMinor,
    )!.date;
    expect(reachedOn).toBe('2025-08-04');
    const pace = await getPace(w.t.database, ACTORS.coordinator, {
      ...options,
      goalMinor,
      targetPerMonthMinor: 12_345_00n,
    });
    expect(pace.projection).toMatchObject({
      goalMinor,
      remainingMinor: 0n,
      reachedOn,
      projectedDate: null,
    });
    expect(pace.target).toMatchObject({ amountMinor: 12_345_00n, source: 'given', rateDate: null });
    expect(pace.months[2]!.cumulativeTargetMinor).toBe(3n * 12_345_00n);
  });

  it('before a complete month there is no pace and no projected date, with the reason', async () => {
    const pace = await getPace(w.t.database, ACTORS.coordinator, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: '2025-08-20',
    });
    expect(pace.months.map((m) => m.month)).toEqual(['2025-08']);
    expect(pace.pace).toMatchObject({
      perMonthMinor: null,
      reasonCode: 'no_complete_month',
      window: [],
    });
    expect(pace.projection).toMatchObject({ projectedDate: null, reasonCode: 'no_pace' });
    expect(pace.projection.reason).toContain('No pace');
  });

  it('a pace of zero gives no date and says why', async () => {
    // As of 2026-05-01 the last three complete months (Feb–Apr 2026) hold no commitment. In EUR,
    // NLD's December commitment (in EUR) needs no rate the fixture lacks.
    const pace = await getPace(w.t.database, ACTORS.coordinator, {
      currency: 'EUR',
      rateMode: 'value_date',
      asOf: '2026-05-01',
      targetPerMonthMinor: 100n,
      goalMinor: 10n ** 14n,
    });
    expect(pace.pace.window).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(pace.pace.perMonthMinor).toBe(0n);
    expect(pace.projection).toMatchObject({ projectedDate: null, reasonCode: 'zero_pace' });
  });

  it('a target or goal that is not a positive amount, and a bad pace figure, are refused naming the field', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    await expect(
      getPace(w.t.database, ACTORS.coordinator, { ...options, targetPerMonthMinor: 0n }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'targetPerMonthMinor' },
    });
    await expect(
      getPace(w.t.database, ACTORS.coordinator, { ...options, goalMinor: -5n }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'goalMinor' } });
    for (const figure of [
      'pace.committed',
      'pace.pledged:2025-08',
      'pace.paid:2025-13',
      'pace.paid:2025-10_2025-08',
    ]) {
      await expect(
        drillFigure(w.t.database, ACTORS.coordinator, options, figure),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'figure' },
      });
    }
  });
});
