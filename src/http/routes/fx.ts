/**
 * Exchange rates: `GET /api/v1/fx/rate?from=EUR&to=USD&date=YYYY-MM-DD` — the ECB rate a
 * conversion on that value date would use (the latest day on or before it with a rate for both
 * currencies), with both rates per EUR as exact decimal text, so a client can estimate an
 * amount exactly as the server will convert it, and the rate date and source to say so.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { convert } from '../../services/fx-service.js';
import type { AppDependencies } from '../app.js';
import { actorOf } from '../request-context.js';
import { currencyCode, isoDate } from '../schemas.js';

const FxRate = z
  .object({
    from: z.string(),
    to: z.string(),
    valueDate: isoDate.describe('The day asked for.'),
    rate: z.string().describe('Units of `to` per unit of `from` (display, 10 significant digits).'),
    fromRatePerEur: z.string().describe('Units of `from` per 1 EUR, exact decimal text.'),
    toRatePerEur: z.string().describe('Units of `to` per 1 EUR, exact decimal text.'),
    rateDate: isoDate.describe('The day whose rates are used (on or before valueDate).'),
    fellBack: z.boolean().describe('True when rateDate is earlier than valueDate.'),
    source: z.string(),
  })
  .meta({ id: 'FxRate' });

export const fxRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/fx/rate',
    {
      config: { readCache: true },
      schema: {
        operationId: 'getFxRate',
        tags: ['reference'],
        summary: 'The ECB rate between two currencies on a value date (the one conversions use)',
        querystring: z.object({ from: currencyCode, to: currencyCode, date: isoDate }),
        response: { 200: FxRate },
      },
    },
    async (request) => {
      const { from, to, date } = request.query;
      const result = await convert(database, actorOf(request), {
        amountMinor: 0n,
        from,
        to,
        valueDate: date,
      });
      return {
        from: result.fromCurrency,
        to: result.currency,
        valueDate: result.valueDate,
        rate: result.rate,
        fromRatePerEur: result.fromRatePerEur,
        toRatePerEur: result.toRatePerEur,
        rateDate: result.rateDate,
        fellBack: result.fellBack,
        source: result.source,
      };
    },
  );
};
