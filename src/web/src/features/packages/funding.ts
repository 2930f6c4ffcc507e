/**
 * The arithmetic of the funding panel, exact (bigint minor units, never floats): an amount
 * converted as the server converts it (ECB rates per EUR as exact decimal text, rounded once,
 * half to even — `core/fx.ts`), the smallest amount of a contribution's currency that covers a
 * gap and the share funded. Whether a contribution's earmarks let it fund a package is the
 * server's to say (`GET /contributions?eligibleFor=`), from the rule the allocation enforces.
 */
import { minorUnitOf } from '../../i18n/money';

interface RateDecimal {
  mantissa: bigint;
  scale: number;
}

function parseRate(text: string): RateDecimal {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text.trim());
  if (!match) throw new Error(`Not a rate: ${text}`);
  const fraction = match[2] ?? '';
  const mantissa = BigInt((match[1] ?? '0') + fraction);
  if (mantissa <= 0n) throw new Error(`Not a positive rate: ${text}`);
  return { mantissa, scale: fraction.length };
}

/** `numerator / denominator` rounded to the nearest integer, an exact half to the even one. */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const quotient = n / denominator;
  const twice = 2n * (n - quotient * denominator);
  const rounded =
    twice > denominator || (twice === denominator && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  return negative ? -rounded : rounded;
}

export interface RatePair {
  from: string;
  to: string;
  /** Units of `from` per 1 EUR, exact decimal text. */
  fromRatePerEur: string;
  /** Units of `to` per 1 EUR, exact decimal text. */
  toRatePerEur: string;
}

/** amount × numerator / denominator is the converted amount (before the one rounding). */
function ratio(pair: RatePair): { numerator: bigint; denominator: bigint } {
  const a = parseRate(pair.fromRatePerEur);
  const b = parseRate(pair.toRatePerEur);
  return {
    numerator: b.mantissa * 10n ** BigInt(a.scale + minorUnitOf(pair.to)),
    denominator: a.mantissa * 10n ** BigInt(b.scale + minorUnitOf(pair.from)),
  };
}

/** `amountMinor` of `pair.from` in `pair.to`, as the server converts it. */
export function convertMinor(amountMinor: bigint, pair: RatePair): bigint {
  const { numerator, denominator } = ratio(pair);
  return divideRoundHalfEven(amountMinor * numerator, denominator);
}

/** The smallest amount of `pair.from` whose conversion is at least `gapMinor` of `pair.to`. */
export function amountCovering(gapMinor: bigint, pair: RatePair): bigint {
  if (gapMinor <= 0n) return 0n;
  const { numerator, denominator } = ratio(pair);
  let amount = (gapMinor * denominator + numerator - 1n) / numerator;
  while (amount > 1n && convertMinor(amount - 1n, pair) >= gapMinor) amount -= 1n;
  while (convertMinor(amount, pair) < gapMinor) amount += 1n;
  return amount;
}

/** `part / whole` as a percentage in exact decimal text with two decimals (`"42.17"`). */
export function percentText(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '0';
  const hundredths = divideRoundHalfEven(part * 10_000n, whole);
  const negative = hundredths < 0n;
  const digits = (negative ? -hundredths : hundredths).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** The same, clamped to 0–100, as a number for a progress bar's length only. */
export function progressValue(part: bigint, whole: bigint): number {
  const value = Number(percentText(part, whole));
  return Math.max(0, Math.min(100, value));
}

/** True for a month written `YYYY-MM`. */
export function isCycle(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}
