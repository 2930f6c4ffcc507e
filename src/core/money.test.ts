import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { LIMITS } from './limits.js';
import { formatAmount, formatDecimal, parseAmount, tryParseDecimal } from './money.js';

function parseError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseAmount', () => {
  it('parses decimal text exactly into minor units for exponents 0, 2 and 3', () => {
    expect(parseAmount('1234.50', 2)).toBe(123450n);
    expect(parseAmount('1234.5', 2)).toBe(123450n);
    expect(parseAmount('1234', 2)).toBe(123400n);
    expect(parseAmount('0.01', 2)).toBe(1n);
    expect(parseAmount('0', 2)).toBe(0n);
    expect(parseAmount('007.10', 2)).toBe(710n);
    expect(parseAmount('186', 0)).toBe(186n);
    expect(parseAmount('1.234', 3)).toBe(1234n);
  });

  it('keeps every digit of amounts far beyond 2^53 (no float on the way)', () => {
    expect(parseAmount('92233720368547758.07', 2)).toBe(9223372036854775807n);
    expect(parseAmount('123456789012345678901234567890.12', 2)).toBe(
      12345678901234567890123456789012n,
    );
  });

  it('accepts a leading minus only when negatives are allowed; "-0" is zero', () => {
    expect(parseAmount('-12.34', 2, { allowNegative: true })).toBe(-1234n);
    expect(parseAmount('-0', 2, { allowNegative: true })).toBe(0n);
    expect(parseError(() => parseAmount('-12.34', 2)).code).toBe('AMOUNT_INVALID');
    expect(parseError(() => parseAmount('-0', 2)).code).toBe('AMOUNT_INVALID');
  });

  it.each([
    ['+1.00', 'leading plus'],
    ['1e3', 'exponent notation'],
    ['1E-2', 'exponent notation'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', 'Infinity'],
    ['', 'empty'],
    [' 1.00', 'leading space'],
    ['1.00 ', 'trailing space'],
    ['1,234.50', 'thousands separator'],
    ['1 234', 'space separator'],
    ['1234,50', 'decimal comma'],
    ['.50', 'no whole part'],
    ['5.', 'no decimals after the point'],
    ['0x10', 'hexadecimal'],
    ['1_000', 'numeric separator'],
    ['١٢٣', 'non-ASCII digits'],
    ['--1', 'double sign'],
    ['1.2.3', 'two points'],
  ])('refuses %j (%s) with AMOUNT_INVALID', (text) => {
    const error = parseError(() => parseAmount(text, 2, { allowNegative: true }));
    expect(error.code).toBe('AMOUNT_INVALID');
    expect(error.details.field).toBe('amount');
  });

  it('refuses more decimals than the currency has, naming the caller field', () => {
    const usd = parseError(() => parseAmount('1.005', 2, { field: 'contribution.amount' }));
    expect(usd.code).toBe('AMOUNT_INVALID');
    expect(usd.details.field).toBe('contribution.amount');
    expect(usd.message).toMatch(/at most 2/);
    const jpy = parseError(() => parseAmount('100.0', 0, { field: 'price' }));
    expect(jpy.details.field).toBe('price');
    expect(jpy.message).toMatch(/no minor unit/);
  });

  it('refuses non-strings (a JSON number would already have lost precision)', () => {
    for (const value of [123, 1.5, null, undefined, 10n, {}]) {
      expect(parseError(() => parseAmount(value, 2)).code).toBe('AMOUNT_INVALID');
    }
  });

  it(`refuses text longer than LIMITS.amountTextMaxChars (${LIMITS.amountTextMaxChars})`, () => {
    const long = '1'.repeat(LIMITS.amountTextMaxChars + 1);
    expect(parseError(() => parseAmount(long, 0)).code).toBe('AMOUNT_INVALID');
    expect(parseAmount('1'.repeat(LIMITS.amountTextMaxChars), 0)).toBe(
      BigInt('1'.repeat(LIMITS.amountTextMaxChars)),
    );
  });

  it('treats a bad exponent as a programming error, not user input', () => {
    expect(() => parseAmount('1', -1)).toThrow(/Invariant violated/);
    expect(() => parseAmount('1', 2.5)).toThrow(/Invariant violated/);
  });
});

describe('formatAmount', () => {
  it('writes minor units as decimal text with exactly the exponent decimals', () => {
    expect(formatAmount(123450n, 2)).toBe('1234.50');
    expect(formatAmount(5n, 2)).toBe('0.05');
    expect(formatAmount(-5n, 2)).toBe('-0.05');
    expect(formatAmount(0n, 3)).toBe('0.000');
    expect(formatAmount(186n, 0)).toBe('186');
    expect(formatAmount(-186n, 0)).toBe('-186');
    expect(formatAmount(9223372036854775807n, 2)).toBe('92233720368547758.07');
  });
});

describe('decimal text', () => {
  it('parses a decimal keeping its scale, and formats it back unchanged', () => {
    expect(tryParseDecimal('1.1684')).toEqual({ mantissa: 11684n, scale: 4 });
    expect(tryParseDecimal('-0.50')).toEqual({ mantissa: -50n, scale: 2 });
    expect(tryParseDecimal('1e3')).toBeUndefined();
    expect(formatDecimal({ mantissa: 11684n, scale: 4 })).toBe('1.1684');
  });
});

describe('money properties', () => {
  const exponent = fc.integer({ min: 0, max: 4 });
  const minor = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

  it('formatAmount then parseAmount gives back the same bigint, for any amount and exponent', () => {
    fc.assert(
      fc.property(minor, exponent, (amount, e) => {
        expect(parseAmount(formatAmount(amount, e), e, { allowNegative: true })).toBe(amount);
      }),
    );
  });

  it('parseAmount then formatAmount gives the canonical spelling of any valid text', () => {
    const text = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,20}$/),
        exponent,
        fc.stringMatching(/^[0-9]{0,4}$/),
      )
      .map(([negative, whole, e, fraction]) => ({
        e,
        text: `${negative ? '-' : ''}${whole}${fraction.slice(0, e) ? '.' + fraction.slice(0, e) : ''}`,
      }));
    fc.assert(
      fc.property(text, ({ text, e }) => {
        const amount = parseAmount(text, e, { allowNegative: true });
        const canonical = formatAmount(amount, e);
        // Same value: re-parsing the canonical text is the same amount and a fixed point.
        expect(parseAmount(canonical, e, { allowNegative: true })).toBe(amount);
        expect(formatAmount(parseAmount(canonical, e, { allowNegative: true }), e)).toBe(canonical);
        // And the canonical form has exactly e decimals.
        expect(canonical.split('.')[1]?.length ?? 0).toBe(e);
      }),
    );
  });

  it('parseAmount agrees with exact string arithmetic (no float rounding anywhere)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), exponent, (amount, e) => {
        const text = formatAmount(amount, e);
        expect(text.replace('.', '').replace(/^0+(?=\d)/, '')).toBe(amount.toString());
      }),
    );
  });
});
