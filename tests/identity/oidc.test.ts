/**
 * OpenID Connect sign-in end to end, on both engines, against a real OpenID provider
 * (`oidc-provider`) listening on a loopback port inside the test. The browser is played by plain
 * HTTP requests with cookies carried by hand: the app's login redirect → the provider's login
 * and consent pages (its devInteractions) → the app's callback (driven with `inject`: the
 * provider never reaches the app, the app reaches the provider for discovery, token and
 * UserInfo). The provider's accounts carry `purl_role` / `purl_party` claims.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { csrfTokenFor } from '../../src/http/security.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const CLIENT_ID = 'purl-ledger';
const CLIENT_SECRET = 'a-client-secret-of-enough-length-for-hs256';
const REDIRECT_URI = 'https://ledger.example/api/v1/auth/oidc/callback';

/** The provider's accounts: the login name is the subject. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'coord-1': { email: 'coord@ministry.example', name: 'Coordinator One', purl_role: 'coordinator' },
  'nld-1': { email: 'nld@ministry.example', purl_role: 'contributor', purl_party: 'NLD' },
  'norole-1': { email: 'norole@ministry.example' },
  'badrole-1': { email: 'bad@ministry.example', purl_role: 'system' },
  'noparty-1': { email: 'noparty@ministry.example', purl_role: 'contributor' },
};

async function startProvider(): Promise<{ issuer: string; server: Server }> {
  // Listen first (the issuer URL names the port), then hand requests to the provider.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // The PURL claims come with the openid scope (so with code flow: from UserInfo).
    claims: {
      openid: ['sub', 'purl_role', 'purl_party'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) =>
      ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined,
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider', error));
  server.on('request', provider.callback());
  return { issuer, server };
}

/** A browser's cookies for the provider (one origin; paths ignored: every cookie is sent). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now(),
      );
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Plays the browser at the provider: from its authorization URL to the redirect to the app. */
async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body: body.toString() } : {}),
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) return next;
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    expect(response.status, html.slice(0, 500)).toBe(200);
    // An interaction page: the login form, or the consent form. Submit it as a user would.
    method = 'POST';
    body = html.includes('name="login"')
      ? new URLSearchParams({ prompt: 'login', login, password: 'any' })
      : new URLSearchParams({ prompt: 'consent' });
  }
  throw new Error('the provider never redirected back to the app');
}

function cookieOf(setCookie: string | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const line of lines) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (match) return match[1];
  }
  return undefined;
}

