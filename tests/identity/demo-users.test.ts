/**
 * The demo users: one per role and three contributors, all with the demo password, created
 * idempotently (a second load creates nothing and writes no audit event).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import {
  DEMO_ACTOR,
  DEMO_PASSWORD_DEFAULT,
  DEMO_USERS,
  demoPassword,
} from '../../src/services/demo-service.js';
import { createMissingUsers } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('demo users on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('lists the users of the issue, with the default password', () => {
    expect(DEMO_USERS.map((u) => `${u.email} ${u.role} ${u.partyId ?? '-'}`)).toEqual([
      'coordinator@demo.purl coordinator -',
      'recipient@demo.purl recipient -',
      'validator@demo.purl validator -',
      'supplier@demo.purl supplier -',
      'auditor@demo.purl auditor -',
      'admin@demo.purl admin -',
      'nld@demo.purl contributor NLD',
      'deu@demo.purl contributor DEU',
      'nor@demo.purl contributor NOR',
    ]);
    if (!process.env.PURL_DEMO_PASSWORD) expect(demoPassword()).toBe('purl-demo-2025');
  });

  it('creates them once; each signs in with the demo password and acts as its role', async () => {
    const created = await createMissingUsers(
      t.database,
      DEMO_ACTOR,
      DEMO_USERS,
      DEMO_PASSWORD_DEFAULT,
    );
    expect(created).toHaveLength(DEMO_USERS.length);
    const events = (await verifyAudit(t.database, DEMO_ACTOR)).events;
    expect(
      await createMissingUsers(t.database, DEMO_ACTOR, DEMO_USERS, DEMO_PASSWORD_DEFAULT),
    ).toEqual([]);
    expect((await verifyAudit(t.database, DEMO_ACTOR)).events).toBe(events);

    for (const user of DEMO_USERS) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: DEMO_PASSWORD_DEFAULT },
      });
      expect(login.statusCode, user.email).toBe(200);
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${login.json().session.token}` },
      });
      expect(me.json()).toMatchObject({ role: user.role, partyId: user.partyId });
    }
  });
});
