/**
 * Money for display is exact: minor units become decimal text by moving the decimal point (no
 * float), and Intl formats that text without rounding through a double — amounts beyond 2^53
 * keep every digit; compact forms round half to even at the last shown digit.
 */
import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatMoneyDecimal,
  formatPercent,
  minorToDecimal,
  minorToInputText,
  minorUnitOf,
  parseMoneyInput,
} from './money';

/** Intl separates groups with narrow no-break spaces in French and Ukrainian: make them plain. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('minorToDecimal', () => {
  it('moves the decimal point by the exponent, padding with zeros', () => {
    expect(minorToDecimal('123456', 2)).toBe('1234.56');
    expect(minorToDecimal('5', 2)).toBe('0.05');
    expect(minorToDecimal('-5', 2)).toBe('-0.05');
    expect(minorToDecimal('0', 2)).toBe('0.00');
    expect(minorToDecimal('7', 0)).toBe('7');
    expect(minorToDecimal('1234', 3)).toBe('1.234');
  });

  it('keeps every digit of amounts beyond what a double holds', () => {
    expect(minorToDecimal('123456789012345678901', 2)).toBe('1234567890123456789.01');
  });

  it('refuses text that is not an integer of minor units', () => {
    expect(() => minorToDecimal('12.5', 2)).toThrow();
    expect(() => minorToDecimal('1e5', 2)).toThrow();
    expect(() => minorToDecimal('', 2)).toThrow();
  });
});

describe('minorUnitOf', () => {
  it('gives ISO 4217 exponents, also where Intl’s display digits differ', () => {
    expect(minorUnitOf('USD')).toBe(2);
    expect(minorUnitOf('JPY')).toBe(0);
    expect(minorUnitOf('KWD')).toBe(3);
    expect(minorUnitOf('HUF')).toBe(2);
    expect(minorUnitOf('IQD')).toBe(3);
  });
});

describe('formatMoney', () => {
  it('formats exactly in each language', () => {
    expect(formatMoney('en', '123456789', 'USD')).toBe('$1,234,567.89');
    expect(plain(formatMoney('fr', '123456789', 'EUR'))).toBe('1 234 567,89 €');
    expect(plain(formatMoney('uk', '123456789', 'EUR'))).toBe('1 234 567,89 €');
    expect(formatMoney('en', '100', 'JPY')).toBe('JP¥100');
  });

  it('keeps every digit of an amount beyond 2^53 minor units', () => {
    expect(formatMoney('en', '900719925474099312', 'USD')).toBe('$9,007,199,254,740,993.12');
  });

  it('writes compact forms for tiles, half to even at the last shown digit', () => {
    expect(formatMoney('en', '123500000000', 'USD', { compact: true })).toBe('$1.24bn');
    expect(formatMoney('en', '122500000000', 'USD', { compact: true })).toBe('$1.22bn');
    expect(plain(formatMoney('fr', '123000000000', 'USD', { compact: true }))).toBe('1,23 Md $');
    expect(plain(formatMoney('uk', '123000000000', 'USD', { compact: true }))).toBe('1,23 млрд $');
  });

  it('names ambiguous currencies by their symbol or code, never a bare "kr"', () => {
    expect(formatMoney('en', '100', 'NOK')).not.toMatch(/^kr/);
  });
});

describe('formatMoneyDecimal and formatPercent', () => {
  it('format decimal text exactly', () => {
    expect(formatMoneyDecimal('en', '12.5', 'USD')).toBe('$12.50');
    expect(formatPercent('en', '12.35')).toBe('12.35%');
    expect(plain(formatPercent('fr', '12.35'))).toBe('12,35 %');
    expect(formatPercent('en', '100.645', 0)).toBe('101%');
  });
});

describe('parseMoneyInput', () => {
  it('reads each language’s way of writing an amount, exactly', () => {
    expect(parseMoneyInput('en', '1,234.56', 'USD')).toEqual({ minor: '123456' });
    expect(parseMoneyInput('fr', '1 234,56', 'EUR')).toEqual({ minor: '123456' });
    expect(parseMoneyInput('uk', '1\u202f234,5', 'EUR')).toEqual({ minor: '123450' });
    expect(parseMoneyInput('fr', '12.5', 'EUR')).toEqual({ minor: '1250' });
    expect(parseMoneyInput('en', '90071992547409931', 'USD')).toEqual({
      minor: '9007199254740993100',
    });
    expect(parseMoneyInput('en', '7', 'JPY')).toEqual({ minor: '7' });
  });

  it('names the problem instead of guessing', () => {
    expect(parseMoneyInput('en', '  ', 'USD')).toEqual({ problem: 'required' });
    expect(parseMoneyInput('en', '12.345', 'USD')).toEqual({ problem: 'tooManyDecimals' });
    expect(parseMoneyInput('en', '1.5', 'JPY')).toEqual({ problem: 'tooManyDecimals' });
    expect(parseMoneyInput('fr', '1.234,5', 'EUR')).toEqual({ problem: 'format' });
    expect(parseMoneyInput('en', '-5', 'USD')).toEqual({ problem: 'format' });
    expect(parseMoneyInput('en', '12abc', 'USD')).toEqual({ problem: 'format' });
    expect(parseMoneyInput('en', '0.00', 'USD')).toEqual({ problem: 'notPositive' });
    expect(parseMoneyInput('en', '0', 'USD', { allowZero: true })).toEqual({ minor: '0' });
  });

  it('gives back what it shows for editing', () => {
    expect(minorToInputText('fr', '123456', 'EUR')).toBe('1234,56');
    expect(parseMoneyInput('fr', minorToInputText('fr', '123456', 'EUR'), 'EUR')).toEqual({
      minor: '123456',
    });
  });
});
