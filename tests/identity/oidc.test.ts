/**
 * OpenID Connect sign-in end to end, on both engines, against a real OpenID provider
 * (`oidc-provider`) listening on a loopback port inside the test. The browser is played by plain
 * HTTP requests with cookies carried by hand: the app's login redirect → the provider's login
 * and consent pages (its devInteractions) → the app's callback (driven with `inject`: the
 * provider never reaches the app, the app reaches the provider for discovery, token and
 * UserInfo). The provider's accounts carry `purl_role` / `purl_party` claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { csrfTokenFor } from '../../src/http/security.js';
import { oidcOptionsFromEnv, safeReturnPath } from '../../src/services/oidc-service.js';
import { safeReturnTo } from '../../src/web/src/app/return-path.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { startOidcProvider, type OidcTestProvider } from '../support/oidc-provider.js';

const REDIRECT_URI = 'https://ledger.example/api/v1/auth/oidc/callback';

/** Return paths a sign-in must not keep: other sites, tricks that browsers read as one. */
const HOSTILE_RETURNS = [
  '//evil.example',
  'https://evil.example',
  '/\\evil',
  '/\t/evil.example',
  '\\\\evil.example',
  'javascript:alert(1)',
  '/api/v1/auth/me',
  '/sign-in?returnTo=/packages',
];

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
async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  { denyConsent = false } = {},
): Promise<URL> {
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
    const abort = /href="([^"]*\/abort)"/.exec(html)?.[1];
    if (denyConsent && !html.includes('name="login"') && abort) {
      url = new URL(abort, url);
      method = 'GET';
      body = undefined;
      continue;
    }
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
  let provider: OidcTestProvider;

  beforeAll(async () => {
    provider = await startOidcProvider([REDIRECT_URI]);
    t = await openTestDatabase(engine);
    app = await buildApp({
      database: t.database,
      // Only to create DEU's contribution as DEU; every OIDC request carries no such header.
      devActors: true,
      oidc: provider.options(REDIRECT_URI),
      // Every sign-in here comes from one address: more than sign-in's limit by address.
      rateLimits: { loginPerAddress: { max: 1000, windowMs: 300_000 } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await provider?.close();
  });

  /** Login redirect → provider → callback; returns the callback's answer. */
  async function oidcSignIn(
    login: string,
    headers: Record<string, string> = {},
    returnTo?: string,
    { denyConsent = false } = {},
  ) {
    const start = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/login',
      ...(returnTo === undefined ? {} : { query: { returnTo } }),
    });
    expect(start.statusCode, start.body).toBe(302);
    const authorizationUrl = start.headers.location as string;
    expect(authorizationUrl.startsWith(`${provider.issuer}/`)).toBe(true);
    const params = new URL(authorizationUrl).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('nonce')).toBeTruthy();
    const state = cookieOf(start.headers['set-cookie'], 'purl_oidc_state');
    // The cookie starts with the state; the return path never goes to the provider.
    expect(state?.split('.')[0]).toBe(params.get('state'));
    if (returnTo && returnTo !== '/') {
      expect(authorizationUrl).not.toContain(encodeURIComponent(returnTo));
    }
    const back = await signInAtProvider(authorizationUrl, login, { denyConsent });
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
      headers: { accept: 'application/json' },
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
      headers: { accept: 'application/json' },
    });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().error.details.reason).toBe('state_mismatch');

    // A browser is sent back to the sign-in page, which says to start again.
    const inBrowser = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { purl_oidc_state: state },
      headers: { accept: 'text/html' },
    });
    expect(inBrowser.statusCode).toBe(302);
    expect(inBrowser.headers.location).toBe('/sign-in?oidcError=attempt_unknown');
  });

  it('refuses a user without a usable role claim, and audits it', async () => {
    for (const [login, reason] of [
      ['norole-1', 'role_missing'],
      ['badrole-1', 'role_unknown'],
      ['noparty-1', 'party_missing'],
    ] as const) {
      const { callback } = await oidcSignIn(login, { accept: 'application/json' });
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

  it('ends on the page the browser asked for: the return path survives the provider', async () => {
    const { callback } = await oidcSignIn('coord-1', {}, '/packages/3?tab=deliveries#top');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/packages/3?tab=deliveries#top');
    expect(cookieOf(callback.headers['set-cookie'], 'purl_session')).toBeTruthy();
    // The sign-in cookie is cleared once used.
    const cleared = ([] as string[])
      .concat(callback.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('purl_oidc_state='));
    expect(cleared).toMatch(/^purl_oidc_state=;/);

    // Without a return path, or with `/`: the start page.
    for (const returnTo of [undefined, '/']) {
      const plain = await oidcSignIn('coord-1', {}, returnTo);
      expect(plain.callback.headers.location).toBe('/');
    }
  });

  it('never sends the browser to another site: a hostile return path ends on /', async () => {
    for (const returnTo of HOSTILE_RETURNS) {
      const { callback, state } = await oidcSignIn('coord-1', {}, returnTo);
      expect(callback.statusCode, `${returnTo}: ${callback.body}`).toBe(302);
      expect(callback.headers.location, returnTo).toBe('/');
      expect(state, returnTo).not.toContain('.'); // nothing kept to return to
    }
  });

  it('a return path changed in the browser’s cookie matches no sign-in', async () => {
    const start = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/login',
      query: { returnTo: '/packages' },
    });
    const state = cookieOf(start.headers['set-cookie'], 'purl_oidc_state')!;
    expect(state).toContain('.');
    const back = await signInAtProvider(start.headers.location as string, 'coord-1');
    const forged = `${state.split('.')[0]}.${Buffer.from('/admin').toString('base64url')}`;
    const callback = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { purl_oidc_state: forged },
      headers: { accept: 'application/json' },
    });
    expect(callback.statusCode, callback.body).toBe(400);
    expect(callback.json().error.details.reason).toBe('attempt_unknown');
    // A hostile path forged into the cookie is not even used for the way back to sign-in.
    const hostile = await app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: {
        purl_oidc_state: `${state.split('.')[0]}.${Buffer.from('//evil.example').toString('base64url')}`,
      },
    });
    expect(hostile.statusCode).toBe(302);
    expect(hostile.headers.location).toBe('/sign-in?oidcError=attempt_unknown');
  });

  it('a refused sign-in sends the browser back to sign-in, saying why, keeping the page', async () => {
    const noRole = await oidcSignIn('norole-1', { accept: 'text/html' }, '/packages');
    expect(noRole.callback.statusCode, noRole.callback.body).toBe(302);
    expect(noRole.callback.headers.location).toBe(
      '/sign-in?returnTo=%2Fpackages&oidcError=role_missing',
    );
    expect(cookieOf(noRole.callback.headers['set-cookie'], 'purl_session')).toBeUndefined();

    // The user declines at the provider's consent page: the provider answers access_denied.
    const denied = await oidcSignIn('coord-1', {}, '/packages/3', { denyConsent: true });
    expect(denied.back.searchParams.get('error')).toBe('access_denied');
    expect(denied.callback.statusCode, denied.callback.body).toBe(302);
    expect(denied.callback.headers.location).toBe(
      '/sign-in?returnTo=%2Fpackages%2F3&oidcError=provider_access_denied',
    );
    const asJson = await oidcSignIn('coord-1', { accept: 'application/json' }, undefined, {
      denyConsent: true,
    });
    expect(asJson.callback.statusCode).toBe(400);
    expect(asJson.callback.json().error).toMatchObject({
      code: 'OIDC_LOGIN_FAILED',
      details: { reason: 'provider_access_denied' },
    });
  });

  it('a provider out of reach sends the browser back to sign-in with what to do', async () => {
    const offline = await buildApp({
      database: t.database,
      oidc: { ...provider.options(REDIRECT_URI), issuer: 'http://127.0.0.1:9' },
    });
    try {
      const browser = await offline.inject({
        method: 'GET',
        url: '/api/v1/auth/oidc/login',
        query: { returnTo: '/packages' },
      });
      expect(browser.statusCode, browser.body).toBe(302);
      expect(browser.headers.location).toBe('/sign-in?returnTo=%2Fpackages&oidcError=unavailable');
      const script = await offline.inject({
        method: 'GET',
        url: '/api/v1/auth/oidc/login',
        headers: { accept: 'application/json' },
      });
      expect(script.statusCode).toBe(503);
      expect(script.json().error.code).toBe('OIDC_PROVIDER_UNAVAILABLE');
    } finally {
      await offline.close();
    }
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

describe('the return path rule', () => {
  it('is the same on the server and in the web app', () => {
    const kept = ['/', '/packages/3', '/analysis/drill?figure=funnel.paid', '/sign-in-help'];
    for (const value of kept) {
      expect(safeReturnPath(value), value).toBe(value);
      expect(safeReturnTo(value), value).toBe(value);
    }
    for (const value of [...HOSTILE_RETURNS, '', '/sign-in', '/x\\y', `/${'a'.repeat(1000)}`]) {
      expect(safeReturnPath(value), value).toBeUndefined();
      expect(safeReturnTo(value), value).toBeUndefined();
    }
  });
});

describe('OIDC options from the environment', () => {
  it('reads the provider’s name for the sign-in button, when given', () => {
    const env = {
      PURL_OIDC_ISSUER: 'https://id.ministry.example',
      PURL_OIDC_CLIENT_ID: 'purl',
      PURL_OIDC_CLIENT_SECRET: 'secret',
      PURL_OIDC_REDIRECT_URI: 'https://ledger.example/api/v1/auth/oidc/callback',
    };
    expect(oidcOptionsFromEnv(env)?.displayName).toBeUndefined();
    expect(oidcOptionsFromEnv({ ...env, PURL_OIDC_NAME: ' MinID ' })?.displayName).toBe('MinID');
  });
});
