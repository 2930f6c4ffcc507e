import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  convertAmount,
  crossRate,
  daysBetween,
  divideRoundHalfEven,
  isIsoDate,
  type ConvertAmountInput,
} from './fx.js';
import { formatAmount } from './money.js';

const EUR = { code: 'EUR', minorUnit: 2 };
const USD = { code: 'USD', minorUnit: 2 };
const JPY = { code: 'JPY', minorUnit: 0 };
const KWD = { code: 'KWD', minorUnit: 3 };
const NOK = { code: 'NOK', minorUnit: 2 };

function convert(
  amountMinor: bigint,
  from: ConvertAmountInput['from'],
  fromRatePerEur: string,
  to: ConvertAmountInput['to'],
  toRatePerEur: string,
) {
  return convertAmount({
    amountMinor,
    from,
    to,
    fromRatePerEur,
    toRatePerEur,
    rateDate: '2026-04-13',
    source: 'test',
  });
}

describe('divideRoundHalfEven', () => {
  it('rounds an exact half to the even neighbour, up and down, in both signs', () => {
    expect(divideRoundHalfEven(5n, 2n)).toBe(2n); // 2.5 → 2
    expect(divideRoundHalfEven(7n, 2n)).toBe(4n); // 3.5 → 4
    expect(divideRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideRoundHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideRoundHalfEven(1n, 2n)).toBe(0n); // 0.5 → 0
    expect(divideRoundHalfEven(3n, 2n)).toBe(2n); // 1.5 → 2
  });

  it('rounds a non-half to the nearest', () => {
    expect(divideRoundHalfEven(251n, 100n)).toBe(3n);
    expect(divideRoundHalfEven(249n, 100n)).toBe(2n);
    expect(divideRoundHalfEven(-251n, 100n)).toBe(-3n);
    expect(divideRoundHalfEven(-249n, 100n)).toBe(-2n);
  });

  it('is within half a unit of the exact quotient and symmetric in sign (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (n, d) => {
          const q = divideRoundHalfEven(n, d);
          const gap = 2n * (n - q * d); // 2·(n/d − q)·d
          expect(gap <= d && -gap <= d).toBe(true);
          if (gap === d || -gap === d) expect(q % 2n).toBe(0n);
          expect(divideRoundHalfEven(-n, d)).toBe(-q);
        },
      ),
    );
  });
});

