/**
 * Hooks of the analyses (`/api/v1/analytics/*`), one per resource, each keyed by its options so
 * that changing the currency or the rate mode fetches the figures on that basis (and going back
 * shows the cached ones at once).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AnalysisOptions } from './analysis-options';
import { api, unwrap } from './client';
import type { components } from './schema';

export type Funnel = components['schemas']['Funnel'];
export type Pace = components['schemas']['Pace'];
export type BurdenSharing = components['schemas']['BurdenSharing'];
export type Coverage = components['schemas']['Coverage'];
export type LeadTimes = components['schemas']['LeadTimes'];
export type DrillDown = components['schemas']['DrillDown'];
export type DrillRecord = components['schemas']['DrillRecord'];
export type AnalyticsBasis = components['schemas']['AnalyticsBasis'];
export type KielContext = components['schemas']['KielContext'];

/** The pace's own options: target per month and goal, decimal text in the reporting currency. */
export interface PaceSettings {
  targetPerMonth?: string;
  goal?: string;
}

/** Lead times' own option: the days in one stage after which a package counts as stalled. */
export interface LeadTimesSettings {
  stalledAfterDays?: number;
}

/** Query parameters as the API takes them (no undefined values). */
function query(options: AnalysisOptions) {
  return {
    currency: options.currency,
    rateMode: options.rateMode,
    ...(options.rateDate ? { rateDate: options.rateDate } : {}),
    ...(options.asOf ? { asOf: options.asOf } : {}),
  };
}

const common = { placeholderData: keepPreviousData } as const;

export function useFunnel(options: AnalysisOptions) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'funnel', options],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/analytics/funnel', { params: { query: query(options) }, signal })),
  });
}

export function usePace(options: AnalysisOptions, settings: PaceSettings = {}) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'pace', options, settings],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/pace', {
          params: {
            query: {
              ...query(options),
              ...(settings.targetPerMonth ? { targetPerMonth: settings.targetPerMonth } : {}),
              ...(settings.goal ? { goal: settings.goal } : {}),
            },
          },
          signal,
        }),
      ),
  });
}

export function useBurdenSharing(options: AnalysisOptions) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'burden-sharing', options],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/burden-sharing', { params: { query: query(options) }, signal }),
      ),
  });
}

export function useCoverage(options: AnalysisOptions) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'coverage', options],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/analytics/coverage', { params: { query: query(options) }, signal })),
  });
}

export function useLeadTimes(options: AnalysisOptions, settings: LeadTimesSettings = {}) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'lead-times', options, settings],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/lead-times', {
          params: {
            query: {
              ...query(options),
              ...(settings.stalledAfterDays !== undefined
                ? { stalledAfterDays: settings.stalledAfterDays }
                : {}),
            },
          },
          signal,
        }),
      ),
  });
}

/** Kiel Institute figures beside PURL committed and paid, per donor (`year`: Kiel's year). */
export function useKielContext(options: AnalysisOptions, year?: number) {
  return useQuery({
    ...common,
    queryKey: ['analytics', 'context', options, year ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/context', {
          params: { query: { ...query(options), ...(year !== undefined ? { year } : {}) } },
          signal,
        }),
      ),
  });
}

/** The records of one figure (`figure` from an analysis answer's `figures`). */
export function useDrill(figure: string | null, options: AnalysisOptions) {
  return useQuery({
    queryKey: ['analytics', 'drill', figure, options],
    enabled: figure !== null && figure !== '',
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/analytics/drill', {
          params: { query: { ...query(options), figure: figure ?? '' } },
          signal,
        }),
      ),
  });
}
