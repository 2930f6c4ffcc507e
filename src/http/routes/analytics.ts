/**
 * The funding analyses under `/api/v1/analytics` (every operational reader: `analytics.read`):
 * the funnel, burden sharing, coverage, pace, and the drill-down of any figure
 * (`/analytics/drill?figure=KEY`, which also answers the delivery analyses' keys). Each takes the
 * reporting currency (USD, EUR), the rate mode and date, and `asOf`, and states the basis it used
 * in its answer. Money is minor units of the reporting currency as decimal strings; percentages
 * are exact decimal text. Thin: the services check access, options and redaction.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseAmount } from '../../core/money.js';
import { getBurdenSharing } from '../../services/analytics/burden.js';
import { getCoverage } from '../../services/analytics/coverage.js';
import { drillFigure } from '../../services/analytics/drill.js';
import { FUNNEL_STAGES, RECONCILED_STAGES, getFunnel } from '../../services/analytics/funnel.js';
import { getPace } from '../../services/analytics/pace.js';
import { AnalyticsBasisSchema, AnalyticsQuery, DrillDownSchema } from '../analytics-schemas.js';
import type { AppDependencies } from '../app.js';
import { actorOf } from '../request-context.js';
import { bigintString, currencyCode, cycleMonth, partyId } from '../schemas.js';

const tags = ['analytics'];

const figureKeyText = z
  .string()
  .describe('A figure key: GET /analytics/drill?figure=KEY lists its records.');
const percent = z
  .string()
  .nullable()
  .describe('A percentage as exact decimal text ("12.35" is 12.35 %); null when undefined (÷ 0).');
const money = (description: string) => bigintString.describe(description);

// ---- Funnel ----

const FunnelSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    stages: z.array(
      z.object({
        stage: z.enum(FUNNEL_STAGES),
        amountMinor: money(
          'The stage in the reporting currency: Σ of its records, each converted.',
        ),
        records: z.number().int(),
        funding: z
          .boolean()
          .describe('False for pledged: a pledge is shown, never counted as funding.'),
        percentOfCommitted: percent,
        byCurrency: z
          .array(
            z.object({
              currency: currencyCode,
              amountMinor: money('Σ of the records in this original currency, its minor units.'),
              records: z.number().int(),
              figure: figureKeyText,
            }),
          )
          .describe('The stage in each original currency, without conversion.'),
        figures: z.object({ amount: figureKeyText }),
      }),
    ),
    reconciliation: z
      .object({
        ok: z.boolean().describe('Every line matches.'),
        lines: z.array(
          z.object({
            stage: z.enum(RECONCILED_STAGES),
            currency: currencyCode,
            analyticsMinor: money(
              'Σ of the stage’s records in this currency (every record to date).',
            ),
            ledgerMinor: money('The balances of the ledger accounts holding the same money.'),
            matches: z.boolean(),
            ledgerAccounts: z.string().describe('Which balances `ledgerMinor` sums.'),
          }),
        ),
      })
      .describe(
        'Per currency, the stages the ledger holds (committed, paid, allocated, disbursed) beside the ledger’s balances. The ledger has no value dates: this covers every record to date, whatever asOf says.',
      ),
  })
  .meta({
    id: 'Funnel',
    description:
      'Pledged → committed → paid → allocated → authorised → disbursed → delivered value. Records and value dates: see the service’s documentation (funnel.ts).',
  });

// ---- Burden sharing ----

const IndicatorYears = z.array(
  z.object({ commitmentYear: z.number().int(), indicatorYear: z.number().int() }),
);
const IndicatorGap = z
  .object({
    commitmentYear: z.number().int(),
    firstYear: z.number().int().nullable(),
    reason: z.string(),
  })
  .nullable();
const Names = z.object({ en: z.string(), fr: z.string(), uk: z.string() });

const BurdenSharingSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    totalCommittedMinor: money('Σ committed of every donor (the funnel’s committed).'),
    donors: z.array(
      z.object({
        partyId,
        names: Names,
        contributions: z.number().int(),
        committedMinor: money('Committed, in the reporting currency (pledges excluded).'),
        committedUsdMinor: money(
          'The same contributions in US dollars: what % of GDP is computed from.',
        ),
        shareOfTotal: percent,
        rankByCommitted: z.number().int().describe('Competition rank (1, 2, 2, 4) by committed.'),
        percentOfGdp: z
          .string()
          .nullable()
          .describe(
            'Σ over contributions of USD value / GDP of its commitment year, percent, 6 decimals.',
          ),
        rankByPercentOfGdp: z.number().int().nullable(),
        gdpYear: z.number().int().nullable().describe('The latest GDP year used.'),
        gdpFallback: z
          .boolean()
          .describe(
            'True when a commitment year had no GDP figure and an earlier year’s was used.',
          ),
        gdpYears: IndicatorYears,
        gdpMissing: IndicatorGap.describe('Why percentOfGdp is null.'),
        perCapita: z
          .string()
          .nullable()
          .describe(
            'Reporting currency per person (major units, 2 decimals), same year rule with population.',
          ),
        populationYear: z.number().int().nullable(),
        populationFallback: z.boolean(),
        populationYears: IndicatorYears,
        perCapitaMissing: IndicatorGap.describe('Why perCapita is null.'),
        figures: z.object({ committed: figureKeyText }),
      }),
    ),
    figures: z.object({ totalCommitted: figureKeyText }),
  })
  .meta({
    id: 'BurdenSharing',
    description: 'Committed per donor: share of GDP, per capita, share of total, ranks.',
  });

// ---- Coverage ----

const CoverageFiguresFields = {
  requestedMinor: money(
    'Requested quantity × estimated unit cost (US$, valued on the cycle’s first day).',
  ),
  approvedMinor: money(
    'Approved quantity × estimated unit cost (US$, valued on the cycle’s first day).',
  ),
  packagedMinor: money('Package lines: quantity × unit price (valued on the cycle’s first day).'),
  fundedMinor: money(
    'Allocations (less returned surpluses) split over the package’s areas by line value.',
  ),
  deliveredMinor: money('Received in good order × unit price.'),
  percentFunded: percent.describe('funded / approved, percent, 2 decimals.'),
  figures: z.object({
    requested: figureKeyText,
    approved: figureKeyText,
    packaged: figureKeyText,
    funded: figureKeyText,
    delivered: figureKeyText,
  }),
};

const CoverageSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    cycleFrom: cycleMonth.nullable(),
    cycleTo: cycleMonth.nullable(),
    rows: z.array(
      z.object({
        cycle: cycleMonth,
        capabilityArea: z.string(),
        areaNames: Names,
        ...CoverageFiguresFields,
      }),
    ),
    totals: z.object(CoverageFiguresFields),
  })
  .meta({
    id: 'Coverage',
    description:
      'Per cycle (of the requirement list) and capability area: requested, approved, packaged, funded, delivered; % funded = funded / approved.',
  });

// ---- Pace ----

const PaceSetting = z.object({
  amountMinor: money('In the reporting currency.'),
  source: z.enum(['given', 'default']),
  defaultUsdMinor: money('The default, in US cents.'),
  rateDate: z
    .string()
    .nullable()
    .describe('The day whose ECB rate converted the default (asOf, or the fixed date).'),
  rate: z.string().nullable(),
});

const PaceSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    target: PaceSetting.describe('Per month: given, or US$1bn converted at the rate of asOf.'),
    goal: PaceSetting.describe('Given, or US$5bn converted at the rate of asOf.'),
    months: z.array(
      z.object({
        month: cycleMonth,
        complete: z.boolean().describe('Its last day is on or before asOf.'),
        committedMinor: bigintString,
        paidMinor: bigintString,
        deliveredMinor: bigintString,
        cumulativeCommittedMinor: bigintString,
        cumulativePaidMinor: bigintString,
        cumulativeDeliveredMinor: bigintString,
        targetMinor: bigintString,
        cumulativeTargetMinor: bigintString,
        figures: z.object({
          committed: figureKeyText,
          paid: figureKeyText,
          delivered: figureKeyText,
          cumulativeCommitted: figureKeyText,
          cumulativePaid: figureKeyText,
          cumulativeDelivered: figureKeyText,
        }),
      }),
    ),
    pace: z
      .object({
        perMonthMinor: bigintString.nullable(),
        window: z.array(cycleMonth),
        windowCommittedMinor: bigintString,
        reasonCode: z.enum(['no_complete_month']).nullable(),
        reason: z.string().nullable(),
        figures: z.object({ windowCommitted: figureKeyText.nullable() }),
      })
      .describe('Average committed per month over the last 3 complete months (half to even).'),
    projection: z
      .object({
        goalMinor: bigintString,
        cumulativeCommittedMinor: bigintString,
        remainingMinor: bigintString,
        reachedOn: z.string().nullable(),
        projectedDate: z
          .string()
          .nullable()
          .describe('asOf + remaining ÷ pace months of 365.2425/12 days, rounded up to a day.'),
        reasonCode: z.enum(['no_pace', 'zero_pace', 'too_far']).nullable(),
        reason: z.string().nullable(),
      })
      .describe('When the goal was reached, or would be at the current pace.'),
  })
  .meta({
    id: 'Pace',
    description: 'Monthly and cumulative committed, paid, delivered against a target.',
  });

const amountText = z
  .string()
  .max(40)
  .describe('Decimal text in the reporting currency, e.g. "1000000000.00".');

export const analyticsRoutes: FastifyPluginAsyncZod<AppDependencies> = async (
  app,
  { database },
) => {
  app.get(
    '/analytics/funnel',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getFunnel',
        tags,
        summary: 'The funding funnel, per original currency too, reconciled with the ledger',
        querystring: AnalyticsQuery,
        response: { 200: FunnelSchema },
      },
    },
    async (request) => getFunnel(database, actorOf(request), request.query),
  );

  app.get(
    '/analytics/burden-sharing',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getBurdenSharing',
        tags,
        summary: 'Committed per donor: % of GDP, per capita, share of total, ranks',
        querystring: AnalyticsQuery,
        response: { 200: BurdenSharingSchema },
      },
    },
    async (request) => getBurdenSharing(database, actorOf(request), request.query),
  );

  app.get(
    '/analytics/coverage',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getCoverage',
        tags,
        summary: 'Coverage per cycle and capability area (% funded = funded / approved)',
        querystring: AnalyticsQuery.extend({
          cycleFrom: cycleMonth.optional().describe('The first cycle shown.'),
          cycleTo: cycleMonth.optional().describe('The last cycle shown.'),
        }),
        response: { 200: CoverageSchema },
      },
    },
    async (request) => {
      const { cycleFrom, cycleTo, ...options } = request.query;
      return getCoverage(database, actorOf(request), {
        ...options,
        ...(cycleFrom !== undefined ? { cycleFrom } : {}),
        ...(cycleTo !== undefined ? { cycleTo } : {}),
      });
    },
  );

  app.get(
    '/analytics/pace',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getPace',
        tags,
        summary: 'Monthly pace against a target, with a projected date for a goal',
        querystring: AnalyticsQuery.extend({
          targetPerMonth: amountText
            .optional()
            .describe('Target per month in the reporting currency (default: US$1bn converted).'),
          goal: amountText
            .optional()
            .describe('Goal in the reporting currency (default: US$5bn converted).'),
        }),
        response: { 200: PaceSchema },
      },
    },
    async (request) => {
      const { targetPerMonth, goal, ...options } = request.query;
      return getPace(database, actorOf(request), {
        ...options,
        ...(targetPerMonth !== undefined
          ? { targetPerMonthMinor: parseAmount(targetPerMonth, 2, { field: 'targetPerMonth' }) }
          : {}),
        ...(goal !== undefined ? { goalMinor: parseAmount(goal, 2, { field: 'goal' }) } : {}),
      });
    },
  );

  app.get(
    '/analytics/drill',
    {
      config: { readCache: true },
      schema: {
        operationId: 'drillFigure',
        tags,
        summary: 'The records a figure is made of (they add up to it)',
        querystring: AnalyticsQuery.extend({
          figure: z
            .string()
            .max(200)
            .describe(
              'A figure key from an analysis: funnel.committed, burden.committed:NLD, coverage.funded:2025-08:artillery, pace.paid:2025-10 …',
            ),
        }),
        response: { 200: DrillDownSchema },
      },
    },
    async (request) => {
      const { figure, ...options } = request.query;
      return drillFigure(database, actorOf(request), options, figure);
    },
  );
};
