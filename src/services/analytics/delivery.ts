/**
 * The delivery analyses (issue 5), one entry point: lead times and stalled packages
 * (`lead-times.ts`), meeting follow-up (`follow-up.ts`), the Kiel context view (`context.ts`) —
 * each documented in its file — and `drillDelivery`, the records behind any of their figures.
 *
 * A drill-down recomputes the analysis in one REPEATABLE READ snapshot and returns the records
 * of the one figure, so it always equals the figure the analysis showed for the same basis:
 * `totalMinor` = Σ records' `amountMinor`, exactly. Records the reader may not see in full are
 * folded into one `redacted` record per original currency (amounts summed, `count` records;
 * `foldRedacted` of figures.ts, listed first as in every analysis), so the total still adds up; at most `LIMITS.drillRecordsMax` records are listed (`truncated`).
 *
 * Figure keys: `leadTimes.<stage>`, `leadTimes.stalled:<days>`,
 * `followUp.<measure>:<meetingId>[:<announcementId>]`,
 * `context.<measure>:<ISO|total>[:<year>]`.
 */
import type { Actor } from '../../core/actor.js';
import {
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type DrillRecord,
  type FigureBook,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import type { Tx } from '../../storage/transaction.js';
import {
  CONTEXT_MEASURES,
  CONTEXT_TOTAL,
  KIEL_YEAR_MAX,
  KIEL_YEAR_MIN,
  computeKielContext,
} from './context.js';
import {
  CONTRIBUTION_SIDE_TABLES,
  foldRedacted,
  runAnalysis,
  type CheckedOptions,
} from './figures.js';
import { FOLLOW_UP_MEASURES, computeFollowUp } from './follow-up.js';
import { LEAD_TIME_STAGES, STALLED_AFTER_DAYS_MAX, computeLeadTimes } from './lead-times.js';

export {
  LEAD_TIME_STAGES,
  STALLED_AFTER_DAYS_DEFAULT,
  STALLED_AFTER_DAYS_MAX,
  WAITING_STAGES,
  getLeadTimes,
  type LeadTimeStage,
  type LeadTimeStageFigures,
  type LeadTimes,
  type LeadTimesOptions,
  type StalledPackage,
  type WaitingStage,
} from './lead-times.js';
export {
  FOLLOW_UP_MEASURES,
  getFollowUp,
  type FollowUp,
  type FollowUpAmounts,
  type FollowUpAnnouncement,
  type FollowUpContribution,
  type FollowUpMeasure,
  type FollowUpMeeting,
} from './follow-up.js';
export {
  CONTEXT_MEASURES,
  KIEL_AMOUNT_FIELDS,
  getKielContext,
  type ContextMeasure,
  type KielAmount,
  type KielAmountField,
  type KielContext,
  type KielContextOptions,
  type KielContextRow,
  type KielFigures,
  type KielSource,
  type PurlFigures,
} from './context.js';

/** The analyses of figure keys this module answers. */
export const DELIVERY_ANALYSES = ['leadTimes', 'followUp', 'context'] as const;

function badFigure(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `figure: ${message}`, { field: 'figure' });
}

/** A dimension that must be a positive id. */
function idDimension(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^[1-9][0-9]{0,17}$/.test(text))
    throw badFigure(`${what} must be a positive whole number.`);
  return BigInt(text);
}

function yearDimension(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const year = /^[0-9]{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= KIEL_YEAR_MIN && year <= KIEL_YEAR_MAX))
    throw badFigure(`the year is written with four digits, ${KIEL_YEAR_MIN} to ${KIEL_YEAR_MAX}.`);
  return year;
}

/**
 * The drill-down of `figure`: its records in the figure's order, those the reader may not see
 * folded first (`foldRedacted` of figures.ts, the one shape every analysis uses).
 */
function drillDownOf(
  basis: AnalyticsBasis,
  figure: string,
  book: FigureBook,
  hidden: (record: DrillRecord) => boolean = () => false,
): DrillDown {
  const all = book.records(figure);
  const records = [...foldRedacted(all.filter(hidden)), ...all.filter((r) => !hidden(r))];
  return {
    basis,
    figure,
    totalMinor: book.total(figure),
    truncated: records.length > LIMITS.drillRecordsMax,
    records: records.slice(0, LIMITS.drillRecordsMax),
  };
}

