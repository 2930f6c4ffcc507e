/**
 * Money is a `bigint` count of minor units of one currency (cents for USD, yen for JPY, fils
 * for KWD), from the database to the API's JSON and back. Decimal text is parsed and formatted
 * here, exactly, with string and bigint arithmetic only — a JS `number` never holds an amount.
 *
 * Accepted amount text (one canonical spelling, strict on purpose — a spreadsheet's "1,234.50"
 * or "1.2e3" is a mistake to report, not to guess at):
 *   - digits, optionally a `.` and at least one more digit: `1234.50`, `0.5`, `007` (leading
 *     zeros are harmless and accepted);
 *   - at most `exponent` decimals (`1.500` is refused for USD: a third decimal usually means the
 *     wrong currency or unit, so it is reported rather than silently accepted);
 *   - a leading `-` only when the caller allows negatives; a leading `+` never (it adds nothing
 *     and the API writes amounts without it);
 *   - no spaces, no thousands separators, no exponent notation, no `NaN`/`Infinity`, no `.5`
 *     or `5.`, at most `LIMITS.amountTextMaxChars` characters.
 */
import { DomainError, assert } from './errors.js';
import { LIMITS } from './limits.js';

/** An amount in minor units of `currency` (ISO 4217 code). */
export interface Money {
  amountMinor: bigint;
  currency: string;
}

/** An exact decimal number: `mantissa × 10^-scale` (so `1.1684` is `{ 11684n, 4 }`). */
export interface Decimal {
  mantissa: bigint;
  scale: number;
}

/** The largest exponent this module accepts; ISO 4217 uses 0 to 4. */
export const EXPONENT_MAX = 18;

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses decimal text exactly, or returns `undefined` when it is not a plain decimal
 * (`-`? digits (`.` digits)?). Callers that report errors use `parseAmount` or their own code.
 */
export function tryParseDecimal(text: unknown): Decimal | undefined {
  if (typeof text !== 'string' || text.length > LIMITS.amountTextMaxChars) return undefined;
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { mantissa: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** Formats an exact decimal, keeping its scale (`{ 11684n, 4 }` → `"1.1684"`). */
export function formatDecimal(decimal: Decimal): string {
  return formatAmount(decimal.mantissa, decimal.scale);
}

export interface ParseAmountOptions {
  /** The input field, reported in `details.field` (`"amount"` if not given). */
  field?: string;
  /** Accept a leading `-` (a correction, a balance). Default: amounts are non-negative. */
  allowNegative?: boolean;
}

/**
 * `parseAmount("1234.50", 2)` → `123450n`. Throws `AMOUNT_INVALID` naming the field for
 * anything but the spelling described at the top of this file.
 */
export function parseAmount(
  text: unknown,
  exponent: number,
  options: ParseAmountOptions = {},
): bigint {
  assertExponent(exponent);
  const field = options.field ?? 'amount';
  const invalid = (why: string) =>
    new DomainError('AMOUNT_INVALID', `${field}: ${why}`, { field, value: String(text) });
  if (typeof text !== 'string') throw invalid('expected a decimal string such as "1234.50"');
  if (text.length > LIMITS.amountTextMaxChars)
    throw invalid(`longer than ${LIMITS.amountTextMaxChars} characters`);
  const decimal = tryParseDecimal(text);
  if (!decimal) {
    throw invalid(
      `"${text}" is not a plain decimal (digits, optional "." and decimals; no "+", spaces, separators or exponent)`,
    );
  }
  if (text.startsWith('-') && !options.allowNegative)
    throw invalid(`"${text}" is negative; this amount must not be`);
  if (decimal.scale > exponent) {
    throw invalid(
      exponent === 0
        ? `"${text}" has decimals; this currency has no minor unit`
        : `"${text}" has ${decimal.scale} decimals; this currency allows at most ${exponent}`,
    );
  }
  return decimal.mantissa * 10n ** BigInt(exponent - decimal.scale);
}

/** `formatAmount(123450n, 2)` → `"1234.50"`; `formatAmount(-5n, 2)` → `"-0.05"`. */
export function formatAmount(amountMinor: bigint, exponent: number): string {
  assertExponent(exponent);
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return (negative ? '-' : '') + whole + (exponent > 0 ? `.${fraction}` : '');
}

function assertExponent(exponent: number): void {
  assert(
    Number.isInteger(exponent) && exponent >= 0 && exponent <= EXPONENT_MAX,
    `a minor-unit exponent is an integer from 0 to ${EXPONENT_MAX}, got ${exponent}`,
  );
}
