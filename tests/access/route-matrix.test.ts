/**
 * The access matrix: every API route (read from the app's own route table) × every role and
 * anonymous, checked against the declared policy. A route added without a policy entry makes
 * the app refuse to build (and this test fail); an entry without a route fails here too.
 * The matrix walks an app with every optional feature configured (OpenID Connect sign-in, its
 * provider unreachable: its routes are public, so only 401/403 would be a finding), so optional
 * routes are covered too; without the feature, exactly the always-on routes exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/core/actor.js';
import { POLICY, isAllowed } from '../../src/core/policy.js';
import { buildApp, type App } from '../../src/http/app.js';
import { OPTIONAL_ROUTE_OPERATIONS, ROUTE_OPERATIONS } from '../../src/http/route-policy.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

/** The roles a person can have (system is the CLI's), with a party for the contributor. */
const PEOPLE = ROLES.filter((r) => r !== 'system').map((role) =>
  role === 'contributor' ? 'contributor:NLD' : role,
);

describe.each(ENGINES)('route × role access matrix on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let plainApp: App;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    plainApp = await buildApp({ database: t.database, devActors: true });
    app = await buildApp({
      database: t.database,
      devActors: true,
      oidc: {
        issuer: 'http://127.0.0.1:9/unreachable',
        clientId: 'matrix',
        clientSecret: 'matrix-secret',
        redirectUri: 'https://ledger.example/api/v1/auth/oidc/callback',
        roleClaim: 'purl_role',
        partyClaim: 'purl_party',
        allowInsecureRequests: true,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await plainApp?.close();
    await t?.close();
  });

  it('every route has exactly one policy entry and every entry a route', () => {
    const keys = (a: App) => a.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
    // Without optional features: exactly the always-on table.
    expect(keys(plainApp)).toEqual(Object.keys(ROUTE_OPERATIONS).sort());
    // With them: the always-on table and every optional entry, nothing else.
    expect(keys(app)).toEqual(
      [...Object.keys(ROUTE_OPERATIONS), ...Object.keys(OPTIONAL_ROUTE_OPERATIONS)].sort(),
    );
    for (const key of Object.keys(OPTIONAL_ROUTE_OPERATIONS)) {
      expect(ROUTE_OPERATIONS[key], key).toBeUndefined();
    }
    for (const r of app.apiRoutes) {
      if (r.operation !== 'public')
        expect(POLICY[r.operation], `${r.method} ${r.url}`).toBeDefined();
    }
  });

  it('anonymous reaches only public routes; each role is allowed or refused exactly as the policy says', async () => {
    const mismatches: string[] = [];
    for (const route of app.apiRoutes) {
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'id' && route.url.startsWith('/api/v1/parties') ? 'NLD' : '1',
      );
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      for (const who of [null, ...PEOPLE]) {
        const response = await app.inject({
          method: route.method as 'GET',
          url,
          headers: who ? { 'x-purl-actor': who } : {},
          ...(hasBody ? { payload: {} } : {}),
        });
        const role = who?.split(':')[0];
        const allowed =
          route.operation === 'public' ||
          (role !== undefined &&
            isAllowed({ id: 'matrix', role: role as (typeof ROLES)[number] }, route.operation));
        const expected = allowed ? 'allowed' : who === null ? 401 : 403;
        const got =
          response.statusCode === 401 || response.statusCode === 403
            ? response.statusCode
            : 'allowed';
        if (got !== expected)
          mismatches.push(
            `${route.method} ${route.url} as ${who ?? 'anonymous'}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
        if (typeof expected === 'number') {
          expect(response.json().error.code).toBe(
            expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
