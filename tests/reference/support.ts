/**
 * The app with `devActors: true` on a fresh database of one engine, and a request helper that
 * acts as a role through the `X-Purl-Actor` header (`coordinator`, `contributor:NLD`, …).
 */
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/http/app.js';
import type { Engine } from '../../src/storage/database.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

export interface ReferenceTestApp {
  app: App;
  t: TestDatabase;
  /** `app.inject` as `actor` (no header when `actor` is undefined). */
  request(
    actor: string | undefined,
    method: 'GET' | 'PATCH',
    url: string,
    options?: { payload?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openReferenceApp(engine: Engine): Promise<ReferenceTestApp> {
  const t = await openTestDatabase(engine);
  const app = await buildApp({ database: t.database, devActors: true });
  await app.ready();
  return {
    app,
    t,
    request(actor, method, url, options = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(actor ? { 'x-purl-actor': actor } : {}), ...options.headers },
        ...(options.payload !== undefined ? { payload: options.payload as object } : {}),
      });
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** The 32 NATO members (Finland since 2023, Sweden since 2024), ISO 3166 alpha-3. */
export const NATO_MEMBERS = (
  'ALB BEL BGR CAN HRV CZE DNK EST FIN FRA DEU GRC HUN ISL ITA LVA LTU LUX MNE NLD MKD NOR ' +
  'POL PRT ROU SVK SVN ESP SWE TUR GBR USA'
)
  .split(' ')
  .sort();

export const PARTNERS = ['AUS', 'NZL', 'JPN', 'KOR', 'IRL', 'AUT', 'CHE'].sort();
export const NATO_BODIES = ['NATO-HQ', 'NSATU', 'SHAPE'];
