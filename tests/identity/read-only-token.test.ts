/**
 * A token with fewer rights than its user: `readOnly` limits it to operations that change
 * nothing, enforced in the services (the route check and the service check both refuse).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { READ_OPERATIONS, authorize } from '../../src/core/policy.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createContribution } from '../../src/services/contributions-service.js';
import { createUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const PASSWORD = 'a long enough passphrase 42';

describe.each(ENGINES)('read-only API tokens on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database });
    await createUser(t.database, systemActor('test'), {
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

  it('reads with a read-only token, and every write is refused', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nld@test.purl', password: PASSWORD },
    });
    const session = login.json().session.token as string;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { authorization: `Bearer ${session}` },
      payload: { name: 'reporting', expiresInDays: 30, readOnly: true },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().token).toMatchObject({
      readOnly: true,
      role: 'contributor',
      partyId: 'NLD',
    });
    const token = created.json().secret as string;
    const auth = { authorization: `Bearer ${token}` };

    expect((await app.inject({ url: '/api/v1/contributions', headers: auth })).statusCode).toBe(
      200,
    );
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: auth,
      payload: {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: '100',
        announcedOn: '2025-08-04',
        title: 'from a read-only token',
      },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error).toMatchObject({ code: 'FORBIDDEN', details: { readOnly: true } });
    // The same user with its full session may write.
    const full = await app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: { authorization: `Bearer ${session}` },
      payload: {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: '100',
        announcedOn: '2025-08-04',
        title: 'from the session',
      },
    });
    expect(full.statusCode).toBe(201);
  });

  it('the services refuse too, not only the route check', async () => {
    const actor = { id: 'user:1/token:1', role: 'coordinator' as const, readOnly: true };
    await expect(
      createContribution(t.database, actor, {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: 1n,
        announcedOn: '2025-08-04',
        title: 'x',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(() => authorize(actor, 'packages.read')).not.toThrow();
    expect(READ_OPERATIONS.has('packages.write')).toBe(false);
    expect(READ_OPERATIONS.has('ledger.verify')).toBe(true);
  });
});
