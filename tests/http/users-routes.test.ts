/**
 * Users through the API on both engines (`/api/v1/users`): create with the password policy and
 * the contributor's party rule, list with filters and cursor paging, edit under If-Match,
 * disable (sessions and tokens revoked) and enable, the admin who may not disable or demote
 * itself, every change audited, and every other role refused with 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { listAuditEvents } from '../../src/services/audit-service.js';
import { createUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const PASSWORD = 'a long enough passphrase';
const system = systemActor('test');

describe.each(ENGINES)('users API on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let adminToken: string;
  let adminId: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    who: { actor?: string; bearer?: string } | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        ...(who?.actor ? { 'x-purl-actor': who.actor } : {}),
        ...(who?.bearer ? { authorization: `Bearer ${who.bearer}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  const asAdmin = () => ({ bearer: adminToken });

  const login = async (email: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().session.token as string;
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    const admin = await createUser(t.database, system, {
      email: 'admin@test.purl',
      role: 'admin',
      password: PASSWORD,
    });
    adminId = String(admin.id);
    adminToken = await login('admin@test.purl');
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('creates users: the contributor with its party, refusals naming their field', async () => {
    const created = await call('POST', '/users', asAdmin(), {
      email: 'Alice@Test.Purl',
      displayName: 'Alice Martin',
      role: 'contributor',
      partyId: 'NLD',
      password: PASSWORD,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({
      email: 'alice@test.purl',
      displayName: 'Alice Martin',
      role: 'contributor',
      partyId: 'NLD',
      disabled: false,
      version: 1,
    });
    expect(created.body).not.toContain('password');

    const refusals: [Record<string, unknown>, number, string, string][] = [
      [{ email: 'ALICE@test.purl' }, 409, 'DUPLICATE', 'email'],
      [{ email: 'not-an-email' }, 400, 'VALIDATION_FAILED', 'email'],
      [{ password: 'short' }, 400, 'VALIDATION_FAILED', 'password'],
      [{ password: 'passwordpassword' }, 400, 'VALIDATION_FAILED', 'password'],
      [{ role: 'contributor', partyId: null }, 400, 'VALIDATION_FAILED', 'partyId'],
      [{ role: 'coordinator', partyId: 'NLD' }, 400, 'VALIDATION_FAILED', 'partyId'],
      [{ role: 'contributor', partyId: 'ZZZ' }, 404, 'NOT_FOUND', 'partyId'],
      [{ role: 'system' }, 400, 'VALIDATION_FAILED', 'body.role'],
    ];
    for (const [override, status, code, field] of refusals) {
      const response = await call('POST', '/users', asAdmin(), {
        email: 'bob@test.purl',
        role: 'coordinator',
        password: PASSWORD,
        ...override,
      });
      expect(response.statusCode, JSON.stringify(override)).toBe(status);
      expect(response.json().error).toMatchObject({ code, details: { field } });
    }
  });

  it('lists users in email order, filtered by role, party, status and search, a page at a time', async () => {
    for (const [email, role, partyId] of [
      ['carol@test.purl', 'coordinator', null],
      ['dan@test.purl', 'auditor', null],
      ['erin@test.purl', 'contributor', 'DEU'],
      ['frank@test.purl', 'supplier', null],
    ] as const) {
      const response = await call('POST', '/users', asAdmin(), {
        email,
        role,
        partyId,
        password: PASSWORD,
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const emails = (body: { items: { email: string }[] }) => body.items.map((u) => u.email);
    const all = await call('GET', '/users', asAdmin());
    expect(emails(all.json())).toEqual([
      'admin@test.purl',
      'alice@test.purl',
      'carol@test.purl',
      'dan@test.purl',
      'erin@test.purl',
      'frank@test.purl',
    ]);
    expect(emails((await call('GET', '/users?role=contributor', asAdmin())).json())).toEqual([
      'alice@test.purl',
      'erin@test.purl',
    ]);
    expect(emails((await call('GET', '/users?partyId=DEU', asAdmin())).json())).toEqual([
      'erin@test.purl',
    ]);
    expect(emails((await call('GET', '/users?search=RIN', asAdmin())).json())).toEqual([
      'erin@test.purl',
    ]);
    // Paging: 4 + 2, no row twice, none missed.
    const first = (await call('GET', '/users?limit=4', asAdmin())).json();
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await call('GET', `/users?limit=4&cursor=${first.nextCursor}`, asAdmin())
    ).json();
    expect([...emails(first), ...emails(second)]).toEqual(emails(all.json()));
    expect(second.nextCursor).toBeNull();
    const bad = await call('GET', '/users?cursor=nonsense', asAdmin());
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('cursor');
    const wrongStatus = await call('GET', '/users?status=gone', asAdmin());
    expect(wrongStatus.statusCode).toBe(400);
  });

  it('edits a user under If-Match: role change drops the party; a stale version is 412', async () => {
    const alice = (await call('GET', '/users?search=alice', asAdmin())).json().items[0];
    const stale = await call(
      'PATCH',
      `/users/${alice.id}`,
      asAdmin(),
      { displayName: 'Alice M.' },
      { 'if-match': '"9"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('PRECONDITION_FAILED');

    const changed = await call(
      'PATCH',
      `/users/${alice.id}`,
      asAdmin(),
      { displayName: 'Alice M.', role: 'validator' },
      { 'if-match': `"${alice.version}"` },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      displayName: 'Alice M.',
      role: 'validator',
      partyId: null,
      version: alice.version + 1,
    });
    expect(changed.headers.etag).toBe(`"${alice.version + 1}"`);

    const needsParty = await call('PATCH', `/users/${alice.id}`, asAdmin(), {
      role: 'contributor',
    });
    expect(needsParty.statusCode).toBe(400);
    expect(needsParty.json().error.details.field).toBe('partyId');
    const unknown = await call('PATCH', '/users/999999', asAdmin(), { displayName: 'x' });
    expect(unknown.statusCode).toBe(404);
    const extra = await call('PATCH', `/users/${alice.id}`, asAdmin(), { email: 'x@y.z' });
    expect(extra.statusCode).toBe(400);
  });

  it('disables a user: its sessions end and its tokens are revoked; enabling lets it sign in again', async () => {
    const frankSession = await login('frank@test.purl');
    const tokenResponse = await call(
      'POST',
      '/auth/tokens',
      { bearer: frankSession },
      { name: 'reporting', expiresInDays: 30 },
    );
    expect(tokenResponse.statusCode, tokenResponse.body).toBe(201);
    const frankToken = tokenResponse.json().secret as string;
    expect((await call('GET', '/auth/me', { bearer: frankToken })).statusCode).toBe(200);

    const frank = (await call('GET', '/users?search=frank', asAdmin())).json().items[0];
    const disabled = await call('PATCH', `/users/${frank.id}`, asAdmin(), { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await call('GET', '/auth/me', { bearer: frankSession })).statusCode).toBe(401);
    expect((await call('GET', '/auth/me', { bearer: frankToken })).statusCode).toBe(401);
    expect(
      (await call('GET', '/users?status=disabled', asAdmin()))
        .json()
        .items.map((u: { email: string }) => u.email),
    ).toEqual(['frank@test.purl']);

    const enabled = await call('PATCH', `/users/${frank.id}`, asAdmin(), { disabled: false });
    expect(enabled.json().disabled).toBe(false);
    // Enabling restores neither the session nor the token: a fresh sign-in works.
    expect((await call('GET', '/auth/me', { bearer: frankSession })).statusCode).toBe(401);
    expect((await call('GET', '/auth/me', { bearer: frankToken })).statusCode).toBe(401);
    const again = await login('frank@test.purl');
    expect((await call('GET', '/auth/me', { bearer: again })).statusCode).toBe(200);

    // Each change is one audit event of the user, with before and after.
    const events = await listAuditEvents(t.database, system, {
      entity: 'user',
      entityId: String(frank.id),
    });
    expect(events.items.map((e) => e.action)).toEqual(['enable', 'disable', 'create']);
    expect(events.items[1]!.after).toMatchObject({
      disabled: true,
      sessionsRevoked: 1,
      tokensRevoked: 1,
    });
    expect(events.items[1]!.actor).toMatchObject({
      id: `user:${adminId}`,
      role: 'admin',
      email: 'admin@test.purl',
    });
  });

  it('an admin may not disable or demote itself: 403 naming the field, nothing changed', async () => {
    const self = await call('PATCH', `/users/${adminId}`, asAdmin(), { disabled: true });
    expect(self.statusCode).toBe(403);
    expect(self.json().error).toMatchObject({ code: 'FORBIDDEN', details: { field: 'disabled' } });
    const demote = await call('PATCH', `/users/${adminId}`, asAdmin(), { role: 'auditor' });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().error.details.field).toBe('role');
    const renamed = await call('PATCH', `/users/${adminId}`, asAdmin(), {
      displayName: 'The administrator',
    });
    expect(renamed.statusCode).toBe(200);
    const me = (await call('GET', `/users/${adminId}`, asAdmin())).json();
    expect(me).toMatchObject({ role: 'admin', disabled: false, displayName: 'The administrator' });
  });

  it('refuses every other role with 403, and anonymous with 401', async () => {
    for (const actor of ['coordinator', 'auditor', 'contributor:NLD', 'supplier']) {
      for (const [method, url, body] of [
        ['GET', '/users', undefined],
        ['POST', '/users', { email: 'x@test.purl', role: 'admin', password: PASSWORD }],
        ['GET', `/users/${adminId}`, undefined],
        ['PATCH', `/users/${adminId}`, { disabled: true }],
      ] as const) {
        const response = await call(method, url, { actor }, body);
        expect(response.statusCode, `${actor} ${method} ${url}`).toBe(403);
        expect(response.json().error.code).toBe('FORBIDDEN');
      }
    }
    expect((await call('GET', '/users', null)).statusCode).toBe(401);
  });
});
