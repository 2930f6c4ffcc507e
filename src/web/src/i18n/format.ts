/**
 * Formatting for the reader's language: money (exact, from minor units), decimals, percentages,
 * dates, months and party names, all through Intl. `useFormat()` gives the functions bound to
 * the current language; they change when the language does.
 *
 * Dates from the API are calendar days (`YYYY-MM-DD`) and are shown as such, in UTC, so a day
 * never shifts with the reader's time zone; instants (`…T…Z`) are shown in local time.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  INTL_LOCALES,
  formatDecimal,
  formatMoney,
  formatMoneyDecimal,
  formatPercent,
  type MoneyFormatOptions,
} from './money';
import { partyName } from './parties';
import { LANGUAGES, type Language } from './resources';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

export interface Formatter {
  language: Language;
  /** The Intl locale of the language (`en-GB`, `fr-FR`, `uk-UA`). */
  locale: string;
  money(minor: string, currency: string, options?: MoneyFormatOptions): string;
  /** An amount in major units given as decimal text (`"12.34"`). */
  moneyDecimal(text: string, currency: string): string;
  decimal(text: string, maximumFractionDigits?: number): string;
  /** Exact decimal text of a percentage; at most `fractionDigits` decimals (default 2). */
  percent(text: string, fractionDigits?: number): string;
  integer(value: number): string;
  /** `2025-08-04` → "4 Aug 2025" / "4 août 2025" / "4 серп. 2025 р.". */
  day(isoDay: string): string;
  /** `2025-08` → "Aug 2025" / "août 2025" / "серп. 2025 р.". */
  month(isoMonth: string): string;
  /** An instant, in the reader's time zone. */
  dateTime(instant: string | Date): string;
  time(instant: Date): string;
  /** "A, B and C" in the language. */
  list(items: string[]): string;
  party(partyId: string): string;
}

export function makeFormatter(language: Language): Formatter {
  const locale = INTL_LOCALES[language];
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const integerFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const listFormat = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
  return {
    language,
    locale,
    money: (minor, currency, options) => formatMoney(language, minor, currency, options),
    moneyDecimal: (text, currency) => formatMoneyDecimal(language, text, currency),
    decimal: (text, digits) =>
      formatDecimal(language, text, digits === undefined ? {} : { maximumFractionDigits: digits }),
    percent: (text, fractionDigits) => formatPercent(language, text, fractionDigits),
    integer: (value) => integerFormat.format(value),
    day: (isoDay) => {
      const match = ISO_DAY.exec(isoDay);
      if (!match) return isoDay;
      return dayFormat.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    },
    month: (isoMonth) => {
      const match = ISO_MONTH.exec(isoMonth);
      if (!match) return isoMonth;
      return monthFormat.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
    },
    dateTime: (instant) => dateTimeFormat.format(new Date(instant)),
    time: (instant) => timeFormat.format(instant),
    list: (items) => listFormat.format(items),
    party: (partyId) => partyName(locale, partyId),
  };
}

const formatters = new Map<Language, Formatter>();

function formatterOf(language: Language): Formatter {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = makeFormatter(language);
    formatters.set(language, formatter);
  }
  return formatter;
}

/** The formatter of the current language. */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  const language = (LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as Language)
    : 'en';
  return useMemo(() => formatterOf(language), [language]);
}
