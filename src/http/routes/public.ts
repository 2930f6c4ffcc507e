/**
 * Public figures under `/api/v1/public`: a coordinator publishes a snapshot of totals
 * (`POST /public/snapshots`), anyone reads the latest without signing in
 * (`GET /public/summary`, the one public read of data), coordinators and auditors read the
 * history (`GET /public/snapshots`).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PACKAGE_STATUSES } from '../../core/packages.js';
import {
  getPublicSummary,
  listPublicSnapshotHistory,
  publishPublicSnapshot,
} from '../../services/public-service.js';
import type { AppDependencies } from '../app.js';
import { PageQuery, actorOf, pageOf } from '../request-context.js';
import { bigintString, currencyCode, partyId } from '../schemas.js';

const tags = ['public'];

const PublicAmount = z
  .object({
    amountMinor: z
      .string()
      .regex(/^(0|[1-9][0-9]*)$/)
      .describe('Minor units, a decimal string.'),
    currency: currencyCode,
  })
  .meta({ id: 'PublicAmount' });

const PublicFigures = z
  .object({
    committedByDonor: z
      .array(
        z.object({
          partyId,
          committed: PublicAmount,
          contributions: z.number().int(),
        }),
      )
      .describe(
        'Committed per donor, in each contribution’s currency (one row per donor and currency). ' +
          'Pledges are not counted.',
      ),
    funded: PublicAmount.describe(
      'Allocated to packages from committed contributions (USD); a closed package counts at its price.',
    ),
    disbursed: PublicAmount.describe('Paid to the supplier (USD).'),
    deliveredValue: PublicAmount.describe(
      'Quantity received in good order × unit price, summed over packages (USD).',
    ),
    packagesByStatus: z.record(z.enum(PACKAGE_STATUSES), z.number().int()),
    packageCount: z.number().int(),
    includesSyntheticData: z
      .boolean()
      .describe('True when demonstration (synthetic) records are among those counted.'),
  })
  .meta({ id: 'PublicFigures' });

const summaryFields = {
  id: bigintString,
  publishedAt: z.date(),
  figures: PublicFigures,
  hash: z
    .string()
    .describe('SHA-256 (hex) of the canonical JSON of { figures, publishedAt, publishedBy }.'),
};

const PublicSummary = z.object(summaryFields).meta({
  id: 'PublicSummary',
  description: 'The figures a coordinator last published: totals only.',
});

const PublicSnapshot = z
  .object({ ...summaryFields, publishedBy: z.string().describe('The publishing user.') })
  .meta({ id: 'PublicSnapshot' });

export const publicRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/public/summary',
    {
      schema: {
        operationId: 'getPublicSummary',
        tags,
        summary: 'The latest published figures (no sign-in needed)',
        response: { 200: PublicSummary },
      },
    },
    async (_request, reply) => {
      const summary = await getPublicSummary(database);
      reply.header('etag', `"${summary.hash}"`);
      return summary;
    },
  );

  app.post(
    '/public/snapshots',
    {
      schema: {
        operationId: 'publishPublicSnapshot',
        tags,
        summary: 'Publish the figures as they are now (coordinator)',
        body: z.object({}).optional(),
        response: { 201: PublicSnapshot },
      },
    },
    async (request, reply) => {
      const snapshot = await publishPublicSnapshot(database, actorOf(request));
      reply.code(201).header('location', '/api/v1/public/summary');
      return snapshot;
    },
  );

  app.get(
    '/public/snapshots',
    {
      schema: {
        operationId: 'listPublicSnapshots',
        tags,
        summary: 'Every publication, newest first (coordinator, auditor)',
        querystring: PageQuery,
        response: { 200: pageOf(PublicSnapshot) },
      },
    },
    async (request) => listPublicSnapshotHistory(database, actorOf(request), request.query),
  );
};
