/**
 * What an export is asked for (language, reporting basis, filters) and what a dataset of the
 * registry is (its operation, the filters it takes, its producer). Shared by the list and
 * analysis datasets and the registry (`datasets.ts`).
 */
import type { Actor } from '../../core/actor.js';
import type { AnalyticsOptions } from '../../core/analytics.js';
import type { Operation } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import type { ExportSource } from './cells.js';
import type { ExportLanguage, Words } from './labels.js';

/**
 * Every filter (or analysis option) an export may take; each dataset says which it accepts.
 * The analysis options are those of the matching `/api/v1/analytics/…` route.
 */
export const EXPORT_FILTERS = [
  'status',
  'kind',
  'cycle',
  'donor',
  'capabilityArea',
  'packageId',
  'meetingId',
  'from',
  'to',
  'cycleFrom',
  'cycleTo',
  'targetPerMonth',
  'goal',
  'stalledAfterDays',
  'year',
] as const;
export type ExportFilterName = (typeof EXPORT_FILTERS)[number];

export interface ExportFilters {
  /** The record's status (contributions, packages, requirement lists, shipments). */
  status?: string | undefined;
  /** Meetings: udcg | ministerial | other; parties: ally | partner | …. */
  kind?: string | undefined;
  /** YYYY-MM. */
  cycle?: string | undefined;
  /** A party id: contributions of this donor, packages it funds. */
  donor?: string | undefined;
  capabilityArea?: string | undefined;
  packageId?: bigint | undefined;
  meetingId?: bigint | undefined;
  /** YYYY-MM-DD, inclusive: each dataset says which date it filters. */
  from?: string | undefined;
  to?: string | undefined;
  /** Coverage: the first and last cycle shown (YYYY-MM). */
  cycleFrom?: string | undefined;
  cycleTo?: string | undefined;
  /** Pace: target per month and goal, decimal text in the reporting currency ("1000000000.00"). */
  targetPerMonth?: string | undefined;
  goal?: string | undefined;
  /** Lead times, stalled packages: days in one stage after which a package is stalled. */
  stalledAfterDays?: number | undefined;
  /** Context: the Kiel year. */
  year?: number | undefined;
}

export interface ExportQuery {
  lang: ExportLanguage;
  /** The reporting basis of the analyses (lists keep original currencies). */
  analytics: AnalyticsOptions;
  filters: ExportFilters;
  /** The generation time written in the file and its name (default: now). */
  now?: Date | undefined;
}

export type ExportProducer = (
  database: Database,
  actor: Actor,
  query: ExportQuery & { now: Date },
) => Promise<ExportSource>;

export interface DatasetDefinition {
  /** A list of records in their own currencies, or an analysis in a reporting currency. */
  kind: 'list' | 'analysis';
  title: Words;
  /** Checked before anything is read (the services check it, and their own, again). */
  operation: Operation;
  filters: readonly ExportFilterName[];
  /** Filters that must be given (follow-up: meetingId). */
  required?: readonly ExportFilterName[];
  /** Allowed values of `status` / `kind`, checked before anything is read. */
  statuses?: readonly string[];
  kinds?: readonly string[];
  /** What `from`/`to` filter, for the filters line of the file. */
  dateMeaning?: Words;
  produce: ExportProducer;
}
