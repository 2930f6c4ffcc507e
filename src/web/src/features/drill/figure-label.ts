/**
 * A figure key in words, for the drill-down's heading: `coverage.funded:2025-08:artillery` →
 * "Coverage · Funded · Aug 2025 · Artillery". Parts the app has no words for are shown as they
 * are (a key is data, not a translation key: unknown parts never reach `t`).
 */
import type { TFunction } from 'i18next';
import type { Formatter } from '../../i18n/format';
import { ALPHA2 } from '../../i18n/parties';

const MONTH = /^\d{4}-\d{2}$/;
const UP_TO_MONTH = /^_(\d{4}-\d{2})$/;
const MONTH_RANGE = /^(\d{4}-\d{2})_(\d{4}-\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface FigureWords {
  analysis: string;
  measure: string;
  dimensions: string[];
}

export function describeFigure(
  key: string,
  t: TFunction<'drill'>,
  exists: (key: string) => boolean,
  format: Formatter,
  areaName: (code: string) => string | undefined,
): FigureWords {
  const [head = '', ...dimensions] = key.split(':');
  const dot = head.indexOf('.');
  const analysis = dot < 0 ? head : head.slice(0, dot);
  const measure = dot < 0 ? '' : head.slice(dot + 1);
  const word = (group: 'analyses' | 'measures', value: string) =>
    exists(`drill:${group}.${value}`) ? t(`${group}.${value}` as 'analyses.funnel') : value;
  return {
    analysis: word('analyses', analysis),
    measure: measure ? word('measures', measure) : '',
    dimensions: dimensions.map((dimension) => {
      if (analysis === 'leadTimes' && measure === 'stalled' && /^\d+$/.test(dimension)) {
        return t('stalledAfter', { days: Number(dimension) });
      }
      if (MONTH.test(dimension)) return format.month(dimension);
      if (ISO_DAY.test(dimension)) return format.day(dimension);
      const upTo = UP_TO_MONTH.exec(dimension);
      if (upTo?.[1]) return t('upTo', { month: format.month(upTo[1]) });
      const range = MONTH_RANGE.exec(dimension);
      if (range?.[1] && range[2]) {
        return t('range', { from: format.month(range[1]), to: format.month(range[2]) });
      }
      if (ALPHA2[dimension]) return format.party(dimension);
      return areaName(dimension) ?? dimension;
    }),
  };
}
