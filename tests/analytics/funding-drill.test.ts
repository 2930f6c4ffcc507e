/**
 * The drill-down machinery on its own (no database): more records than
 * `LIMITS.drillRecordsMax` are listed up to the limit with `truncated`, the total still the
 * whole figure; records the reader may not see fold into one `redacted` record per original
 * currency, listed first, with their count and sums; a split record converts its whole once and
 * its parts add up to it; month ranges of figure keys parse and print back.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyticsBasis } from '../../src/core/analytics.js';
import { LIMITS } from '../../src/core/limits.js';
import {
  drillDown,
  monthRangeText,
  parseMonthRange,
  sumReported,
  type SourceRecord,
} from '../../src/services/analytics/figures.js';
import type { Reporting } from '../../src/services/analytics/reporting.js';

/** A converter at fixed, simple rates: EUR → USD × 1.25 (half to even by hand), USD as is. */
function fakeReporting(): Reporting & { conversions: number } {
  const state = { conversions: 0 };
  const convert = (amountMinor: bigint, currency: string, valueDate: string) => {
    if (currency === 'USD') return { amountMinor, rate: '1', rateDate: valueDate, fellBack: false };
    state.conversions++;
    const scaled = amountMinor * 125n;
    const q = scaled / 100n;
    const r2 = (scaled % 100n) * 2n;
    const rounded = r2 > 100n || (r2 === 100n && q % 2n === 1n) ? q + 1n : q;
    return { amountMinor: rounded, rate: '1.25', rateDate: valueDate, fellBack: false };
  };
  const basis: AnalyticsBasis = {
    currency: 'USD',
    rateMode: 'value_date',
    rateDate: null,
    asOf: '2025-12-31',
    generatedAt: '2025-12-31T00:00:00.000Z',
    rateSource: 'test',
    conversions: 0,
    fellBack: 0,
    afterLastRate: 0,
    lastRateDate: '2025-12-31',
  };
  return {
    options: { currency: 'USD', rateMode: 'value_date', rateDate: null, asOf: '2025-12-31' },
    today: '2025-12-31',
    convert,
    record: () => {
      throw new Error('drillDown converts through convert()');
    },
    basis: () => basis,
    cacheKey: 'test',
    tally: () => {
      throw new Error('drillDown keeps no converted groups');
    },
    get conversions() {
      return state.conversions;
    },
  };
}

function record(
  id: number,
  amountMinor: bigint,
  currency: string,
  restricted = false,
): SourceRecord {
  return {
    kind: 'receipt',
    id: BigInt(id),
    label: `record ${id}`,
    date: `2025-10-${String((id % 28) + 1).padStart(2, '0')}`,
    partyId: null,
    packageId: 1n,
    contributionId: null,
    amountMinor,
    currency,
    quantity: 1,
    restricted: restricted ? { kind: 'package', packageId: 1n } : null,
  };
}

const everyone = { sees: (r: SourceRecord) => r.restricted === null };

describe('drill-downs', () => {
  it('lists at most drillRecordsMax records, flags truncated, and keeps the whole total', () => {
    const records = Array.from({ length: LIMITS.drillRecordsMax + 7 }, (_, i) =>
      record(i + 1, 3n, 'EUR'),
    );
    const drill = drillDown(fakeReporting(), 'funnel.delivered', records, everyone);
    expect(drill.truncated).toBe(true);
    expect(drill.records).toHaveLength(LIMITS.drillRecordsMax);
    // 3 × 1.25 = 3.75 → 4 (half to even of 3.75 is 4) per record.
    expect(drill.totalMinor).toBe(4n * BigInt(LIMITS.drillRecordsMax + 7));
    const small = drillDown(fakeReporting(), 'funnel.delivered', records.slice(0, 3), everyone);
    expect(small.truncated).toBe(false);
    expect(small.records).toHaveLength(3);
  });

  it('folds hidden records into one redacted record per currency, first, and still adds up', () => {
    const records = [
      record(1, 100n, 'EUR', true),
      record(2, 201n, 'EUR', true),
      record(3, 50n, 'USD', true),
      record(4, 999n, 'USD'),
    ];
    const reporting = fakeReporting();
    const drill = drillDown(reporting, 'coverage.packaged', records, everyone);
    expect(drill.records.map((r) => r.kind)).toEqual(['redacted', 'redacted', 'receipt']);
    const [eur, usd] = drill.records;
    // 100 × 1.25 = 125; 201 × 1.25 = 251.25 → 251.
    expect(eur).toMatchObject({
      originalCurrency: 'EUR',
      originalAmountMinor: 301n,
      amountMinor: 376n,
      count: 2,
      rate: '1.25',
      id: 0n,
      date: null,
      packageId: null,
    });
    expect(usd).toMatchObject({
      originalCurrency: 'USD',
      originalAmountMinor: 50n,
      amountMinor: 50n,
      count: 1,
    });
    expect(drill.totalMinor).toBe(376n + 50n + 999n);
    expect(drill.totalMinor).toBe(sumReported(reporting, records));
    expect(drill.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(drill.totalMinor);
  });

  it('a split record converts its whole once; its parts add up to the whole in both currencies', () => {
    const reporting = fakeReporting();
    const weights = [1n, 1n, 1n];
    const parts = weights.map((_, index) => ({
      ...record(index + 1, 1_001n, 'EUR'),
      share: { whole: 'allocation:9', weights, index },
    }));
    const drill = drillDown(reporting, 'coverage.funded', parts, everyone);
    // Whole: 1001 × 1.25 = 1251.25 → 1251, split 417 each; original 1001 → 334, 334, 333.
    expect(drill.records.map((r) => r.amountMinor)).toEqual([417n, 417n, 417n]);
    expect(drill.records.map((r) => r.originalAmountMinor)).toEqual([334n, 334n, 333n]);
    expect(drill.totalMinor).toBe(1_251n);
    expect(reporting.conversions).toBe(1);
  });

  it('month ranges of figure keys parse and print back; nonsense does not parse', () => {
    expect(parseMonthRange('2025-10')).toEqual({ from: '2025-10', to: '2025-10' });
    expect(parseMonthRange('_2025-10')).toEqual({ from: null, to: '2025-10' });
    expect(parseMonthRange('2025-07_')).toEqual({ from: '2025-07', to: null });
    expect(parseMonthRange('2025-07_2025-09')).toEqual({ from: '2025-07', to: '2025-09' });
    for (const text of ['_', '2025-13', '2025-09_2025-07', '2025-7', 'x_2025-01']) {
      expect(parseMonthRange(text), text).toBeUndefined();
    }
    for (const text of ['2025-10', '_2025-10', '2025-07_', '2025-07_2025-09']) {
      expect(monthRangeText(parseMonthRange(text)!)).toBe(text);
    }
  });
});
