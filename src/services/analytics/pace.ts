/**
 * Pace (PRODUCT.md "Analysis"): month by month, what was committed, paid and delivered and the
 * running totals, against a target per month, with the current pace and the day a goal would be
 * reached at it.
 *
 * Rules:
 * - Records are the funnel's: committed (on the commitment day), paid (each payment, on its
 *   day), delivered (each receipt's good-order value, on its received day), up to `asOf`; a month
 *   is the calendar month of the record's value date. Months run from the first month with any
 *   record to the month of `asOf` (just that month when there is none).
 * - Target per month: `targetPerMonthMinor` in the reporting currency, or by default
 *   US$1,000,000,000.00 converted to the reporting currency at the ECB rate of `asOf` — or of the
 *   latest earlier day with rates, however far back (rates may not be imported up to today) — in
 *   `fixed` mode at the fixed date's; `target.rateDate` names the day used. The cumulative target
 *   of a month is the target × the months so far.
 * - Pace: the average committed per month over the last 3 COMPLETE months (a month is complete
 *   when its last day is on or before `asOf`), not counting months before the first record (so
 *   a programme 2 months old averages over 2); rounded half to even to the minor unit. No
 *   complete month yet → no pace.
 * - Projection: the goal (`goalMinor` in the reporting currency, or by default
 *   US$5,000,000,000.00 converted as the target) against the cumulative committed at `asOf`.
 *   Reached already → `reachedOn` is the day of the commitment that reached it. Otherwise, at the
 *   pace, remaining ÷ pace months from `asOf`, a month being the average Gregorian month
 *   (365.2425 / 12 days), rounded up to a whole day. No pace, or a pace of 0 → no date, and the
 *   reason; more than 100 years away → no date, and the reason.
 *
 * Figure keys: `pace.<committed|paid|delivered>:<month>` (a month), `…:_<month>` (cumulative to
 * the end of that month), `…:<from>_<to>` (the pace's window).
 */
