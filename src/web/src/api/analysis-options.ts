/**
 * The options every analysis takes — reporting currency, rate mode, rate date, as-of date —
 * kept in the page's URL query (`?currency=EUR&rateMode=fixed&rateDate=2025-10-01`), so a link
 * shares exactly the figures one sees. Defaults (USD, value date, today) are left out of the URL.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { operations } from './schema';

export type AnalysisQuery = NonNullable<operations['getFunnel']['parameters']['query']>;
export type ReportingCurrency = NonNullable<AnalysisQuery['currency']>;
export type RateMode = NonNullable<AnalysisQuery['rateMode']>;

export const REPORTING_CURRENCIES = ['USD', 'EUR'] as const satisfies readonly ReportingCurrency[];
export const RATE_MODES = ['value_date', 'fixed'] as const satisfies readonly RateMode[];

export interface AnalysisOptions {
  currency: ReportingCurrency;
  rateMode: RateMode;
  rateDate?: string;
  asOf?: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const OPTION_NAMES = ['currency', 'rateMode', 'rateDate', 'asOf'] as const;

/** Reads the options from a URL query; anything malformed falls back to the default. */
export function analysisOptionsOf(search: URLSearchParams): AnalysisOptions {
  const currency = search.get('currency');
  const rateMode = search.get('rateMode');
  const rateDate = search.get('rateDate');
  const asOf = search.get('asOf');
  const mode: RateMode = (RATE_MODES as readonly string[]).includes(rateMode ?? '')
    ? (rateMode as RateMode)
    : 'value_date';
  return {
    currency: (REPORTING_CURRENCIES as readonly string[]).includes(currency ?? '')
      ? (currency as ReportingCurrency)
      : 'USD',
    rateMode: mode,
    ...(mode === 'fixed' && rateDate && ISO_DAY.test(rateDate) ? { rateDate } : {}),
    ...(asOf && ISO_DAY.test(asOf) ? { asOf } : {}),
  };
}

/** The options as URL query entries (defaults left out). */
export function analysisSearchEntries(options: AnalysisOptions): [string, string][] {
  const entries: [string, string][] = [];
  if (options.currency !== 'USD') entries.push(['currency', options.currency]);
  if (options.rateMode !== 'value_date') entries.push(['rateMode', options.rateMode]);
  if (options.rateMode === 'fixed' && options.rateDate)
    entries.push(['rateDate', options.rateDate]);
  if (options.asOf) entries.push(['asOf', options.asOf]);
  return entries;
}

/** The link to a figure's drill-down, on the same basis. */
export function drillHref(figure: string, options: AnalysisOptions): string {
  const search = new URLSearchParams([['figure', figure], ...analysisSearchEntries(options)]);
  return `/analysis/drill?${search.toString()}`;
}

/** A change of the options, applied to the URL's options as they are when it runs. */
export type AnalysisOptionsChange = (current: AnalysisOptions) => AnalysisOptions;

/**
 * The options of the current URL, and a setter that rewrites them in the URL. The setter takes
 * a change of the current options (not a whole new value), so two quick changes both count.
 */
export function useAnalysisOptions(): [AnalysisOptions, (change: AnalysisOptionsChange) => void] {
  const [search, setSearch] = useSearchParams();
  const options = useMemo(() => analysisOptionsOf(search), [search]);
  const update = useCallback(
    (change: AnalysisOptionsChange) =>
      setSearch((current) => {
        const next = change(analysisOptionsOf(current));
        const kept = [...current.entries()].filter(
          ([name]) => !(OPTION_NAMES as readonly string[]).includes(name),
        );
        return new URLSearchParams([...kept, ...analysisSearchEntries(next)]);
      }),
    [setSearch],
  );
  return [options, update];
}
