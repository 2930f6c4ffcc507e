/**
 * Currency conversion, exactly. ECB reference rates are "units of the currency per 1 EUR",
 * published as decimal text ("1.1684"); EUR's own rate is exactly 1. Converting `amountMinor`
 * of currency A (exponent eA, rate rA) to B (exponent eB, rate rB) is the exact rational
 *
 *     amountB = amountA × (rB / rA) × 10^(eB − eA)      (both sides in minor units)
 *
 * computed with bigints (each rate as mantissa × 10^-scale) and rounded ONCE, to B's minor
 * unit, with ROUND HALF TO EVEN (banker's rounding: an exact half goes to the even neighbour,
 * so rounding errors do not drift one way over many conversions). Rounding is symmetric:
 * converting −x gives exactly −(converting x). Nothing is rounded before that single step —
 * in particular not the cross rate B-per-A, which is only rounded for display (`rate`).
 *
 * Also here: the calendar-date helpers the rate lookup needs (ISO `YYYY-MM-DD`, UTC, no time).
 */
import { BASE_CURRENCY } from './currency.js';
import { DomainError, assert } from './errors.js';
import { formatAmount, tryParseDecimal, type Decimal } from './money.js';

/** The `source` recorded on every rate imported from the ECB history file. */
export const ECB_SOURCE = 'ECB euro foreign exchange reference rates (eurofxref-hist)';

/** The source recorded for EUR's rate, which is 1 by definition and never imported. */
export const EUR_BASE_SOURCE = 'EUR is the ECB base currency (rate 1 by definition)';

/** EUR per EUR. */
export const EUR_RATE = '1';

/** Significant digits of the display cross rate (`Conversion.rate`). */
export const CROSS_RATE_SIGNIFICANT_DIGITS = 10;

/** Account code of the FX accounts, one per ledger (`fx:EUR`, `fx:USD`, …). */
export const FX_ACCOUNT_CODE = 900;

/** The FX account of a ledger. */
export function fxAccount(currency: string): string {
  return `fx:${currency}`;
}

/** One side of a conversion: a currency and its minor-unit exponent. */
export interface FxCurrency {
  code: string;
  minorUnit: number;
}

export interface ConvertAmountInput {
  amountMinor: bigint;
  from: FxCurrency;
  to: FxCurrency;
  /** Units of `from` per 1 EUR, exact decimal text as published ("1" for EUR). */
  fromRatePerEur: string;
  /** Units of `to` per 1 EUR, exact decimal text as published ("1" for EUR). */
  toRatePerEur: string;
  /** The day both rates were published for. */
  rateDate: string;
  source: string;
}

/** A converted figure keeps the original amount and currency, both rates, the date and source. */
export interface Conversion {
  fromAmountMinor: bigint;
  fromCurrency: string;
  amountMinor: bigint;
  currency: string;
  /** Units of `currency` per 1 unit of `fromCurrency`, 10 significant digits, for display only. */
  rate: string;
  fromRatePerEur: string;
  toRatePerEur: string;
  rateDate: string;
  source: string;
}

/** A rate per EUR: a strictly positive plain decimal, or `undefined`. */
export function tryParseRate(text: unknown): Decimal | undefined {
  const decimal = tryParseDecimal(text);
  return decimal && decimal.mantissa > 0n ? decimal : undefined;
}

function rateOf(text: string, currency: string): Decimal {
  const rate = tryParseRate(text);
  assert(rate, `the rate per EUR of ${currency} is a positive decimal, got ${text}`);
  if (currency === BASE_CURRENCY) {
    assert(rate.mantissa === 10n ** BigInt(rate.scale), `EUR's rate per EUR is 1, got ${text}`);
  }
  return rate;
}