/**
 * The records behind a delivery figure (`leadTimes.*`, `followUp.*`, `context.*`), computed on
 * the same basis as the analysis. VALIDATION_FAILED (field `figure`) for a key this module does
 * not know; NOT_FOUND for an unknown meeting or an announcement of another meeting.
 */
export async function drillDelivery(
  database: Database,
  actor: Actor,
  options: AnalyticsOptions,
  parsed: ParsedFigureKey,
): Promise<DrillDown> {
  authorize(actor, 'analytics.read');
  const figure = [`${parsed.analysis}.${parsed.measure}`, ...parsed.dimensions].join(':');
  const { measure, dimensions } = parsed;
  const snapshot = <T>(fn: (tx: Tx, options: CheckedOptions) => Promise<T>) =>
    runAnalysis(database, actor, options, (tx, context) => fn(tx, context.options), {
      analysis: 'drill',
      inputs: [figure],
      // Lead times read packages, deliveries and allocations, no contribution-side table.
      unaffectedBy: parsed.analysis === 'leadTimes' ? CONTRIBUTION_SIDE_TABLES : undefined,
    });

  switch (parsed.analysis) {
    case 'leadTimes': {
      if (measure === 'stalled') {
        if (dimensions.length !== 1)
          throw badFigure('leadTimes.stalled:<days> names the stalled-after threshold in days.');
        const days = Number(idDimension(dimensions[0], 'the stalled-after threshold'));
        if (days > STALLED_AFTER_DAYS_MAX)
          throw badFigure(`the stalled-after threshold is at most ${STALLED_AFTER_DAYS_MAX} days.`);
        return snapshot(async (tx, checked) => {
          const { result, book } = await computeLeadTimes(tx, {
            ...checked,
            stalledAfterDays: days,
          });
          return drillDownOf(result.basis, figure, book);
        });
      }
      if (!(LEAD_TIME_STAGES as readonly string[]).includes(measure) || dimensions.length > 0)
        throw badFigure(`leadTimes.<stage> with a stage among ${LEAD_TIME_STAGES.join(', ')}.`);
      return snapshot(async (tx, checked) => {
        const { result, book } = await computeLeadTimes(tx, checked);
        return drillDownOf(result.basis, figure, book);
      });
    }
    case 'followUp': {
      if (!(FOLLOW_UP_MEASURES as readonly string[]).includes(measure))
        throw badFigure(
          `followUp.<measure> with a measure among ${FOLLOW_UP_MEASURES.join(', ')}.`,
        );
      if (dimensions.length < 1 || dimensions.length > 2)
        throw badFigure('followUp.<measure>:<meetingId>[:<announcementId>].');
      const meetingId = idDimension(dimensions[0], 'the meeting id');
      const announcementId =
        dimensions[1] === undefined ? undefined : idDimension(dimensions[1], 'the announcement id');
      return snapshot(async (tx, checked) => {
        const { result, book, hidden } = await computeFollowUp(tx, actor, meetingId, checked);
        if (
          announcementId !== undefined &&
          !result.announcements.some((a) => a.announcementId === announcementId)
        ) {
          throw new DomainError('NOT_FOUND', 'No such announcement at this meeting.', {
            field: 'figure',
          });
        }
        return drillDownOf(result.basis, figure, book, (r) => hidden.has(r));
      });
    }
    case 'context': {
      if (!(CONTEXT_MEASURES as readonly string[]).includes(measure))
        throw badFigure(`context.<measure> with a measure among ${CONTEXT_MEASURES.join(', ')}.`);
      const donor = dimensions[0];
      if (
        dimensions.length < 1 ||
        dimensions.length > 2 ||
        donor === undefined ||
        !(donor === CONTEXT_TOTAL || /^[A-Z0-9-]{2,20}$/.test(donor))
      )
        throw badFigure(`context.<measure>:<party id or ${CONTEXT_TOTAL}>[:<year>].`);
      const year = yearDimension(dimensions[1]);
      return snapshot(async (tx, checked) => {
        const { result, book } = await computeKielContext(tx, { ...checked, year });
        return drillDownOf(result.basis, figure, book);
      });
    }
    default:
      throw badFigure(`${parsed.analysis} is not one of ${DELIVERY_ANALYSES.join(', ')}.`);
  }
}
