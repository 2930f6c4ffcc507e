/**
 * Builds the app on a fresh database of one engine, with the test-only routes below, for
 * `app.inject()` tests. Nothing here listens on a port.
 */
import { z } from 'zod';
import { DomainError } from '../../src/core/errors.js';
import { buildApp, type App, type BuildAppOptions } from '../../src/http/app.js';
import { bigintString } from '../../src/http/schemas.js';
import type { Engine } from '../../src/storage/database.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

export interface TestApp {
  app: App;
  t: TestDatabase;
  close(): Promise<void>;
}

export async function openTestApp(
  engine: Engine,
  options: Pick<BuildAppOptions, 'logger'> = {},
): Promise<TestApp> {
  const t = await openTestDatabase(engine);
  const app = await buildApp({ database: t.database, ...options });
  registerTestRoutes(app);
  await app.ready();
  return {
    app,
    t,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** Routes that exist only in tests, to drive each branch of the error mapping. */
export function registerTestRoutes(app: App): void {
  const config = { operation: 'public' as const };
  app.post(
    '/api/v1/test/echo',
    {
      config,
      schema: {
        body: z.object({
          amountMinor: bigintString,
          lines: z.array(z.object({ quantity: z.number().int().positive() })).optional(),
        }),
        response: { 200: z.object({ amountMinor: bigintString }) },
      },
    },
    async (request) => ({ amountMinor: request.body.amountMinor }),
  );
  app.get('/api/v1/test/untyped-bigint', { config }, async () => ({ amountMinor: 2n ** 63n - 1n }));
  app.get(
    '/api/v1/test/domain-error/:code',
    { config, schema: { params: z.object({ code: z.string() }) } },
    async (request) => {
      throw new DomainError(request.params.code as never, undefined, {
        field: 'body.amountMinor',
        availableMinor: 5n,
      });
    },
  );
  app.get('/api/v1/test/bug', { config }, async () => {
    throw new Error('SELECT secret_column FROM ledger_transfer -- boom');
  });
}
