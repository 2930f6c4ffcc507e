/**
 * A real PURL server for the browser tests: the Fastify app with an in-memory PGlite database,
 * migrated, with the demo data loaded (its users have the demo password), listening on a free
 * loopback port. Sign-in's rate limit by address is raised (every test signs in from 127.0.0.1);
 * everything else — the per-email lockout, CSRF, the CSP — is as in production.
 */
import { createServer } from 'node:net';
import { buildApp, type App } from '../../../src/http/app.js';
import type { OidcOptions } from '../../../src/services/oidc-service.js';
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

export interface WebServerOptions {
  /**
   * Sign-in through an OpenID provider: its options, given the server's origin (the callback
   * URL names the port, so the port is chosen before the app is built). Off by default.
   */
  oidc?: (origin: string) => OidcOptions | Promise<OidcOptions>;
}

/** A free loopback port (closed again; the app listens on it right after). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  if (!(await isWebBuildCurrent())) {
    throw new Error(
      'src/web/dist is not built from the current sources (the global setup’s build failed?): ' +
        'run `npm run web:build` to see why.',
    );
  }
  const database = await openDatabase({ memory: true });
  await migrate(database);
  await loadDemo(database, { password: DEMO_PASSWORD });
  const port = options.oidc ? await freePort() : 0;
  const app = await buildApp({
    database,
    rateLimits: { loginPerAddress: { max: 1000, windowMs: 300_000 } },
    ...(options.oidc ? { oidc: await options.oidc(`http://127.0.0.1:${port}`) } : {}),
  });
  await app.listen({ host: '127.0.0.1', port });
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
