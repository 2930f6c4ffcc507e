import { describe, expect, it } from 'vitest';
import {
  amountCovering,
  convertMinor,
  divideRoundHalfEven,
  isCycle,
  percentText,
  progressValue,
} from './funding';

const EUR_USD = { from: 'EUR', to: 'USD', fromRatePerEur: '1', toRatePerEur: '1.1645' };
const NOK_USD = { from: 'NOK', to: 'USD', fromRatePerEur: '11.6270', toRatePerEur: '1.1625' };
const JPY_USD = { from: 'JPY', to: 'USD', fromRatePerEur: '162.5', toRatePerEur: '1.1625' };

describe('funding arithmetic', () => {
  it('rounds a half to the even neighbour, symmetrically', () => {
    expect(divideRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divideRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divideRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideRoundHalfEven(11n, 4n)).toBe(3n);
  });

  it('converts as the server does: €1,000.00 at 1.1645 is $1,164.50', () => {
    expect(convertMinor(100_000n, EUR_USD)).toBe(116_450n);
    // Through EUR: 1 000 NOK × 1.1625 / 11.6270 = 99.983 … → $99.98
    expect(convertMinor(100_000n, NOK_USD)).toBe(9_998n);
    // JPY has no minor unit: ¥10 000 → $71.54
    expect(convertMinor(10_000n, JPY_USD)).toBe(7_154n);
  });

  it('finds the smallest amount that covers a gap', () => {
    for (const pair of [EUR_USD, NOK_USD, JPY_USD]) {
      for (const gap of [1n, 99n, 116_450n, 123_456_789n]) {
        const amount = amountCovering(gap, pair);
        expect(convertMinor(amount, pair) >= gap).toBe(true);
        expect(amount === 1n || convertMinor(amount - 1n, pair) < gap).toBe(true);
      }
    }
    expect(amountCovering(0n, EUR_USD)).toBe(0n);
  });

  it('gives the share funded as exact text and a clamped bar length', () => {
    expect(percentText(1n, 3n)).toBe('33.33');
    expect(percentText(0n, 5n)).toBe('0.00');
    expect(percentText(5n, 0n)).toBe('0');
    expect(percentText(2n, 1n)).toBe('200.00');
    expect(progressValue(2n, 1n)).toBe(100);
    expect(progressValue(1n, 4n)).toBe(25);
  });

  it('checks cycles', () => {
    expect(isCycle('2025-12')).toBe(true);
    expect(isCycle('2025-13')).toBe(false);
  });
});
