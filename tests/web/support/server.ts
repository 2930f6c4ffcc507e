/**
 * A real PURL server for the browser tests: the Fastify app with an in-memory PGlite database,
 * migrated, with the demo data loaded (its users have the demo password), listening on a free
 * loopback port. Sign-in's rate limit by address is raised (every test signs in from 127.0.0.1);
 * everything else — the per-email lockout, CSRF, the CSP — is as in production.
 */
import { buildApp, type App } from '../../../src/http/app.js';
import { DEMO_PASSWORD_DEFAULT, loadDemo } from '../../../src/services/demo-service.js';
import { openDatabase, type Database } from '../../../src/storage/database.js';
import { migrate } from '../../../src/storage/migrate.js';
import { isWebBuildCurrent } from '../../../src/web/tools/build.js';

export const DEMO_PASSWORD = DEMO_PASSWORD_DEFAULT;

export interface WebServer {
  url: string;
  app: App;
  database: Database;
  close(): Promise<void>;
}

export async function startWebServer(): Promise<WebServer> {
  if (!(await isWebBuildCurrent())) {
    throw new Error(
      'src/web/dist is not built from the current sources (the global setup’s build failed?): ' +
        'run `npm run web:build` to see why.',
    );
  }
  const database = await openDatabase({ memory: true });
  await migrate(database);
  await loadDemo(database, { password: DEMO_PASSWORD });
  const app = await buildApp({
    database,
    rateLimits: { loginPerAddress: { max: 1000, windowMs: 300_000 } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
