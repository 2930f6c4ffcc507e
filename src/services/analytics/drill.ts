/**
 * The drill-down of any analytics figure: `drillFigure(database, actor, options, "KEY")` parses
 * the figure key (`core/analytics.ts`) and returns the records the figure is made of, converted
 * exactly as in the figure, so they add up to it (`totalMinor`). Funding figures (`funnel.*`,
 * `burden.*`, `coverage.*`, `pace.*`) are answered here; delivery figures (`leadTimes.*`,
 * `followUp.*`, `context.*`) by `delivery.ts`. Records the reader may not see in full are folded
 * into `redacted` records (`figures.ts`); at most `LIMITS.drillRecordsMax` are listed.
 *
 * An unknown analysis, measure or dimension is `VALIDATION_FAILED` naming `figure`.
 */
import type { Actor } from '../../core/actor.js';
import {
  parseFigureKey,
  type AnalyticsOptions,
  type DrillDown,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import type { Tx } from '../../storage/transaction.js';
import { drillBurden } from './burden.js';
import { drillCoverage } from './coverage.js';
import { drillDelivery } from './delivery.js';
import {
  CONTRIBUTION_SIDE_TABLES,
  PACKAGE_SIDE_TABLES,
  badFigure,
  runAnalysis,
  type AnalysisContext,
} from './figures.js';
import { drillFunnel } from './funnel.js';
import { drillPace } from './pace.js';

type FundingDrill = (tx: Tx, context: AnalysisContext, key: ParsedFigureKey) => Promise<DrillDown>;

const FUNDING_DRILLS: Record<string, FundingDrill> = {
  funnel: drillFunnel,
  burden: drillBurden,
  coverage: drillCoverage,
  pace: drillPace,
};

/** Analyses answered by `delivery.ts`. */
const DELIVERY_ANALYSES = new Set(['leadTimes', 'followUp', 'context']);

export async function drillFigure(
  database: Database,
  actor: Actor,
  options: AnalyticsOptions,
  figure: string,
): Promise<DrillDown> {
  authorize(actor, 'analytics.read');
  const key = parseFigureKey(figure);
  const funding = FUNDING_DRILLS[key.analysis];
  if (funding)
    return runAnalysis(database, actor, options, (tx, context) => funding(tx, context, key), {
      analysis: 'drill',
      inputs: [figure],
      // Coverage's records and the allocated funnel's read no contribution-side table; burden
      // sharing's, no package-side one.
      unaffectedBy:
        key.analysis === 'coverage' || (key.analysis === 'funnel' && key.measure === 'allocated')
          ? CONTRIBUTION_SIDE_TABLES
          : key.analysis === 'burden'
            ? PACKAGE_SIDE_TABLES
            : undefined,
    });
  if (DELIVERY_ANALYSES.has(key.analysis)) return drillDelivery(database, actor, options, key);
  throw badFigure(
    key,
    `names no analysis: the analyses are ${[...Object.keys(FUNDING_DRILLS), ...DELIVERY_ANALYSES].join(', ')}.`,
  );
}
