/**
 * `GET /api/v1/health`: the server is up and its database answers. A database that cannot be
 * reached answers 503 `DATABASE_UNAVAILABLE` through the error handler, so a load balancer can
 * take this instance out of rotation.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationVersion } from '../../storage/migrate.js';
import type { AppDependencies } from '../app.js';
import { PACKAGE_VERSION } from '../version.js';

export const HealthResponse = z
  .object({
    status: z.literal('ok'),
    engine: z.enum(['pglite', 'postgres']),
    migrationVersion: z.number().int().nonnegative(),
    version: z.string(),
  })
  .meta({ id: 'Health' });

export const healthRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { database }) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Liveness and database readiness',
        response: { 200: HealthResponse },
      },
    },
    async () => ({
      status: 'ok' as const,
      engine: database.engine,
      migrationVersion: await migrationVersion(database),
      version: PACKAGE_VERSION,
    }),
  );
};