describe.each(ENGINES)('OIDC sign-in on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let provider: { issuer: string; server: Server };

  beforeAll(async () => {
    provider = await startProvider();
    t = await openTestDatabase(engine);
    app = await buildApp({
      database: t.database,
      // Only to create DEU's contribution as DEU; every OIDC request carries no such header.
      devActors: true,
      oidc: {
        issuer: provider.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        roleClaim: 'purl_role',
        partyClaim: 'purl_party',
        allowInsecureRequests: true, // the test provider is plain http on loopback
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await new Promise((resolve) => provider?.server.close(resolve));
  });

  /** Login redirect → provider → callback; returns the callback's answer. */
  async function oidcSignIn(login: string, headers: Record<string, string> = {}) {
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(start.statusCode, start.body).toBe(302);
    const authorizationUrl = start.headers.location as string;
    expect(authorizationUrl.startsWith(`${provider.issuer}/`)).toBe(true);
    const params = new URL(authorizationUrl).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('nonce')).toBeTruthy();
    const state = cookieOf(start.headers['set-cookie'], 'purl_oidc_state');
    expect(state).toBe(params.get('state'));
    const back = await signInAtProvider(authorizationUrl, login);
    const callback = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { purl_oidc_state: state! },
      headers,
    });
    return { callback, back, state: state! };
  }

  it('signs a coordinator in: the session cookie works like a password session', async () => {
    const { callback } = await oidcSignIn('coord-1');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/');
    const session = cookieOf(callback.headers['set-cookie'], 'purl_session');
    const csrf = cookieOf(callback.headers['set-cookie'], 'purl_csrf');
    expect(session).toBeTruthy();
    expect(csrf).toBe(csrfTokenFor(session!));
    const setCookies = ([] as string[]).concat(callback.headers['set-cookie'] ?? []);
    expect(setCookies.find((c) => c.startsWith('purl_session='))).toMatch(/HttpOnly/);
    expect(setCookies.find((c) => c.startsWith('purl_session='))).toMatch(/SameSite=Strict/);

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/contributions',
      cookies: { purl_session: session! },
    });
    expect(list.statusCode, list.body).toBe(200);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { purl_session: session! },
    });
    expect(me.json()).toMatchObject({
      authenticatedBy: 'session',
      role: 'coordinator',
      partyId: null,
      user: { email: 'coord@ministry.example', displayName: 'Coordinator One' },
    });

    // A second sign-in finds the same user (by issuer and subject), not a new one.
    const again = await oidcSignIn('coord-1', { accept: 'application/json' });
    expect(again.callback.statusCode, again.callback.body).toBe(200);
    expect(again.callback.json().user.id).toBe(me.json().user.id);
    expect(again.callback.json().session.token).toBeTruthy();

    // The audit log has the sign-ins, marked as OIDC, and no code or token.
    const events = await t.database.kysely
      .selectFrom('audit_event')
      .selectAll()
      .where('entity', '=', 'auth_session')
      .where('action', '=', 'login')
      .execute();
    expect(events).toHaveLength(2);
    expect(
      JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ).toContain('"method":"oidc"');
  });

  it('a callback is used once, and only by the browser that started it', async () => {
    const { back, state } = await oidcSignIn('coord-1');
    const replay = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { purl_oidc_state: state },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toMatchObject({
      code: 'OIDC_LOGIN_FAILED',
      details: { reason: 'attempt_unknown' },
    });

    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    const url = start.headers.location as string;
    const returned = await signInAtProvider(url, 'coord-1');
    const noCookie = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${returned.search}`,
    });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().error.details.reason).toBe('state_mismatch');
  });

  it('refuses a user without a usable role claim, and audits it', async () => {
    for (const [login, reason] of [
      ['norole-1', 'role_missing'],
      ['badrole-1', 'role_unknown'],
      ['noparty-1', 'party_missing'],
    ] as const) {
      const { callback } = await oidcSignIn(login);
      expect(callback.statusCode, callback.body).toBe(403);
      expect(callback.json().error).toMatchObject({
        code: 'OIDC_CLAIMS_REFUSED',
        details: { reason },
      });
      expect(cookieOf(callback.headers['set-cookie'], 'purl_session')).toBeUndefined();
    }
    const users = await t.database.kysely
      .selectFrom('app_user')
      .select('email')
      .where('email', '=', 'norole@ministry.example')
      .execute();
    expect(users).toEqual([]);
    const failures = await t.database.kysely
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'login_failed')
      .execute();
    expect(
      JSON.stringify(failures, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ).toContain('"reason":"role_missing"');
  });

  it('a contributor signed in for NLD cannot write DEU’s contribution', async () => {
    const deu = await app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: { 'x-purl-actor': 'contributor:DEU' },
      payload: {
        donorPartyId: 'DEU',
        currency: 'EUR',
        amountMinor: '500000',
        announcedOn: '2025-08-04',
        title: 'DEU (synthetic)',
      },
    });
    expect(deu.statusCode, deu.body).toBe(201);

    const { callback } = await oidcSignIn('nld-1');
    expect(callback.statusCode, callback.body).toBe(302);
    const session = cookieOf(callback.headers['set-cookie'], 'purl_session')!;
    const asNld = (url: string, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        cookies: { purl_session: session },
        headers: { 'x-csrf-token': csrfTokenFor(session) },
        payload,
      });
    const commit = await asNld(`/contributions/${deu.json().id}/commit`, {
      committedOn: '2025-08-05',
    });
    expect(commit.statusCode, commit.body).toBe(403);
    const forDeu = await asNld('/contributions', {
      donorPartyId: 'DEU',
      currency: 'EUR',
      amountMinor: '100',
      announcedOn: '2025-08-05',
      title: 'not mine',
    });
    expect(forDeu.statusCode, forDeu.body).toBe(403);
    const own = await asNld('/contributions', {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '100',
      announcedOn: '2025-08-05',
      title: 'mine',
    });
    expect(own.statusCode, own.body).toBe(201);
  });
});