/**
 * `numerator / denominator` rounded to the nearest integer, an exact half to the even one.
 * Symmetric in sign; `denominator` must be positive.
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  assert(denominator > 0n, 'the denominator is positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const quotient = n / denominator;
  const twiceRemainder = 2n * (n - quotient * denominator);
  const rounded =
    twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  return negative ? -rounded : rounded;
}

/** Converts exactly and rounds once, half to even, to the target's minor unit. */
export function convertAmount(input: ConvertAmountInput): Conversion {
  const { amountMinor, from, to } = input;
  const rateA = rateOf(input.fromRatePerEur, from.code);
  const rateB = rateOf(input.toRatePerEur, to.code);
  // amountA/10^eA × (mB/10^sB) / (mA/10^sA) × 10^eB, every power of ten on the positive side.
  const numerator = amountMinor * rateB.mantissa * 10n ** BigInt(rateA.scale + to.minorUnit);
  const denominator = rateA.mantissa * 10n ** BigInt(rateB.scale + from.minorUnit);
  return {
    fromAmountMinor: amountMinor,
    fromCurrency: from.code,
    amountMinor: divideRoundHalfEven(numerator, denominator),
    currency: to.code,
    rate: crossRate(input.fromRatePerEur, input.toRatePerEur),
    fromRatePerEur: input.fromRatePerEur,
    toRatePerEur: input.toRatePerEur,
    rateDate: input.rateDate,
    source: input.source,
  };
}

/**
 * Units of B per unit of A (`toRatePerEur / fromRatePerEur`) as decimal text rounded half to
 * even to `CROSS_RATE_SIGNIFICANT_DIGITS` significant digits, trailing zeros dropped, never in
 * exponent notation ("9.498416728", "0.0000497958", "186.75"). For display and audit only.
 */
export function crossRate(fromRatePerEur: string, toRatePerEur: string): string {
  const a = tryParseRate(fromRatePerEur);
  const b = tryParseRate(toRatePerEur);
  assert(a && b, `cross rate of positive decimals, got ${fromRatePerEur} and ${toRatePerEur}`);
  const numerator = b.mantissa * 10n ** BigInt(a.scale);
  const denominator = a.mantissa * 10n ** BigInt(b.scale);
  const whole = numerator / denominator;
  let decimals: number;
  if (whole > 0n) {
    decimals = Math.max(0, CROSS_RATE_SIGNIFICANT_DIGITS - whole.toString().length);
  } else {
    // Below 1: count the zeros after the point before the first significant digit.
    let zeros = 0;
    while (numerator * 10n ** BigInt(zeros + 1) < denominator) zeros++;
    decimals = zeros + CROSS_RATE_SIGNIFICANT_DIGITS;
  }
  const rounded = divideRoundHalfEven(numerator * 10n ** BigInt(decimals), denominator);
  const text = formatAmount(rounded, decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// ---- Calendar dates (ISO 8601 `YYYY-MM-DD`, proleptic Gregorian, no time zone) ----

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A real calendar date written `YYYY-MM-DD` (so `2025-02-29` is not). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = ISO_DATE_PATTERN.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d &&
    y >= 1000
  );
}

/** A date written `YYYY-MM-DD` (a real day), or VALIDATION_FAILED naming the field. */
export function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a date written YYYY-MM-DD.`, {
      field,
    });
  }
  return value;
}

/**
 * Days since 1970-01-01 of each date seen, checked once: the analyses ask for the same few
 * thousand days again and again (lead times: 20,000 stage lengths at scale 1, 45 ms when each
 * date was checked and parsed anew). Forgotten whole past `EPOCH_DAYS_KEPT_MAX` dates.
 */
const epochDays = new Map<string, number>();
const EPOCH_DAYS_KEPT_MAX = 100_000;

function epochDay(date: string): number {
  const known = epochDays.get(date);
  if (known !== undefined) return known;
  assert(isIsoDate(date), `an ISO date, got ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = Date.UTC(y, m - 1, d) / MS_PER_DAY;
  if (epochDays.size >= EPOCH_DAYS_KEPT_MAX) epochDays.clear();
  epochDays.set(date, day);
  return day;
}

/** `date` moved by `days` calendar days (negative: earlier). */
export function addDays(date: string, days: number): string {
  assert(Number.isInteger(days), 'whole days');
  return new Date((epochDay(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Calendar days from `earlier` to `later` (negative when `later` is earlier). */
export function daysBetween(earlier: string, later: string): number {
  return epochDay(later) - epochDay(earlier);
}
