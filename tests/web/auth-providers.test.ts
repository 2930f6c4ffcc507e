/**
 * `GET /api/v1/auth/providers` tells the sign-in page, before anyone is signed in, whether the
 * server also offers sign-in with an OpenID Connect provider and where a browser starts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('sign-in providers on %s', (engine) => {
  let t: TestDatabase;
  let plain: App;
  let withOidc: App;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    plain = await buildApp({ database: t.database });
    withOidc = await buildApp({
      database: t.database,
      oidc: {
        issuer: 'http://127.0.0.1:9/unreachable',
        clientId: 'web',
        clientSecret: 'web-secret',
        redirectUri: 'https://ledger.example/api/v1/auth/oidc/callback',
        roleClaim: 'purl_role',
        partyClaim: 'purl_party',
        allowInsecureRequests: true,
      },
    });
  });
  afterAll(async () => {
    await plain?.close();
    await withOidc?.close();
    await t?.close();
  });

  it('says password only when OpenID Connect is not configured, to anyone', async () => {
    const response = await plain.inject({ method: 'GET', url: '/api/v1/auth/providers' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ password: true, oidc: { enabled: false, loginUrl: null } });
  });

  it('names the OpenID Connect login route when it is configured, and that route exists', async () => {
    const response = await withOidc.inject({ method: 'GET', url: '/api/v1/auth/providers' });
    expect(response.json()).toEqual({
      password: true,
      oidc: { enabled: true, loginUrl: '/api/v1/auth/oidc/login' },
    });
    expect(withOidc.apiRoutes.some((route) => route.url === '/api/v1/auth/oidc/login')).toBe(true);
  });
});
