/**
 * The exact text of imported figures, pure: scientific notation expanded without a float, the
 * half-even ratio Kiel's pct_gdp is checked against, and XLSX cells read as the text a person
 * typed (numbers beyond what a double holds exactly are refused, not rounded).
 */
import { describe, expect, it } from 'vitest';
import { cellText } from '../../src/services/imports/contribution-sheet.js';
import {
  divideDecimalText,
  exactDecimalText,
  scaleOf,
} from '../../src/services/imports/decimal-text.js';

describe('exactDecimalText', () => {
  it.each([
    ['3521418059.923445', '3521418059.923445'],
    ['0.50', '0.50'], // a plain decimal keeps its scale
    ['1.23456789E+12', '1234567890000'],
    ['1.5e3', '1500'],
    ['2.5e-3', '0.0025'],
    ['12345678901234567890123E-20', '123.45678901234567890123'],
    ['1E+40', `1${'0'.repeat(40)}`],
  ])('%s → %s', (text, exact) => {
    expect(exactDecimalText(text)).toBe(exact);
  });

  it.each(['', '-1', '1,000', '1 000', '.5', '5.', '+5', '1e', '1E+41', 'NaN', 'Infinity', '0x10'])(
    'refuses %j',
    (text) => {
      expect(exactDecimalText(text)).toBeUndefined();
    },
  );

  it('accepts a negative figure only when told to', () => {
    expect(exactDecimalText('-0.25', { allowNegative: true })).toBe('-0.25');
    expect(exactDecimalText('-2.5E-1', { allowNegative: true })).toBe('-0.25');
  });
});

describe('divideDecimalText', () => {
  it('rounds an exact half to even, both ways and in sign', () => {
    expect(divideDecimalText('1', '8', 2)).toBe('0.12'); // 0.125 → 0.12
    expect(divideDecimalText('3', '8', 2)).toBe('0.38'); // 0.375 → 0.38
    expect(divideDecimalText('-3', '8', 2)).toBe('-0.38');
    expect(divideDecimalText('1', '3', 4)).toBe('0.3333');
  });

  it('shifts by powers of ten (a percentage is shift 2)', () => {
    expect(divideDecimalText('9.100', '4121.160', 4, 2)).toBe('0.2208');
    expect(divideDecimalText('1.000', '200.000', 0, 2)).toBe('0');
    expect(divideDecimalText('25', '1', 0, -1)).toBe('2'); // 2.5 → 2
    expect(scaleOf('0.2208')).toBe(4);
    expect(scaleOf('12')).toBe(0);
  });

  it('carries more decimals than any currency has', () => {
    expect(divideDecimalText('1', '3', 25)).toBe(`0.${'3'.repeat(25)}`);
  });
});

describe('cellText (XLSX cells)', () => {
  it.each<[unknown, string]>([
    [null, ''],
    ['  NLD ', 'NLD'],
    [500000000, '500000000'],
    [1234.5, '1234.5'],
    [0.1 + 0.2, 'problem'], // 0.30000000000000004: 17 significant digits
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [new Date(Date.UTC(2025, 7, 4)), '2025-08-04'],
    [{ richText: [{ text: 'PURL ' }, { text: 'package' }] }, 'PURL package'],
    [{ formula: 'A1*2', result: 600000 }, '600000'],
    [{ text: 'link', hyperlink: 'https://example.org' }, 'link'],
  ])('%j', (value, expected) => {
    const text = cellText(value);
    if (expected === 'problem') expect(text).toHaveProperty('problem');
    else expect(text).toBe(expected);
  });

  it('refuses what it cannot read exactly, saying why', () => {
    expect(cellText(12345678901234.56)).toEqual({
      problem: expect.stringContaining('more than 15 significant digits') as unknown,
    });
    expect(cellText(new Date(Date.UTC(2025, 7, 4, 13, 30)))).toEqual({
      problem: 'a date with a time of day; enter the day only',
    });
    expect(cellText({ error: '#DIV/0!' })).toEqual({
      problem: 'the cell holds the error #DIV/0!',
    });
    expect(cellText({ formula: 'A1' })).toEqual({ problem: 'a formula without a computed value' });
  });
});
