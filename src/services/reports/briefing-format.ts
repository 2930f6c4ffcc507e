/**
 * Numbers, money, percentages and dates of the meeting briefing, written for the reader's
 * language (English or French). Pure: no I/O.
 *
 * Rules:
 * - Money starts from bigint minor units and is turned into exact decimal text with
 *   `core/money.ts` `formatAmount` (scaled to millions or billions by moving the decimal point);
 *   `Intl.NumberFormat` then rounds that TEXT half to even for display — it takes decimal strings
 *   exactly, so no amount ever passes through a JS float.
 * - Compact money for ministers: at least 999.95 million → billions with two decimals, at least
 *   one million → millions with one decimal, below that whole units with grouping:
 *   en "$1.23 bn", "€275.0 m", "$950,000"; fr "1,23 Md$", "275,0 M€", "950 000 $" (no-break
 *   space before the unit, French digit grouping with a narrow no-break space).
 * - Exact money (under each headline figure): every minor unit, en "$1,234,567.89",
 *   fr "1 234 567,89 $".
 * - Percentages come as decimal text (`core/analytics.ts` `percentText`): en "12.3%",
 *   fr "12,3 %" (narrow no-break space before %, as French typography wants).
 * - Dates: en "15 October 2025", fr "15 octobre 2025" (and "1er octobre 2025"); months
 *   "Oct 2025" / "oct. 2025"; times in UTC.
 * - Nothing known: an em dash "—".
 */
import type { ReportingCurrency } from '../../core/analytics.js';
import { formatAmount } from '../../core/money.js';

export const BRIEFING_LANGUAGES = ['en', 'fr'] as const;
export type BriefingLanguage = (typeof BRIEFING_LANGUAGES)[number];

/** The minor-unit exponent of both reporting currencies (USD and EUR: cents). */
const REPORTING_EXPONENT = 2;
const LOCALES: Record<BriefingLanguage, string> = { en: 'en-GB', fr: 'fr-FR' };
const SYMBOLS: Record<ReportingCurrency, string> = { USD: '$', EUR: '€' };

/** No-break space (between a number and its unit in French). */
export const NBSP = '\u00a0';
/** Narrow no-break space (before % in French; Intl's French digit grouping). */
export const NNBSP = '\u202f';
/** Shown where a figure is not known (no GDP, no rate, nothing to divide by). */
export const UNKNOWN = '—';

export interface BriefingFormat {
  lang: BriefingLanguage;
  /** Compact money: "$1.23 bn" / "1,23 Md$". */
  money(amountMinor: bigint, currency: ReportingCurrency): string;
  /** Every minor unit: "$1,234,567.89" / "1 234 567,89 $". */
  moneyExact(amountMinor: bigint, currency: ReportingCurrency): string;
  /** Money in billions as a plain number for chart axes and labels: "1.23" / "1,23". */
  billions(amountMinor: bigint, decimals?: number): string;
  /** Money in millions as a plain number: "275.0" / "275,0". */
  millions(amountMinor: bigint, decimals?: number): string;
  /** A percentage given as decimal text ("12.345"): "12.3%" / "12,3 %"; null → "—". */
  percent(percentText: string | null, decimals?: number): string;
  /** A whole number with grouping: "1,234" / "1 234". */
  integer(value: number | bigint): string;
  /** "15 October 2025" / "15 octobre 2025" (from `YYYY-MM-DD`); null → "—". */
  date(isoDate: string | null): string;
  /** "Oct 2025" / "oct. 2025" (from `YYYY-MM`). */
  month(yearMonth: string): string;
  /** "28 November 2026, 06:22 UTC" / "28 novembre 2026, 06:22 UTC" (from an ISO timestamp). */
  timestamp(iso: string): string;
}

export function briefingFormat(lang: BriefingLanguage): BriefingFormat {
  const locale = LOCALES[lang];
  const decimals = (digits: number) =>
    new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      roundingMode: 'halfEven',
    } as Intl.NumberFormatOptions);
  const fixed = [0, 1, 2, 3, 4].map(decimals);
  const number = (text: string, digits: number) =>
    (fixed[digits] ?? decimals(digits)).format(text as unknown as number);

  const scaled = (amountMinor: bigint, powerOfTen: number) =>
    formatAmount(amountMinor, REPORTING_EXPONENT + powerOfTen);

  function withUnit(value: string, unit: string, currency: ReportingCurrency): string {
    const symbol = SYMBOLS[currency];
    const negative = value.startsWith('-') || value.startsWith('\u2212');
    const magnitude = negative ? value.slice(1) : value;
    const sign = negative ? '\u2212' : '';
    if (lang === 'fr') return `${sign}${magnitude}${NBSP}${unit}${symbol}`;
    return `${sign}${symbol}${magnitude}${unit ? `${NBSP}${unit}` : ''}`;
  }

  const dateFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const monthFormat = new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

  function date(isoDate: string | null): string {
    if (isoDate === null) return UNKNOWN;
    const parts = dateFormat.formatToParts(new Date(`${isoDate}T00:00:00Z`));
    return parts
      .map((p) => (lang === 'fr' && p.type === 'day' && p.value === '1' ? '1er' : p.value))
      .join('');
  }

  return {
    lang,
    money(amountMinor, currency) {
      const magnitude = amountMinor < 0n ? -amountMinor : amountMinor;
      const unit = 10n ** BigInt(REPORTING_EXPONENT);
      if (magnitude >= 9_999_500n * 100n * unit) {
        return withUnit(number(scaled(amountMinor, 9), 2), lang === 'fr' ? 'Md' : 'bn', currency);
      }
      if (magnitude >= 1_000_000n * unit) {
        return withUnit(number(scaled(amountMinor, 6), 1), lang === 'fr' ? 'M' : 'm', currency);
      }
      return withUnit(number(scaled(amountMinor, 0), 0), '', currency);
    },
    moneyExact(amountMinor, currency) {
      return withUnit(number(scaled(amountMinor, 0), REPORTING_EXPONENT), '', currency);
    },
    billions(amountMinor, digits = 2) {
      return number(scaled(amountMinor, 9), digits);
    },
    millions(amountMinor, digits = 1) {
      return number(scaled(amountMinor, 6), digits);
    },
    percent(percentText, digits = 1) {
      if (percentText === null) return UNKNOWN;
      const value = number(percentText, digits);
      return lang === 'fr' ? `${value}${NNBSP}%` : `${value}%`;
    },
    integer(value) {
      return number(value.toString(), 0);
    },
    date,
    month(yearMonth) {
      return monthFormat.format(new Date(`${yearMonth}-01T00:00:00Z`));
    },
    timestamp(iso) {
      const at = new Date(iso);
      const time = at.toISOString().slice(11, 16);
      return `${date(at.toISOString().slice(0, 10))}, ${time}${NBSP}UTC`;
    },
  };
}
