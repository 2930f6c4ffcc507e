/**
 * Reports: `GET /api/v1/meetings/:id/briefing` — the meeting briefing as a PDF download
 * (`services/reports/briefing-service.ts`): headline figures, pace, burden sharing, coverage,
 * the previous meeting's announcements and what became of them, stalled packages; in English or
 * French (`lang`), in USD or EUR at value-date or fixed-date rates (the analytics query).
 *
 * Answers `application/pdf` as an attachment. An unknown meeting is 404 (checked before any
 * rendering); a renderer that cannot start or is too slow is 503 `REPORT_RENDERER_UNAVAILABLE`.
 * The shared browser is closed when the app closes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { closeBrowser } from '../../services/reports/browser.js';
import { renderBriefing } from '../../services/reports/briefing-service.js';
import { AnalyticsQuery, ExportLanguage } from '../analytics-schemas.js';
import type { AppDependencies } from '../app.js';
import { actorOf } from '../request-context.js';
import { bigintString } from '../schemas.js';

const IdParams = z.object({ id: bigintString.describe('The meeting’s id.') });

const BriefingQuery = AnalyticsQuery.extend({
  lang: ExportLanguage.describe('The briefing’s language: en (English) or fr (French).'),
});

/** Bytes, not JSON: documented as a binary string; the handler sends a Buffer as is. */
const BriefingPdf = z
  .any()
  .describe('The briefing, a PDF document (A4, a few pages).')
  .meta({ type: 'string', format: 'binary' });

export const reportRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.addHook('onClose', async () => closeBrowser());

  app.get(
    '/meetings/:id/briefing',
    {
      schema: {
        tags: ['reports'],
        operationId: 'getMeetingBriefing',
        summary: 'The meeting briefing (PDF)',
        description:
          'A few pages a minister can read in five minutes, for the meeting: its facts and the ' +
          'basis of the figures; headline figures (committed, paid, allocated, authorised, ' +
          'delivered; progress towards the goal; donors); the pace chart; the burden-sharing ' +
          'chart and top donors; coverage by capability area; the previous meeting’s ' +
          'announcements and what became of them; stalled packages. Figures are in `currency` ' +
          'at `rateMode` rates, as of `asOf` (default today, UTC), like the analyses. ' +
          'Answers `application/pdf` as an attachment; 404 for an unknown meeting; 503 ' +
          '`REPORT_RENDERER_UNAVAILABLE` when the PDF renderer cannot run.',
        params: IdParams,
        querystring: BriefingQuery,
        response: {
          200: {
            description: 'The briefing PDF (Content-Disposition: attachment).',
            content: { 'application/pdf': { schema: BriefingPdf } },
          },
        },
      },
    },
    async (request, reply) => {
      const { lang, ...options } = request.query;
      const briefing = await renderBriefing(database, actorOf(request), {
        meetingId: request.params.id,
        lang,
        ...options,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${briefing.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(briefing.pdf);
    },
  );
};
