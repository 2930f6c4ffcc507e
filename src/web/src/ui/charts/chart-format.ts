/**
 * Helpers for chart text: axis ticks in compact money (ticks are the chart's own round numbers,
 * not records, so they are formatted from numbers), and HTML-escaping for tooltips (ECharts
 * writes tooltip text as HTML).
 */
import { INTL_LOCALES, type Language } from '../../i18n/money';

/** "$1.5bn" for an axis tick of 1 500 000 000 (major units). */
export function compactTick(language: Language, value: number, currency: string): string {
  return new Intl.NumberFormat(INTL_LOCALES[language], {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(value);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}
