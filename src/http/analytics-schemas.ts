/**
 * Zod schemas shared by every analytics route: the query every analysis takes (reporting
 * currency, rate mode, rate date, as-of date), the basis every response states, and the
 * drill-down records. Responses carry money as decimal strings of minor units of the reporting
 * currency (`bigintString`).
 */
import { z } from 'zod';
import { RATE_MODES, REPORTING_CURRENCIES } from '../core/analytics.js';
import { bigintString, isoDate } from './schemas.js';

export const AnalyticsQuery = z.object({
  currency: z
    .enum(REPORTING_CURRENCIES)
    .default('USD')
    .describe('The reporting currency: every figure is converted to it.'),
  rateMode: z
    .enum(RATE_MODES)
    .default('value_date')
    .describe(
      '`value_date`: each record at the ECB rate of its own value date; `fixed`: every record at the rate of `rateDate`.',
    ),
  rateDate: isoDate
    .optional()
    .describe(
      'With rateMode=fixed: the day whose rates are used (default: the latest day with rates).',
    ),
  asOf: isoDate
    .optional()
    .describe('Compute as of this day: records after it are left out (default: today, UTC).'),
});
export type AnalyticsQuery = z.output<typeof AnalyticsQuery>;

export const AnalyticsBasisSchema = z
  .object({
    currency: z.enum(REPORTING_CURRENCIES),
    rateMode: z.enum(RATE_MODES),
    rateDate: isoDate.nullable(),
    asOf: isoDate,
    generatedAt: z.string().describe('ISO 8601 time of the computation.'),
    rateSource: z.string(),
    conversions: z.number().int().describe('Amounts converted from another currency.'),
    fellBack: z
      .number()
      .int()
      .describe('Of those, converted at an earlier day’s rate (weekend, holiday).'),
    afterLastRate: z
      .number()
      .int()
      .describe(
        'Amounts dated after lastRateDate, converted at its rates: provisional until newer ECB rates are imported.',
      ),
    lastRateDate: isoDate
      .nullable()
      .describe('The last day with imported rates on or before asOf.'),
  })
  .meta({ id: 'AnalyticsBasis', description: 'The basis every figure of the response is on.' });

export const DrillRecordSchema = z
  .object({
    kind: z.enum([
      'contribution',
      'payment',
      'allocation',
      'disbursement',
      'package',
      'package_line',
      'receipt',
      'requirement_item',
      'announcement',
      'redacted',
    ]),
    id: bigintString,
    label: z.string(),
    date: isoDate.nullable(),
    partyId: z.string().nullable(),
    packageId: bigintString.nullable(),
    contributionId: bigintString.nullable(),
    originalAmountMinor: bigintString,
    originalCurrency: z.string(),
    amountMinor: bigintString.describe('In the reporting currency: what the figure sums.'),
    rate: z.string(),
    rateDate: isoDate.nullable(),
    quantity: z.number().nullable(),
    days: z.number().int().nullable(),
    count: z
      .number()
      .int()
      .describe('1, or for a `redacted` line the number of records it stands for.'),
  })
  .meta({ id: 'DrillRecord' });

export const DrillDownSchema = z
  .object({
    basis: AnalyticsBasisSchema,
    figure: z.string(),
    totalMinor: bigintString.describe('The figure: the sum of every record’s amountMinor.'),
    truncated: z
      .boolean()
      .describe(
        'True when more records make the figure than one response lists (drillRecordsMax).',
      ),
    records: z.array(DrillRecordSchema),
  })
  .meta({ id: 'DrillDown' });

/** `?lang=` of exports and reports. */
export const ExportLanguage = z.enum(['en', 'fr']).default('en');
