/**
 * Signing in on both engines, through an app built WITHOUT development actors: login → cookie
 * and bearer, one answer for wrong password and unknown email, logout, idle and absolute expiry
 * (on a clock the test moves), session list and revoke, API tokens (shown once, hashed, revoked,
 * expired, party-bound), disabled users, and the audit log of it all without any password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { csrfTokenFor } from '../../src/http/security.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { createUser, disableUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const admin = systemActor('test');
const PASSWORD = 'a long enough passphrase';
const MINUTE = 60_000;

describe.each(ENGINES)('sign-in on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let clock = new Date('2026-01-10T08:00:00Z');
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  type Auth = { cookie?: string; bearer?: string };
  // With the cookie, send its CSRF token as a browser client does (tests/security checks without).
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, auth: Auth = {}, body?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth.bearer
        ? { authorization: `Bearer ${auth.bearer}` }
        : auth.cookie
          ? { 'x-csrf-token': csrfTokenFor(auth.cookie) }
          : {},
      ...(auth.cookie ? { cookies: { purl_session: auth.cookie } } : {}),
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  const login = (email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      headers,
    });

  /** Signs in and returns the cookie value (also the bearer token). */
  const signIn = async (email: string): Promise<string> => {
    const response = await login(email);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().session.token as string;
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, now: () => clock });
    for (const [email, role, partyId] of [
      ['coordinator@test.purl', 'coordinator', null],
      ['Nld@Test.Purl', 'contributor', 'NLD'],
      ['auditor@test.purl', 'auditor', null],
      ['gone@test.purl', 'supplier', null],
    ] as const) {
      await createUser(t.database, admin, { email, role, partyId, password: PASSWORD });
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('logs in: the cookie and the same session as bearer both authenticate', async () => {
    expect((await call('GET', '/contributions')).statusCode).toBe(401);
    const response = await login('COORDINATOR@test.purl', PASSWORD, {
      'user-agent': 'vitest-browser',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({
      email: 'coordinator@test.purl',
      role: 'coordinator',
      partyId: null,
    });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(new Date(body.session.expiresAt).getTime()).toBe(clock.getTime() + 12 * 60 * MINUTE);
    const cookie = response.cookies.find((c) => c.name === 'purl_session');
    expect(cookie).toMatchObject({ value: body.session.token, httpOnly: true, path: '/' });
    expect(cookie?.sameSite).toBe('Strict');
    expect(cookie?.secure).toBeFalsy(); // plain http, no trusted proxy
    expect(String(response.headers['set-cookie'])).toMatch(/HttpOnly/);

    expect((await call('GET', '/contributions', { cookie: cookie!.value })).statusCode).toBe(200);
    expect((await call('GET', '/contributions', { bearer: body.session.token })).statusCode).toBe(
      200,
    );
    const me = await call('GET', '/auth/me', { cookie: cookie!.value });
    expect(me.json()).toMatchObject({
      user: { email: 'coordinator@test.purl' },
      authenticatedBy: 'session',
      role: 'coordinator',
    });
  });

  it('marks the cookie Secure behind a trusted proxy when the client used https', async () => {
    const proxied = await buildApp({ database: t.database, trustProxy: true, now: () => clock });
    try {
      const response = await proxied.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'coordinator@test.purl', password: PASSWORD },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === 'purl_session')?.secure).toBe(true);
      const sessions = await proxied.inject({
        method: 'GET',
        url: '/api/v1/auth/sessions',
        headers: { authorization: `Bearer ${response.json().session.token}` },
      });
      expect(sessions.json().items[0]).toMatchObject({ current: true, ip: '203.0.113.9' });
    } finally {
      await proxied.close();
    }
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await login('coordinator@test.purl', 'not the password at all');
    const unknown = await login('nobody@test.purl', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: { error: { details: Record<string, unknown> } }) => ({
      ...body,
      error: { ...body.error, details: { ...body.error.details, requestId: undefined } },
    });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Wrong email or password.',
    });
    expect(wrong.cookies).toEqual([]);
  });

  it('logout revokes the session and clears the cookie', async () => {
    const token = await signIn('coordinator@test.purl');
    const out = await call('POST', '/auth/logout', { cookie: token });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ revoked: true });
    const cleared = out.cookies.find((c) => c.name === 'purl_session');
    expect(cleared?.value).toBe('');
    expect((await call('GET', '/contributions', { cookie: token })).statusCode).toBe(401);
    expect((await call('GET', '/contributions', { bearer: token })).statusCode).toBe(401);
    // A stale cookie does not stand in the way of signing in again.
    expect((await login('coordinator@test.purl')).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes, and slides with use', async () => {
    const token = await signIn('coordinator@test.purl');
    advance(20 * MINUTE);
    expect((await call('GET', '/contributions', { cookie: token })).statusCode).toBe(200);
    advance(25 * MINUTE); // 45 min after sign-in, 25 after the last use
    expect((await call('GET', '/contributions', { cookie: token })).statusCode).toBe(200);
    advance(30 * MINUTE);
    const idle = await call('GET', '/contributions', { cookie: token });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session 12 hours after sign-in however active', async () => {
    const token = await signIn('coordinator@test.purl');
    for (let i = 0; i < 24; i++) {
      advance(29 * MINUTE);
      expect((await call('GET', '/auth/me', { bearer: token })).statusCode).toBe(200);
    }
    advance(12 * MINUTE); // 24 × 29 + 12 = 708 min: still inside 12 h
    expect((await call('GET', '/auth/me', { bearer: token })).statusCode).toBe(200);
    advance(12 * MINUTE); // 720 min
    expect((await call('GET', '/auth/me', { bearer: token })).statusCode).toBe(401);
  });

  it('lists my sessions and revokes another of mine, not someone else’s', async () => {
    const laptop = await signIn('auditor@test.purl');
    const phone = await signIn('auditor@test.purl');
    const list = await call('GET', '/auth/sessions', { cookie: laptop });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; current: boolean; state: string }[];
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.every((s) => s.state === 'active')).toBe(true);
    expect(JSON.stringify(list.json())).not.toContain(laptop);
    const phoneId = items.find((s) => !s.current)!.id;

    // Someone else cannot revoke it.
    const other = await signIn('coordinator@test.purl');
    const foreign = await call('DELETE', `/auth/sessions/${phoneId}`, { cookie: other });
    expect(foreign.statusCode).toBe(404);
    expect((await call('GET', '/auth/me', { cookie: phone })).statusCode).toBe(200);

    const revoked = await call('DELETE', `/auth/sessions/${phoneId}`, { cookie: laptop });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().state).toBe('revoked');
    expect((await call('GET', '/auth/me', { cookie: phone })).statusCode).toBe(401);
    expect((await call('GET', '/auth/me', { cookie: laptop })).statusCode).toBe(200);
  });

  it('API tokens: shown once, bearer works, never listed with the secret, revoked → 401', async () => {
    const session = await signIn('auditor@test.purl');
    const created = await call(
      'POST',
      '/auth/tokens',
      { cookie: session },
      { name: 'nightly export', expiresInDays: 30 },
    );
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json();
    expect(secret).toMatch(/^purl_tok_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'nightly export', role: 'auditor', state: 'active' });

    expect((await call('GET', '/contributions', { bearer: secret })).statusCode).toBe(200);
    const me = await call('GET', '/auth/me', { bearer: secret });
    expect(me.json()).toMatchObject({ authenticatedBy: 'api_token', role: 'auditor' });
    // What the token may do, derived from the policy table: an auditor reads, never writes.
    expect(me.json().operations).toContain('audit.read');
    expect(me.json().operations).not.toContain('contributions.write');
    // A token is not a cookie.
    expect((await call('GET', '/contributions', { cookie: secret })).statusCode).toBe(200);

    const listed = await call('GET', '/auth/tokens', { cookie: session });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(token.id);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain(secret.slice('purl_tok_'.length));

    // A token cannot mint tokens, and no other role can be asked for.
    const minted = await call(
      'POST',
      '/auth/tokens',
      { bearer: secret },
      { name: 'x', expiresInDays: 1 },
    );
    expect(minted.statusCode).toBe(403);
    const otherRole = await call(
      'POST',
      '/auth/tokens',
      { cookie: session },
      { name: 'x', expiresInDays: 1, role: 'coordinator' },
    );
    expect(otherRole.statusCode).toBe(403);
    expect(otherRole.json().error.details.field).toBe('role');

    const revoked = await call('DELETE', `/auth/tokens/${token.id}`, { cookie: session });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().state).toBe('revoked');
    expect((await call('GET', '/contributions', { bearer: secret })).statusCode).toBe(401);
  });

  it('an expired token is refused', async () => {
    const session = await signIn('auditor@test.purl');
    const { secret } = (
      await call('POST', '/auth/tokens', { cookie: session }, { name: 'short', expiresInDays: 1 })
    ).json();
    expect((await call('GET', '/contributions', { bearer: secret })).statusCode).toBe(200);
    advance(24 * 60 * MINUTE);
    expect((await call('GET', '/contributions', { bearer: secret })).statusCode).toBe(401);
    const invalid = await call(
      'POST',
      '/auth/tokens',
      { bearer: await signIn('auditor@test.purl') },
      { name: 'long', expiresInDays: 366 },
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details.field).toBe('body.expiresInDays');
  });

  it("a contributor's token carries its party: its own pledge passes, another party's is 403", async () => {
    const session = await signIn('nld@test.purl');
    const { secret, token } = (
      await call(
        'POST',
        '/auth/tokens',
        { cookie: session },
        { name: 'ministry', expiresInDays: 7 },
      )
    ).json();
    expect(token).toMatchObject({ role: 'contributor', partyId: 'NLD' });
    const pledge = (donorPartyId: string) =>
      call(
        'POST',
        '/contributions',
        { bearer: secret },
        {
          donorPartyId,
          currency: 'EUR',
          amountMinor: '1000000',
          announcedOn: '2025-08-04',
          title: `pledge of ${donorPartyId}`,
        },
      );
    expect((await pledge('NLD')).statusCode).toBe(201);
    const foreign = await pledge('DEU');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('FORBIDDEN');
  });

  it('a disabled user cannot sign in, and its sessions and tokens stop working', async () => {
    const session = await signIn('gone@test.purl');
    const { secret } = (
      await call('POST', '/auth/tokens', { cookie: session }, { name: 'ci', expiresInDays: 7 })
    ).json();
    await disableUser(t.database, admin, 'GONE@test.purl');
    const refused = await login('gone@test.purl');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('Wrong email or password.');
    expect((await call('GET', '/auth/me', { cookie: session })).statusCode).toBe(401);
    expect((await call('GET', '/auth/me', { bearer: secret })).statusCode).toBe(401);
  });

  it('names the field the password policy refuses', async () => {
    const attempt = (password: string) =>
      createUser(t.database, admin, { email: 'new@test.purl', role: 'admin', password });
    await expect(attempt('short')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'password', reason: 'too_short' },
    });
    await expect(attempt('new@test.purl')).rejects.toMatchObject({
      details: { field: 'password', reason: 'is_email' },
    });
    await expect(attempt('password1234')).rejects.toMatchObject({
      details: { field: 'password', reason: 'common' },
    });
    await expect(
      createUser(t.database, admin, {
        email: 'COORDINATOR@test.purl',
        role: 'admin',
        password: PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'DUPLICATE', details: { field: 'email' } });
  });

  it('audits login success and failure, and no password appears in any audit row', async () => {
    const rows = await t.database.kysely
      .selectFrom('audit_event')
      .select(['actor', 'role', 'entity', 'action', 'after'])
      .where('entity', 'in', ['auth_session', 'api_token', 'user'])
      .execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['login', 'login_failed', 'logout', 'revoke', 'create', 'disable']) {
      expect(actions, action).toContain(action);
    }
    const failed = rows.find(
      (r) =>
        r.action === 'login_failed' && (r.after as { email: string }).email === 'nobody@test.purl',
    );
    expect(failed).toMatchObject({ role: 'system', after: { reason: 'unknown_email' } });
    expect(failed?.actor).toMatch(/^anonymous:/);
    const success = rows.find((r) => r.action === 'login');
    expect(success?.actor).toMatch(/^user:\d+$/);

    const everything = await t.database.kysely.selectFrom('audit_event').selectAll().execute();
    const text = JSON.stringify(everything, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('not the password at all');
    expect(text).not.toContain('$argon2id$');
    expect((await verifyAudit(t.database, admin)).ok).toBe(true);
  });
});
