/**
 * The delivery analyses under `/api/v1/analytics` (every operational reader: `analytics.read`):
 * lead times and stalled packages, a meeting's follow-up, the Kiel context view. Each takes the
 * reporting currency (USD, EUR), the rate mode and date, and `asOf`, and states the basis it used
 * in its answer; every figure carries its figure key for `GET /analytics/drill?figure=KEY`.
 * Money is minor units of the reporting currency as decimal strings; Kiel's figures are also
 * given as published (EUR bn, exact decimal text). Thin: the services check access, options and
 * redaction (services/analytics/delivery.ts and the files it names).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTRIBUTION_STATUSES } from '../../core/contributions.js';
import { FOLLOW_UP_STATUSES, MEETING_KINDS } from '../../core/meetings.js';
import { PACKAGE_STATUSES } from '../../core/packages.js';
import {
  KIEL_AMOUNT_FIELDS,
  LEAD_TIME_STAGES,
  STALLED_AFTER_DAYS_DEFAULT,
  STALLED_AFTER_DAYS_MAX,
  WAITING_STAGES,
  getFollowUp,
  getKielContext,
  getLeadTimes,
  type KielAmountField,
} from '../../services/analytics/delivery.js';
import { AnalyticsBasisSchema, AnalyticsQuery } from '../analytics-schemas.js';
import type { AppDependencies } from '../app.js';
import { actorOf } from '../request-context.js';
import { bigintString, currencyCode, isoDate } from '../schemas.js';

const tags = ['analytics'];

const figureKeyText = z
  .string()
  .describe('A figure key: GET /analytics/drill?figure=KEY lists its records.');
const money = (description: string) => bigintString.describe(description);

// ---- Lead times ----

const LeadTimesQuery = AnalyticsQuery.extend({
  stalledAfterDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(STALLED_AFTER_DAYS_MAX)
    .optional()
    .describe(
      `A package is stalled when its current stage has lasted more than this many days as of asOf (default ${STALLED_AFTER_DAYS_DEFAULT}).`,
    ),
});

const LeadTimesSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    stalledAfterDays: z.number().int(),
    stages: z.array(
      z.object({
        stage: z.enum(LEAD_TIME_STAGES),
        figure: figureKeyText,
        packages: z.number().int().describe('Packages that completed the stage as of asOf.'),
        medianDays: z.number().int().nullable().describe('Nearest-rank median; null for none.'),
        p90Days: z.number().int().nullable().describe('Nearest-rank 90th percentile.'),
        valueMinor: money(
          'Σ prices of those packages, each converted at the stage’s end date: the drill-down’s total.',
        ),
      }),
    ),
    waiting: z
      .array(z.object({ stage: z.enum(WAITING_STAGES), packages: z.number().int() }))
      .describe('Packages in the pipeline as of asOf, by what they wait for.'),
    stalledFigure: figureKeyText,
    stalledValueMinor: money('Σ prices of the stalled packages, converted at asOf.'),
    stalled: z
      .array(
        z.object({
          packageId: bigintString,
          number: z.string(),
          title: z.string(),
          status: z.enum(PACKAGE_STATUSES).describe('The package’s status now.'),
          stage: z.enum(WAITING_STAGES).describe('What it waits for.'),
          since: isoDate.describe('The day the current stage began.'),
          days: z.number().int().describe('Days from since to asOf.'),
          priceMinor: money('Price, converted at asOf.'),
          gapMinor: money('Price − funding by asOf, converted at asOf (0 once funded).'),
          linesReceived: z.number().int().describe('Lines fully received or short-closed.'),
          linesTotal: z.number().int(),
          waitingFor: z.string().describe('In words (English): what the package waits for.'),
          figure: figureKeyText,
        }),
      )
      .describe('Longest wait first. Closed and cancelled packages never stall.'),
  })
  .meta({
    id: 'LeadTimes',
    description:
      'Median and 90th percentile days committed → funded → authorised → first dispatch → fully received, from business dates (services/analytics/lead-times.ts), and the stalled packages.',
  });

// ---- Meeting follow-up ----

const measureFigures = z.object({
  announced: figureKeyText,
  committed: figureKeyText,
  paid: figureKeyText,
  delivered: figureKeyText,
});

const amounts = {
  announcedMinor: money('Announced, converted at the meeting date.')
    .nullable()
    .describe('Announced, converted at the meeting date; null when no amount was announced.'),
  committedMinor: money('Committed (as it stands), converted at each commitment date.'),
  paidMinor: money('Paid by asOf, each payment converted at its date.'),
  deliveredMinor: money(
    'Receipts since the meeting, each contribution’s pro-rata share (largest remainder), converted at the receipt date.',
  ),
  figures: measureFigures,
};

const FollowUpSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    meeting: z.object({
      id: bigintString,
      number: z.number().int(),
      kind: z.enum(MEETING_KINDS),
      heldOn: isoDate,
      place: z.string(),
      title: z.string().nullable(),
    }),
    previousMeetingId: bigintString
      .nullable()
      .describe('The meeting held before this one; null for the first.'),
    announcements: z.array(
      z.object({
        announcementId: bigintString,
        partyId: z.string(),
        text: z.string(),
        originalAmountMinor: bigintString.nullable().describe('As announced, in its currency.'),
        originalCurrency: currencyCode.nullable(),
        status: z
          .enum(FOLLOW_UP_STATUSES)
          .describe('From the linked contributions as they are now.'),
        contributions: z.array(
          z.object({
            contributionId: bigintString,
            partyId: z.string(),
            title: z.string(),
            status: z.enum(CONTRIBUTION_STATUSES),
            currency: currencyCode,
            committedOn: isoDate.nullable(),
            originalCommittedMinor: money('Committed as of asOf, in the contribution’s currency.'),
            originalPaidMinor: money('Paid by asOf, in the contribution’s currency.'),
            committedMinor: money('In the reporting currency.'),
            paidMinor: money('In the reporting currency.'),
            deliveredMinor: money('In the reporting currency.'),
          }),
        ),
        ...amounts,
      }),
    ),
    totals: z
      .object(amounts)
      .describe('The whole meeting; a contribution linked to two announcements counts once.'),
  })
  .meta({
    id: 'AnalyticsFollowUp',
    description:
      'Each announcement → its amount → its contributions’ committed → paid → delivered since the meeting, in the reporting currency (services/analytics/follow-up.ts).',
  });

const IdParams = z.object({ id: bigintString.describe('The meeting id.') });

// ---- Kiel context ----

const ContextQuery = AnalyticsQuery.extend({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2200)
    .optional()
    .describe(
      'Kiel rows of this year (default: each donor’s latest period) and PURL figures of it.',
    ),
});

const kielAmount = z.object({
  eurBn: z.string().nullable().describe('As published: EUR bn, exact decimal text.'),
  amountMinor: bigintString.nullable().describe('The same in the reporting currency.'),
});

const ContextSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    year: z.number().int().nullable(),
    kielConversion: z.string().describe('How Kiel’s EUR figures were converted, in words.'),
    sources: z.array(
      z.object({ sourceFile: z.string(), sourceSha256: z.string(), importedAt: z.date() }),
    ),
    rows: z.array(
      z.object({
        iso: z.string(),
        names: z.object({ en: z.string(), fr: z.string(), uk: z.string() }),
        kiel: z
          .object({
            countryName: z.string(),
            year: z.number().int(),
            month: z.number().int().nullable().describe('Null for a yearly row.'),
            period: z.string().describe('2025 or 2025-06.'),
            periodEnd: isoDate,
            amounts: z.object(
              Object.fromEntries(KIEL_AMOUNT_FIELDS.map((f) => [f, kielAmount])) as Record<
                KielAmountField,
                typeof kielAmount
              >,
            ),
            pctGdp: z.string().nullable().describe('As published.'),
            rate: z.string().nullable().describe('Reporting-currency units per EUR used.'),
            rateDate: isoDate.nullable(),
            sourceFile: z.string(),
            sourceSha256: z.string(),
            importedAt: z.date(),
          })
          .nullable()
          .describe('Null for a donor Kiel does not list.'),
        purl: z
          .object({
            committedMinor: money('Committed, each contribution at its commitment date.'),
            paidMinor: money('Paid, each payment at its date.'),
            figures: z.object({ committed: figureKeyText, paid: figureKeyText }),
          })
          .nullable()
          .describe('Null for a donor with no PURL commitment or payment.'),
        committedPctOfKielMilitary: z
          .string()
          .nullable()
          .describe('PURL committed as a % of Kiel’s military figure, exact decimal text.'),
      }),
    ),
    totals: z.object({
      committedMinor: money('All donors.'),
      paidMinor: money('All donors.'),
      figures: z.object({ committed: figureKeyText, paid: figureKeyText }),
    }),
  })
  .meta({
    id: 'KielContext',
    description:
      'Per donor, the Kiel Institute Ukraine Support Tracker figures beside PURL’s committed and paid (services/analytics/context.ts).',
  });

export const analyticsDeliveryRoutes: FastifyPluginAsyncZod<AppDependencies> = async (
  app,
  { database },
) => {
  app.get(
    '/analytics/lead-times',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getLeadTimes',
        tags,
        summary: 'Lead times per stage (median, 90th percentile) and stalled packages',
        querystring: LeadTimesQuery,
        response: { 200: LeadTimesSchema },
      },
    },
    async (request) => getLeadTimes(database, actorOf(request), request.query),
  );

  app.get(
    '/analytics/meetings/:id/follow-up',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getAnalyticsFollowUp',
        tags,
        summary: 'A meeting’s announcements → committed → paid → delivered, in one currency',
        params: IdParams,
        querystring: AnalyticsQuery,
        response: { 200: FollowUpSchema },
      },
    },
    async (request) => getFollowUp(database, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/analytics/context',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getKielContext',
        tags,
        summary: 'Kiel Institute figures beside PURL committed and paid, per donor',
        querystring: ContextQuery,
        response: { 200: ContextSchema },
      },
    },
    async (request) => getKielContext(database, actorOf(request), request.query),
  );
};
