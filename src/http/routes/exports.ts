/**
 * Downloads: `GET /api/v1/exports/:dataset?format=csv|xlsx&lang=en|fr` — any list or analysis
 * as a file (services/exports), with the analysis basis (`AnalyticsQuery`) and the dataset's
 * filters — and `GET /api/v1/exports/iati`, the IATI 2.03 activity file.
 *
 * The file is streamed as it is written (`Content-Disposition: attachment`), after the service
 * has checked the name (404 listing the known datasets), the filters (400 naming the field) and
 * access (403), and read the first row. A failure after the first byte (the database lost
 * half-way) cannot become an error answer any more: the connection is closed without the end of
 * the file, so the download fails rather than looking complete.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CAPABILITY_AREA_CODES } from '../../core/reference.js';
import { STALLED_AFTER_DAYS_MAX } from '../../services/analytics/delivery.js';
import {
  CONTENT_TYPES,
  EXPORT_FORMATS,
  datasetNames,
  openExport,
} from '../../services/exports/datasets.js';
import { IATI_CONTENT_TYPE, exportIati } from '../../services/exports/iati.js';
import type { AppDependencies } from '../app.js';
import { AnalyticsQuery, ExportLanguage } from '../analytics-schemas.js';
import { actorOf } from '../request-context.js';
import { bigintString, cycleMonth, isoDate } from '../schemas.js';

const tags = ['exports'];

const ExportParams = z.object({
  dataset: z
    .string()
    .regex(/^[a-z][a-z-]{1,39}$/)
    .describe(`The dataset: ${datasetNames().join(', ')}.`),
});

const ExportQuery = AnalyticsQuery.extend({
  format: z.enum(EXPORT_FORMATS).default('csv').describe('`csv` (UTF-8 with BOM) or `xlsx`.'),
  lang: ExportLanguage.describe('Language of the headers and the meta block.'),
  status: z.string().max(40).optional().describe('Lists: the records’ status.'),
  kind: z.string().max(40).optional().describe('Meetings: udcg | ministerial | other; parties.'),
  cycle: z.string().max(7).optional().describe('YYYY-MM.'),
  donor: z
    .string()
    .max(20)
    .optional()
    .describe('A party id: its contributions, the packages it funds.'),
  capabilityArea: z.enum(CAPABILITY_AREA_CODES).optional(),
  packageId: bigintString.optional().describe('One package (its lines, allocations, deliveries).'),
  meetingId: bigintString.optional().describe('Follow-up (required) and announcements.'),
  from: isoDate.optional().describe('From this day (each dataset says which date).'),
  to: isoDate.optional().describe('Up to this day, inclusive.'),
  cycleFrom: cycleMonth.optional().describe('Coverage: the first cycle shown.'),
  cycleTo: cycleMonth.optional().describe('Coverage: the last cycle shown.'),
  targetPerMonth: z
    .string()
    .max(40)
    .optional()
    .describe('Pace: target per month in the reporting currency, decimal ("1000000000.00").'),
  goal: z.string().max(40).optional().describe('Pace: goal in the reporting currency, decimal.'),
  stalledAfterDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(STALLED_AFTER_DAYS_MAX)
    .optional()
    .describe('Lead times, stalled packages: days in one stage after which a package is stalled.'),
  year: z.coerce.number().int().min(2000).max(2200).optional().describe('Context: the Kiel year.'),
});

const FILE_RESPONSE = {
  description:
    'The file, as an attachment. Its first lines (CSV: `#` comment lines; XLSX: the rows above ' +
    'the table) state the currency, rate mode, rate date, generation time, author and filters.',
  content: {
    [CONTENT_TYPES.csv]: { schema: z.string() },
    [CONTENT_TYPES.xlsx]: { schema: z.string().meta({ format: 'binary' }) },
  },
};

const IATI_RESPONSE = {
  description: 'IATI 2.03 activities: one per package, transactions 11, 1 and 3.',
  content: { [IATI_CONTENT_TYPE]: { schema: z.string() } },
};

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export const exportRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/exports/iati',
    {
      schema: {
        operationId: 'exportIati',
        tags,
        summary: 'IATI 2.03 activity file of every package offered to donors',
        response: { 200: IATI_RESPONSE },
      },
    },
    async (request, reply) => {
      const file = await exportIati(database, actorOf(request));
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachment(file.fileName))
        .header('cache-control', 'no-store')
        .send(file.xml);
    },
  );

  app.get(
    '/exports/:dataset',
    {
      schema: {
        operationId: 'exportDataset',
        tags,
        summary: 'A list or an analysis as CSV or XLSX',
        params: ExportParams,
        querystring: ExportQuery,
        response: { 200: FILE_RESPONSE },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const opened = await openExport(
        database,
        actorOf(request),
        request.params.dataset,
        q.format,
        {
          lang: q.lang,
          analytics: {
            currency: q.currency,
            rateMode: q.rateMode,
            rateDate: q.rateDate,
            asOf: q.asOf,
          },
          filters: {
            status: q.status,
            kind: q.kind,
            cycle: q.cycle,
            donor: q.donor,
            capabilityArea: q.capabilityArea,
            packageId: q.packageId,
            meetingId: q.meetingId,
            from: q.from,
            to: q.to,
            cycleFrom: q.cycleFrom,
            cycleTo: q.cycleTo,
            targetPerMonth: q.targetPerMonth,
            goal: q.goal,
            stalledAfterDays: q.stalledAfterDays,
            year: q.year,
          },
        },
      );
      const body = new PassThrough();
      opened.write(body).catch((error: unknown) => {
        request.log.error({ err: error }, 'export failed after the download began');
      });
      return reply
        .header('content-type', opened.contentType)
        .header('content-disposition', attachment(opened.fileName))
        .header('cache-control', 'no-store')
        .send(body as unknown as string); // a stream: the 200 schema only documents the file
    },
  );
};
