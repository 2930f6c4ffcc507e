import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FigureBook,
  checkAnalyticsOptions,
  figureKey,
  nearestRankQuantile,
  parseFigureKey,
  percentText,
  ratioText,
  type DrillRecord,
} from './analytics.js';
import { DomainError } from './errors.js';

function record(amountMinor: bigint): DrillRecord {
  return {
    kind: 'contribution',
    id: 1n,
    label: 'c',
    date: null,
    partyId: null,
    packageId: null,
    contributionId: null,
    originalAmountMinor: amountMinor,
    originalCurrency: 'USD',
    amountMinor,
    rate: '1',
    rateDate: null,
    quantity: null,
    days: null,
    count: 1,
  };
}

describe('figure keys', () => {
  it('round-trips analysis, measure and dimensions', () => {
    const key = figureKey('coverage', 'funded', '2025-09', 'air_missile_defence');
    expect(key).toBe('coverage.funded:2025-09:air_missile_defence');
    expect(parseFigureKey(key)).toEqual({
      analysis: 'coverage',
      measure: 'funded',
      dimensions: ['2025-09', 'air_missile_defence'],
    });
    expect(parseFigureKey('funnel.committed').dimensions).toEqual([]);
  });

  it('refuses malformed keys naming the field', () => {
    for (const bad of [
      '',
      'funnel',
      'funnel.',
      '.x',
      'funnel.committed:',
      'a.b:c d',
      'x'.repeat(201),
      42,
    ]) {
      expect(() => parseFigureKey(bad)).toThrow(DomainError);
    }
    try {
      parseFigureKey('nope', 'query.figure');
    } catch (error) {
      expect((error as DomainError).details.field).toBe('query.figure');
    }
  });
});

describe('checkAnalyticsOptions', () => {
  it('defaults to USD at value-date rates', () => {
    expect(checkAnalyticsOptions({})).toEqual({
      currency: 'USD',
      rateMode: 'value_date',
      rateDate: undefined,
      asOf: undefined,
    });
  });

  it('names the offending field', () => {
    const fieldOf = (input: Record<string, unknown>) => {
      try {
        checkAnalyticsOptions(input);
      } catch (error) {
        return (error as DomainError).details.field;
      }
      return undefined;
    };
    expect(fieldOf({ currency: 'GBP' })).toBe('currency');
    expect(fieldOf({ rateMode: 'spot' })).toBe('rateMode');
    expect(fieldOf({ rateMode: 'fixed', rateDate: '2025-13-01' })).toBe('rateDate');
    expect(fieldOf({ rateDate: '2025-10-01' })).toBe('rateDate');
    expect(fieldOf({ asOf: 'yesterday' })).toBe('asOf');
  });
});

describe('nearestRankQuantile', () => {
  it('returns an observed value: the smallest with at least q of the values at or below it', () => {
    expect(nearestRankQuantile([], 0.5)).toBeNull();
    expect(nearestRankQuantile([7], 0.9)).toBe(7);
    expect(nearestRankQuantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRankQuantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(nearestRankQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRankQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });

  it('is an element of the input and monotone in q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const median = nearestRankQuantile(values, 0.5)!;
          const p90 = nearestRankQuantile(values, 0.9)!;
          expect(values).toContain(median);
          expect(values).toContain(p90);
          expect(p90).toBeGreaterThanOrEqual(median);
        },
      ),
    );
  });
});

describe('percentText and ratioText', () => {
  it('is exact decimal text, rounded half to even', () => {
    expect(percentText(1n, 3n)).toBe('33.33');
    expect(percentText(2n, 3n)).toBe('66.67');
    expect(percentText(1n, 8n, 1)).toBe('12.5');
    expect(percentText(1n, 16n, 1)).toBe('6.2'); // 6.25 → 6.2 (even)
    expect(percentText(3n, 16n, 1)).toBe('18.8'); // 18.75 → 18.8 (even)
    expect(percentText(0n, 5n)).toBe('0.00');
    expect(percentText(5n, 0n)).toBeNull();
    expect(ratioText(7n, 2n, 0)).toBe('4'); // 3.5 → 4
    expect(ratioText(5n, 2n, 0)).toBe('2'); // 2.5 → 2
    expect(ratioText(-1n, 3n, 3)).toBe('-0.333');
    expect(ratioText(-1n, 3000n, 2)).toBe('0.00');
    expect(ratioText(123456789012345678901234567890n, 1n, 2)).toBe(
      '123456789012345678901234567890.00',
    );
  });

  it('agrees with exact rational rounding for any inputs', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const text = ratioText(n, d, 4)!;
          const [whole, frac] = text.split('.') as [string, string];
          const scaled = BigInt(whole + frac);
          // |n/d × 10^4 − scaled| ≤ 1/2
          const diff = n * 10n ** 4n * 2n - scaled * d * 2n;
          expect(diff <= d && diff >= -d).toBe(true);
        },
      ),
    );
  });
});

describe('FigureBook', () => {
  it('sums each figure from its records', () => {
    const book = new FigureBook();
    book.add('funnel.committed', record(100n));
    book.add('funnel.committed', record(250n));
    book.add('funnel.paid', record(40n));
    expect(book.total('funnel.committed')).toBe(350n);
    expect(book.total('funnel.paid')).toBe(40n);
    expect(book.total('funnel.delivered')).toBe(0n);
    expect(book.records('funnel.committed')).toHaveLength(2);
    expect(book.keys().sort()).toEqual(['funnel.committed', 'funnel.paid']);
  });
});
