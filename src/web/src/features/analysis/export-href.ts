/**
 * The download link of an analysis as a file (`GET /api/v1/exports/<dataset>?format=…`) on the
 * page's own basis (currency, rate mode, rate date, as of) and with the analysis's own options
 * (pace target, stalled threshold…), so the file holds the figures on the screen.
 *
 * Files exist in English and French only: a Ukrainian reader gets the English file (the button
 * says so).
 */
import type { AnalysisOptions } from '../../api/analysis-options';
import type { Language } from '../../i18n/money';
import type { ExportDataset } from './analyses';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The language of the file for a reader of `language`: its own, else English. */
export function exportLanguageOf(language: Language): 'en' | 'fr' {
  return language === 'fr' ? 'fr' : 'en';
}

/** The options a dataset takes beyond the basis (undefined ones are left out). */
export type ExportExtras = Partial<
  Record<'targetPerMonth' | 'goal' | 'stalledAfterDays' | 'year', string | number | undefined>
>;

export function exportHref(
  dataset: ExportDataset,
  format: ExportFormat,
  language: Language,
  options: AnalysisOptions,
  extras: ExportExtras = {},
): string {
  const search = new URLSearchParams([
    ['format', format],
    ['lang', exportLanguageOf(language)],
    ['currency', options.currency],
    ['rateMode', options.rateMode],
  ]);
  if (options.rateMode === 'fixed' && options.rateDate) search.set('rateDate', options.rateDate);
  if (options.asOf) search.set('asOf', options.asOf);
  for (const [name, value] of Object.entries(extras)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  return `/api/v1/exports/${dataset}?${search.toString()}`;
}
