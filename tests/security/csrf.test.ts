/**
 * CSRF protection of cookie-authenticated writes, on both engines, through an app without
 * development actors: sign-in sets the readable `purl_csrf` cookie (also `session.csrfToken`);
 * a write signed in by the session cookie without `X-CSRF-Token`, or with another session's
 * token, is 403 `CSRF_REJECTED` and changes nothing; with the token it passes; reads need none;
 * a bearer-authenticated write (session or API token) needs none; sign-in itself is exempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const admin = systemActor('test');
const PASSWORD = 'a long enough passphrase';

describe.each(ENGINES)('CSRF on %s', (engine) => {
  let t: TestDatabase;
  let app: App;

  const signIn = async (cookies: Record<string, string> = {}) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nld@test.purl', password: PASSWORD },
      cookies,
    });
    expect(response.statusCode, response.body).toBe(200);
    const session = response.cookies.find((c) => c.name === 'purl_session')!;
    const csrf = response.cookies.find((c) => c.name === 'purl_csrf')!;
    return { response, session: session.value, csrf };
  };

  const pledge = (headers: Record<string, string>, cookies: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers,
      cookies,
      payload: {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: '1000000',
        announcedOn: '2025-08-04',
        title: 'a pledge',
      },
    });

  const countContributions = async () =>
    (await t.database.kysely.selectFrom('contribution').select('id').execute()).length;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database });
    await createUser(t.database, admin, {
      email: 'nld@test.purl',
      role: 'contributor',
      partyId: 'NLD',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('sign-in sets a readable CSRF cookie matching session.csrfToken', async () => {
    const { response, csrf } = await signIn();
    expect(csrf.value).toBe(response.json().session.csrfToken);
    expect(csrf.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf.httpOnly).toBeFalsy(); // the page's script reads it
    expect(csrf.sameSite).toBe('Strict');
    expect(csrf.path).toBe('/');
  });

  it('refuses a cookie-authenticated write without the token, and with another session’s', async () => {
    const { session } = await signIn();
    const other = await signIn();
    const before = await countContributions();

    const missing = await pledge({}, { purl_session: session });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error).toMatchObject({
      code: 'CSRF_REJECTED',
      details: { field: 'headers.x-csrf-token' },
    });

    const foreign = await pledge({ 'x-csrf-token': other.csrf.value }, { purl_session: session });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('CSRF_REJECTED');

    // A cookie planted next to the session does not help: the token must match the session.
    const planted = await pledge(
      { 'x-csrf-token': 'attacker-chosen' },
      { purl_session: session, purl_csrf: 'attacker-chosen' },
    );
    expect(planted.statusCode).toBe(403);

    const remove = await app.inject({
      method: 'DELETE',
      url: '/api/v1/auth/tokens/1',
      cookies: { purl_session: session },
    });
    expect(remove.statusCode).toBe(403);
    expect(remove.json().error.code).toBe('CSRF_REJECTED');
    expect(await countContributions()).toBe(before);
  });

  it('accepts a cookie-authenticated write with the token; reads need none', async () => {
    const { session, csrf } = await signIn();
    const accepted = await pledge({ 'x-csrf-token': csrf.value }, { purl_session: session });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const read = await app.inject({
      method: 'GET',
      url: '/api/v1/contributions',
      cookies: { purl_session: session },
    });
    expect(read.statusCode).toBe(200);
  });

  it('a bearer-authenticated write needs no token (session id or API token)', async () => {
    const { response, session, csrf } = await signIn();
    const token = response.json().session.token as string;
    expect((await pledge({ authorization: `Bearer ${token}` })).statusCode).toBe(201);

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { 'x-csrf-token': csrf.value },
      cookies: { purl_session: session },
      payload: { name: 'ministry export', expiresInDays: 7 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const secret = created.json().secret as string;
    expect((await pledge({ authorization: `Bearer ${secret}` })).statusCode).toBe(201);
    // Bearer wins over the cookie: the cookie is not what authenticated, so no token is needed.
    expect(
      (await pledge({ authorization: `Bearer ${secret}` }, { purl_session: session })).statusCode,
    ).toBe(201);
  });

  it('sign-in is exempt (even with a session cookie); logout needs the token and clears both cookies', async () => {
    const first = await signIn();
    await signIn({ purl_session: first.session });

    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { purl_session: first.session },
    });
    expect(refused.statusCode).toBe(403);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { 'x-csrf-token': first.csrf.value },
      cookies: { purl_session: first.session },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ revoked: true });
    const cleared = Object.fromEntries(out.cookies.map((c) => [c.name, c.value]));
    expect(cleared).toEqual({ purl_session: '', purl_csrf: '' });
  });

  it('a stale cookie on a write is 401 (not signed in), not a CSRF refusal', async () => {
    const stale = await pledge({}, { purl_session: 'A'.repeat(43) });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('UNAUTHENTICATED');
  });
});
