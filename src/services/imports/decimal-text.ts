/**
 * Exact decimal text of imported figures (GDP in US$, population, Kiel's EUR bn), never through
 * a JS number. Accepts a plain decimal (`-12.5`, kept as written so its scale survives) or
 * scientific notation as spreadsheets write large numbers (`1.23456789E+12`, expanded exactly to
 * `1234567890000`). Also the exact ratio Kiel's `pct_gdp` is checked against.
 */
import { divideRoundHalfEven } from '../../core/fx.js';
import type { Decimal } from '../../core/money.js';

/** Characters of one figure's text; an exponent beyond ±`EXPONENT_MAX` is not a real figure. */
const TEXT_MAX_CHARS = 60;
const EXPONENT_MAX = 40;
const PATTERN = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact decimal text of `text`, or `undefined` when it is not a number written as above
 * (or is negative and `allowNegative` is not set).
 */
export function exactDecimalText(
  text: string,
  options: { allowNegative?: boolean } = {},
): string | undefined {
  if (text.length === 0 || text.length > TEXT_MAX_CHARS) return undefined;
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  if (sign === '-' && !options.allowNegative) return undefined;
  if (exponentText === undefined) return text;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > EXPONENT_MAX) return undefined;
  const scale = fraction.length - exponent;
  const digits = BigInt(whole + fraction);
  const mantissa = sign === '-' ? -digits : digits;
  const decimal: Decimal =
    scale >= 0 ? { mantissa, scale } : { mantissa: mantissa * 10n ** BigInt(-scale), scale: 0 };
  return trimFraction(formatScaled(decimal.mantissa, decimal.scale));
}

/**
 * `units × 10^-scale` as plain decimal text (`formatScaled(-5n, 2)` → `"-0.05"`). Like
 * `formatAmount`, without its bound on the scale: imported figures may carry many decimals.
 */
function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return (negative ? '-' : '') + whole + fraction;
}

/** Parses a plain decimal (`-12.50`) exactly, or `undefined`. */
function parsePlain(text: string): Decimal | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { mantissa: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** `"1.2300"` → `"1.23"`, `"5.000"` → `"5"`: the shortest spelling of the same number. */
function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** The number of decimals `text` (a plain decimal) is written with. */
export function scaleOf(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/**
 * `numerator / denominator × 10^shift`, rounded half to even to `scale` decimals, as text.
 * Both are plain decimal texts; the denominator must not be zero.
 */
export function divideDecimalText(
  numerator: string,
  denominator: string,
  scale: number,
  shift = 0,
): string {
  const n = parsePlain(numerator);
  const d = parsePlain(denominator);
  if (!n || !d || d.mantissa === 0n) throw new RangeError('divideDecimalText: invalid operands');
  // n.m·10^-n.s / (d.m·10^-d.s) · 10^(shift+scale) — an integer count of 10^-scale units.
  let top = n.mantissa * 10n ** BigInt(d.scale);
  let bottom = d.mantissa * 10n ** BigInt(n.scale);
  const power = shift + scale;
  if (power >= 0) top *= 10n ** BigInt(power);
  else bottom *= 10n ** BigInt(-power);
  if (bottom < 0n) {
    top = -top;
    bottom = -bottom;
  }
  return formatScaled(divideRoundHalfEven(top, bottom), scale);
}