describe('convertAmount', () => {
  it('converts EUR to USD at the published rate, keeping both rates, date and source', () => {
    expect(convert(100_00n, EUR, '1', USD, '1.1684')).toEqual({
      fromAmountMinor: 10000n,
      fromCurrency: 'EUR',
      amountMinor: 11684n,
      currency: 'USD',
      rate: '1.1684',
      fromRatePerEur: '1',
      toRatePerEur: '1.1684',
      rateDate: '2026-04-13',
      source: 'test',
    });
  });

  it('rounds a tie to even in both directions: 0.125 → 0.12, 0.135 → 0.14', () => {
    // 1 EUR cent at 12.5 USD/EUR = 12.5 cents: tie, 12 is even → down.
    expect(convert(1n, EUR, '1', USD, '12.5').amountMinor).toBe(12n);
    // 1 EUR cent at 13.5 USD/EUR = 13.5 cents: tie, 14 is even → up.
    expect(convert(1n, EUR, '1', USD, '13.5').amountMinor).toBe(14n);
    // USD→EUR with rate 8: 4 cents / 8 = 0.5 cent → 0; 12 cents / 8 = 1.5 → 2.
    expect(convert(4n, USD, '8', EUR, '1').amountMinor).toBe(0n);
    expect(convert(12n, USD, '8', EUR, '1').amountMinor).toBe(2n);
  });

  it('is symmetric for negative amounts (a reversal converts to exactly minus the original)', () => {
    expect(convert(-1n, EUR, '1', USD, '12.5').amountMinor).toBe(-12n);
    expect(convert(-1n, EUR, '1', USD, '13.5').amountMinor).toBe(-14n);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (amount, a, b) => {
          const rateA = formatAmount(BigInt(a), 4);
          const rateB = formatAmount(BigInt(b), 4);
          expect(convert(-amount, USD, rateA, KWD, rateB).amountMinor).toBe(
            -convert(amount, USD, rateA, KWD, rateB).amountMinor,
          );
        },
      ),
    );
  });

  it('handles JPY (0 decimals) and KWD (3 decimals) exponents exactly', () => {
    // 1000.00 EUR → JPY at 186.75: 186750 yen.
    expect(convert(1000_00n, EUR, '1', JPY, '186.75').amountMinor).toBe(186_750n);
    // 1 yen → EUR cents at 186.75: 100/186.75 = 0.5354… cent → 1 cent.
    expect(convert(1n, JPY, '186.75', EUR, '1').amountMinor).toBe(1n);
    // 10,000 yen → KWD at JPY 186.75, KWD 0.3587 per EUR: 10000 × 0.3587 / 186.75 KWD
    // = 19.207496… KWD = 19207.496… fils → 19207 fils.
    expect(convert(10_000n, JPY, '186.75', KWD, '0.3587').amountMinor).toBe(19_207n);
    // 1.000 KWD (1000 fils) → yen: 186.75 / 0.3587 = 520.6300… → 521 yen.
    expect(convert(1000n, KWD, '0.3587', JPY, '186.75').amountMinor).toBe(521n);
  });

  it('computes a cross rate through EUR without rounding the cross rate first', () => {
    // 1,000,000.00 USD → NOK at USD 1.1684, NOK 11.098 per EUR:
    // 100000000 × 11.098 / 1.1684 = 949845943.170… øre → 949845943.
    const result = convert(100_000_000n, USD, '1.1684', NOK, '11.098');
    expect(result.amountMinor).toBe(949_845_943n);
    expect(result.rate).toBe('9.498459432');
    expect((100_000_000n * 11098n * 10n ** 4n) / (11684n * 10n ** 3n)).toBe(949_845_943n);
  });

  it('refuses a non-positive or non-decimal rate, and a EUR rate other than 1, as a bug', () => {
    expect(() => convert(1n, USD, '0', EUR, '1')).toThrow(/Invariant violated/);
    expect(() => convert(1n, USD, '-1.1', EUR, '1')).toThrow(/Invariant violated/);
    expect(() => convert(1n, USD, '1e2', EUR, '1')).toThrow(/Invariant violated/);
    expect(() => convert(1n, USD, '1.1', EUR, '1.0001')).toThrow(/Invariant violated/);
    expect(convert(1n, USD, '2', EUR, '1.000').amountMinor).toBe(0n); // 0.5 cent → 0 (even)
  });

  it('round-trips within one minor unit when both currencies have the same exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 5_000, max: 20_000 }),
        (amount, r) => {
          const rate = formatAmount(BigInt(r), 4);
          const there = convert(amount, USD, rate, EUR, '1').amountMinor;
          const back = convert(there, EUR, '1', USD, rate).amountMinor;
          const gap = back - amount;
          expect(gap <= 1n && gap >= -1n).toBe(true);
        },
      ),
    );
  });
});

describe('crossRate', () => {
  it('gives 10 significant digits, half to even, trailing zeros dropped, no exponent', () => {
    expect(crossRate('1', '1.1684')).toBe('1.1684');
    expect(crossRate('1.1684', '1')).toBe('0.855871277');
    expect(crossRate('20082.05', '1')).toBe('0.00004979571309');
    expect(crossRate('1', '372188')).toBe('372188');
    expect(crossRate('0.001', '372188')).toBe('372188000');
    expect(crossRate('3', '1')).toBe('0.3333333333');
    expect(crossRate('1.5', '1.5')).toBe('1');
  });
});

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate('20250101')).toBe(false);
    expect(isIsoDate(' 2025-01-01')).toBe(false);
    expect(isIsoDate(20250101)).toBe(false);
  });

  it('adds and counts calendar days across month and year ends', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2025-12-31', '2026-01-10')).toBe(10);
    expect(daysBetween('2026-01-10', '2025-12-31')).toBe(-10);
  });
});