import type { Actor } from '../../core/actor.js';
import {
  figureKey,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { addDays, divideRoundHalfEven } from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import type { Database } from '../../storage/database.js';
import type { Tx } from '../../storage/transaction.js';
import {
  badFigure,
  drillDown,
  inMonthRange,
  lastDayOf,
  monthOf,
  monthRangeText,
  monthsFrom,
  openFor,
  parseMonthRange,
  runAnalysis,
  scopeOf,
  upTo,
  type AnalysisContext,
  type SourceRecord,
} from './figures.js';
import { visibilityFor } from './visibility.js';
import { loadStageRecords } from './funnel.js';
import { readStage, reportStage, type StageRead } from './stage-memo.js';

export const PACE_MEASURES = ['committed', 'paid', 'delivered'] as const;
export type PaceMeasure = (typeof PACE_MEASURES)[number];

/** US$1,000,000,000.00 a month, in cents. */
export const DEFAULT_TARGET_PER_MONTH_USD_MINOR = 100_000_000_000n;
/** US$5,000,000,000.00, in cents. */
export const DEFAULT_GOAL_USD_MINOR = 500_000_000_000n;
/** Complete months the pace is averaged over. */
export const PACE_WINDOW_MONTHS = 3;
/** A projection further away than this is not given a date. */
export const PROJECTION_YEARS_MAX = 100;
const PROJECTION_DAYS_MAX = 36_525n; // 100 × 365.25

export interface PaceMonth {
  month: string;
  /** Its last day is on or before `asOf`. */
  complete: boolean;
  committedMinor: bigint;
  paidMinor: bigint;
  deliveredMinor: bigint;
  cumulativeCommittedMinor: bigint;
  cumulativePaidMinor: bigint;
  cumulativeDeliveredMinor: bigint;
  targetMinor: bigint;
  cumulativeTargetMinor: bigint;
  figures: {
    committed: string;
    paid: string;
    delivered: string;
    cumulativeCommitted: string;
    cumulativePaid: string;
    cumulativeDelivered: string;
  };
}

export interface PaceAmountSetting {
  /** In the reporting currency. */
  amountMinor: bigint;
  /** `given` by the caller, or the `default` converted. */
  source: 'given' | 'default';
  /** The default in US dollars (cents), and how it was converted. */
  defaultUsdMinor: bigint;
  /** The day whose rate converted the default (null when given, or when reporting in USD). */
  rateDate: string | null;
  rate: string | null;
}

export interface PaceRate {
  /** Average committed per month over the window; null with `reason`. */
  perMonthMinor: bigint | null;
  /** The complete months averaged over (oldest first). */
  window: string[];
  windowCommittedMinor: bigint;
  reasonCode: 'no_complete_month' | null;
  reason: string | null;
  figures: { windowCommitted: string | null };
}

export interface PaceProjection {
  goalMinor: bigint;
  cumulativeCommittedMinor: bigint;
  /** Goal − cumulative committed, 0 when reached. */
  remainingMinor: bigint;
  /** The commitment day on which the cumulative committed reached the goal. */
  reachedOn: string | null;
  /** The day the goal would be reached at the pace. */
  projectedDate: string | null;
  /** Why there is no date: no pace yet, a pace of 0, or further than 100 years. */
  reasonCode: 'no_pace' | 'zero_pace' | 'too_far' | null;
  reason: string | null;
}

export interface Pace {
  basis: AnalyticsBasis;
  target: PaceAmountSetting;
  goal: PaceAmountSetting;
  months: PaceMonth[];
  pace: PaceRate;
  projection: PaceProjection;
}

export type PaceOptions = AnalyticsOptions & { targetPerMonthMinor?: bigint; goalMinor?: bigint };

function checkAmount(value: unknown, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'bigint' || value <= 0n || value > LIMITS.transferAmountMaxMinor) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${field}: an amount of the reporting currency above 0 and at most ${LIMITS.transferAmountMaxMinor} minor units.`,
      { field },
    );
  }
  return value;
}

type Records = Record<PaceMeasure, SourceRecord[]>;

async function loadRecords(tx: Tx, asOf: string, labels = true): Promise<Records> {
  return {
    committed: upTo(await loadStageRecords(tx, 'committed', labels), asOf),
    paid: upTo(await loadStageRecords(tx, 'paid', labels), asOf),
    delivered: upTo(await loadStageRecords(tx, 'delivered', labels), asOf),
  };
}

export async function getPace(
  database: Database,
  actor: Actor,
  options: PaceOptions,
): Promise<Pace> {
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      const targetGiven = checkAmount(options.targetPerMonthMinor, 'targetPerMonthMinor');
      const goalGiven = checkAmount(options.goalMinor, 'goalMinor');
      const { asOf } = context.options;
      // Each measure summed in SQL per day (records in the reporting currency) or converted
      // record by record (the others): the same sums as converting every record (figures.ts).
      // Kept stages when their tables have not changed (stage-memo.ts).
      const reads = {} as Record<PaceMeasure, StageRead>;
      // Committed by day (the projection reaches its goal on a day); paid and delivered by month.
      for (const measure of PACE_MEASURES) {
        reads[measure] = await readStage(
          tx,
          context,
          measure,
          measure === 'committed' ? { byDay: true } : { byDay: true, per: 'month' },
        );
      }
      const all = PACE_MEASURES.flatMap((m) => reads[m].totals);
      const reporting = await openFor(tx, context, scopeOf(all), {
        currencies: ['USD'],
        from: asOf,
      });
      // The default target and goal: at the rate of asOf, or of the latest earlier day with rates.
      const defaultsDay = reporting.today;
      const setting = (given: bigint | undefined, defaultUsdMinor: bigint): PaceAmountSetting => {
        if (given !== undefined) {
          return {
            amountMinor: given,
            source: 'given',
            defaultUsdMinor,
            rateDate: null,
            rate: null,
          };
        }
        const converted = reporting.convert(defaultUsdMinor, 'USD', defaultsDay);
        const inUsd = context.options.currency === 'USD';
        return {
          amountMinor: converted.amountMinor,
          source: 'default',
          defaultUsdMinor,
          rateDate: inUsd ? null : converted.rateDate,
          rate: inUsd ? null : converted.rate,
        };
      };
      const target = setting(targetGiven, DEFAULT_TARGET_PER_MONTH_USD_MINOR);
      const goal = setting(goalGiven, DEFAULT_GOAL_USD_MINOR);

      // Each group converted once; month → measure → Σ; committed per day for the projection.
      const monthly = new Map<string, Record<PaceMeasure, bigint>>();
      const committedByDay = new Map<string, bigint>();
      for (const measure of PACE_MEASURES) {
        for (const g of await reportStage(tx, context, reporting, reads[measure])) {
          const date = g.valueDate!;
          const month = monthOf(date);
          let monthSums = monthly.get(month);
          if (!monthSums) {
            monthly.set(month, (monthSums = { committed: 0n, paid: 0n, delivered: 0n }));
          }
          monthSums[measure] += g.reportedMinor;
          if (measure === 'committed') {
            committedByDay.set(date, (committedByDay.get(date) ?? 0n) + g.reportedMinor);
          }
        }
      }
      const lastMonth = monthOf(asOf);
      const firstMonth = [...monthly.keys()].sort()[0] ?? lastMonth;
      const months = buildMonths(
        monthsFrom(firstMonth, lastMonth),
        monthly,
        target.amountMinor,
        asOf,
      );
      const pace = paceOf(months);
      return {
        basis: reporting.basis(),
        target,
        goal,
        months,
        pace,
        projection: project(committedByDay, goal.amountMinor, pace, asOf),
      };
    },
    { analysis: 'pace', inputs: [options.targetPerMonthMinor, options.goalMinor] },
  );
}

function buildMonths(
  list: string[],
  monthly: Map<string, Record<PaceMeasure, bigint>>,
  targetMinor: bigint,
  asOf: string,
): PaceMonth[] {
  const running = { committed: 0n, paid: 0n, delivered: 0n };
  return list.map((month, index) => {
    const sums = monthly.get(month) ?? { committed: 0n, paid: 0n, delivered: 0n };
    for (const m of PACE_MEASURES) running[m] += sums[m];
    const upToMonth = monthRangeText({ from: null, to: month });
    return {
      month,
      complete: lastDayOf(month) <= asOf,
      committedMinor: sums.committed,
      paidMinor: sums.paid,
      deliveredMinor: sums.delivered,
      cumulativeCommittedMinor: running.committed,
      cumulativePaidMinor: running.paid,
      cumulativeDeliveredMinor: running.delivered,
      targetMinor,
      cumulativeTargetMinor: targetMinor * BigInt(index + 1),
      figures: {
        committed: figureKey('pace', 'committed', month),
        paid: figureKey('pace', 'paid', month),
        delivered: figureKey('pace', 'delivered', month),
        cumulativeCommitted: figureKey('pace', 'committed', upToMonth),
        cumulativePaid: figureKey('pace', 'paid', upToMonth),
        cumulativeDelivered: figureKey('pace', 'delivered', upToMonth),
      },
    };
  });
}

/** The average committed per month over the last complete months (see the header). */
function paceOf(months: PaceMonth[]): PaceRate {
  const window = months
    .filter((m) => m.complete)
    .slice(-PACE_WINDOW_MONTHS)
    .map((m) => m.month);
  if (window.length === 0) {
    return {
      perMonthMinor: null,
      window,
      windowCommittedMinor: 0n,
      reasonCode: 'no_complete_month',
      reason: 'No complete month yet: the pace is averaged over complete months only.',
      figures: { windowCommitted: null },
    };
  }
  const sum = months
    .filter((m) => window.includes(m.month))
    .reduce((total, m) => total + m.committedMinor, 0n);
  return {
    perMonthMinor: divideRoundHalfEven(sum, BigInt(window.length)),
    window,
    windowCommittedMinor: sum,
    reasonCode: null,
    reason: null,
    figures: {
      windowCommitted: figureKey(
        'pace',
        'committed',
        monthRangeText({ from: window[0]!, to: window.at(-1)! }),
      ),
    },
  };
}

/** When the goal was, or would be, reached (see the header). */
function project(
  committedByDay: Map<string, bigint>,
  goalMinor: bigint,
  pace: PaceRate,
  asOf: string,
): PaceProjection {
  // Converted commitments are never negative, so the running total is monotone: the record
  // that reaches the goal (by date, then id) is on the first day whose running total reaches it.
  const committedDays = [...committedByDay.keys()].sort();
  let cumulative = 0n;
  let reachedOn: string | null = null;
  for (const day of committedDays) {
    cumulative += committedByDay.get(day)!;
    if (reachedOn === null && cumulative >= goalMinor) reachedOn = day;
  }
  const base = {
    goalMinor,
    cumulativeCommittedMinor: cumulative,
    remainingMinor: cumulative >= goalMinor ? 0n : goalMinor - cumulative,
  };
  if (reachedOn !== null && cumulative >= goalMinor) {
    return { ...base, reachedOn, projectedDate: null, reasonCode: null, reason: null };
  }
  if (pace.perMonthMinor === null || pace.perMonthMinor <= 0n) {
    return {
      ...base,
      reachedOn: null,
      projectedDate: null,
      reasonCode: pace.perMonthMinor === null ? 'no_pace' : 'zero_pace',
      reason:
        pace.perMonthMinor === null
          ? `No pace: ${pace.reason ?? 'no complete month'}`
          : `Nothing was committed in the last ${pace.window.length} complete months: at a pace of 0 the goal is never reached.`,
    };
  }
  // days = remaining / pace × 365.2425 / 12, rounded up
  const numerator = base.remainingMinor * 3_652_425n;
  const denominator = pace.perMonthMinor * 120_000n;
  const days = (numerator + denominator - 1n) / denominator;
  if (days > PROJECTION_DAYS_MAX) {
    return {
      ...base,
      reachedOn: null,
      projectedDate: null,
      reasonCode: 'too_far',
      reason: `At the current pace the goal is more than ${PROJECTION_YEARS_MAX} years away.`,
    };
  }
  return {
    ...base,
    reachedOn: null,
    projectedDate: addDays(asOf, Number(days)),
    reasonCode: null,
    reason: null,
  };
}

/** `pace.<measure>:<month>`, `…:_<month>` (cumulative), `…:<from>_<to>`. */
export async function drillPace(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
): Promise<DrillDown> {
  const measure = PACE_MEASURES.find((m) => m === key.measure);
  if (!measure) {
    throw badFigure(key, `is not a pace figure: the measures are ${PACE_MEASURES.join(', ')}.`);
  }
  const [dimension, ...rest] = key.dimensions;
  const range = dimension === undefined ? undefined : parseMonthRange(dimension);
  if (!range || rest.length > 0) {
    throw badFigure(
      key,
      'takes a month (pace.paid:2025-10), a month with a leading _ for the running total (_2025-10), or a range (2025-07_2025-09).',
    );
  }
  const records = (await loadRecords(tx, context.options.asOf))[measure].filter((r) =>
    inMonthRange(monthOf(r.date), range),
  );
  const reporting = await openFor(tx, context, records);
  const visibility = await visibilityFor(tx, context);
  return drillDown(reporting, figureKey('pace', measure, ...key.dimensions), records, visibility);
}
