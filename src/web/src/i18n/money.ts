/**
 * Money and exact decimals for display. The API sends amounts as integers of minor units in
 * decimal strings (`"123456"` with `USD` is $1,234.56); they become decimal text here by moving
 * the decimal point in the string — never by dividing a float — and Intl formats that text
 * exactly (Intl.NumberFormat accepts decimal strings without converting them to numbers).
 *
 * Minor-unit exponents are ISO 4217's (the ledger's `currency` table). Intl knows most of them;
 * where CLDR's display digits differ from ISO's (HUF, IQD, …) `MINOR_UNIT_EXCEPTIONS` holds the
 * ISO value, and a test compares this module with the ledger's table for every currency.
 */

/** ISO 4217 minor units that differ from Intl's default fraction digits (CLDR). */
export const MINOR_UNIT_EXCEPTIONS: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/** The ISO 4217 minor-unit exponent of a currency (2 for USD, 0 for JPY, 3 for KWD). */
export function minorUnitOf(currency: string): number {
  const exception = MINOR_UNIT_EXCEPTIONS[currency];
  if (exception !== undefined) return exception;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

/**
 * Minor units (decimal integer text) → exact decimal text of major units:
 * `("123456", 2)` → `"1234.56"`, `("-5", 2)` → `"-0.05"`, `("7", 0)` → `"7"`.
 */
export function minorToDecimal(minor: string, exponent: number): string {
  if (!INTEGER.test(minor)) throw new Error(`Not an integer of minor units: ${minor}`);
  if (!Number.isInteger(exponent) || exponent < 0) throw new Error(`Bad exponent: ${exponent}`);
  const negative = minor.startsWith('-');
  const digits = negative ? minor.slice(1) : minor;
  if (exponent === 0) return minor;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const fraction = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** True for text that Intl may format exactly: an optional `-`, digits, optional decimals. */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * A decimal string as a number, for chart geometry only (bar lengths, axis ranges): the labels
 * and tooltips are formatted from the exact text, never from this.
 */
export function decimalToChartNumber(text: string): number {
  return Number(text);
}

/** Intl's locale for each language of the app (dates as Europeans write them in English). */
export const INTL_LOCALES = { en: 'en-GB', fr: 'fr-FR', uk: 'uk-UA' } as const;
export type Language = keyof typeof INTL_LOCALES;

export interface MoneyFormatOptions {
  /** "$2.95bn", "2,95 Md $", "2,95 млрд $": for tiles and chart axes. */
  compact?: boolean;
}

/** Formats minor units of a currency for a language, exactly (half-even at the last digit). */
export function formatMoney(
  language: Language,
  minor: string,
  currency: string,
  options: MoneyFormatOptions = {},
): string {
  const exponent = minorUnitOf(currency);
  const decimal = minorToDecimal(minor, exponent);
  // The euro and the dollar are unambiguous as bare symbols; "kr" would not be (NOK, SEK, DKK).
  const display = currency === 'USD' || currency === 'EUR' ? 'narrowSymbol' : 'symbol';
  const format = new Intl.NumberFormat(INTL_LOCALES[language], {
    style: 'currency',
    currency,
    currencyDisplay: display,
    roundingMode: 'halfEven',
    ...(options.compact
      ? {
          notation: 'compact',
          compactDisplay: 'short',
          minimumFractionDigits: 0,
          maximumFractionDigits: 2,
        }
      : { minimumFractionDigits: exponent, maximumFractionDigits: exponent }),
  });
  return format.format(decimal as Intl.StringNumericLiteral);
}

/** Formats an amount already in major units, as exact decimal text (`"123.45"`, per capita). */
export function formatMoneyDecimal(language: Language, text: string, currency: string): string {
  if (!isDecimalText(text)) return text;
  const exponent = minorUnitOf(currency);
  return new Intl.NumberFormat(INTL_LOCALES[language], {
    style: 'currency',
    currency,
    currencyDisplay: currency === 'USD' || currency === 'EUR' ? 'narrowSymbol' : 'symbol',
    roundingMode: 'halfEven',
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(text as Intl.StringNumericLiteral);
}

/** Formats exact decimal text as a number (`"1234.5"` → "1,234.5" / "1 234,5"). */
export function formatDecimal(
  language: Language,
  text: string,
  options: { maximumFractionDigits?: number; minimumFractionDigits?: number } = {},
): string {
  if (!isDecimalText(text)) return text;
  return new Intl.NumberFormat(INTL_LOCALES[language], {
    roundingMode: 'halfEven',
    maximumFractionDigits: options.maximumFractionDigits ?? 20,
    minimumFractionDigits: options.minimumFractionDigits ?? 0,
  }).format(text as Intl.StringNumericLiteral);
}

/** Formats a percentage given as exact decimal text (`"12.35"` → "12.35%" / "12,35 %"). */
export function formatPercent(language: Language, text: string, fractionDigits = 2): string {
  if (!isDecimalText(text)) return text;
  return new Intl.NumberFormat(INTL_LOCALES[language], {
    style: 'unit',
    unit: 'percent',
    roundingMode: 'halfEven',
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  }).format(text as Intl.StringNumericLiteral);
}

/** Why typed money text is not an amount (each has a message in `common:money`). */
export type MoneyInputProblem = 'required' | 'format' | 'tooManyDecimals' | 'notPositive';

/**
 * Money as a person types it in their language → exact minor units (decimal integer text), or
 * the problem. English takes `1,234.56`; French and Ukrainian take `1 234,56` (and a `.` as the
 * decimal mark too); spaces of any kind group digits. More decimals than the currency has are
 * refused rather than rounded, so what is recorded is what was typed.
 */
export function parseMoneyInput(
  language: Language,
  text: string,
  currency: string,
  { allowZero = false }: { allowZero?: boolean } = {},
): { minor: string } | { problem: MoneyInputProblem } {
  const compact = text.replace(/[\s\u00a0\u202f']/g, '');
  if (compact === '') return { problem: 'required' };
  let plain: string;
  if (language === 'en') {
    plain = compact.replace(/,/g, '');
  } else {
    if (compact.includes(',') && compact.includes('.')) return { problem: 'format' };
    plain = compact.replace(',', '.');
  }
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(plain);
  if (!match) return { problem: 'format' };
  const exponent = minorUnitOf(currency);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return { problem: 'tooManyDecimals' };
  const minor = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (!allowZero && /^0+$/.test(minor)) return { problem: 'notPositive' };
  return { minor };
}

/** Minor units → the text a money field shows for editing (`"123456"`, USD → `1234.56`). */
export function minorToInputText(language: Language, minor: string, currency: string): string {
  const decimal = minorToDecimal(minor, minorUnitOf(currency));
  return language === 'en' ? decimal : decimal.replace('.', ',');
}
