/**
 * The audit log through the API on both engines (`/api/v1/audit`): events newest first with
 * their actor, payload and hashes; filters by action, entity, actor (id or email) and day;
 * cursor paging; a long payload left out of the list but whole in the event; the verification
 * (audit chain and ledger) ok, then broken after a tamper in SQL naming the first broken event;
 * and the roles refused (403) — the admin may verify but not read the log.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { recordAudit } from '../../src/services/audit-service.js';
import { createUser } from '../../src/services/identity-service.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const PASSWORD = 'a long enough passphrase';
const system = systemActor('test');

interface EventJson {
  id: string;
  at: string;
  action: string;
  entity: string;
  entityId: string | null;
  actor: { id: string; role: string; email: string | null; userId: string | null };
  summary: string;
  payloadTruncated: boolean;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

describe.each(ENGINES)('audit API on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let adminToken: string;
  let carolId: string;

  const get = (
    url: string,
    who: { actor?: string; bearer?: string } | null = { actor: 'auditor' },
  ) =>
    app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: {
        ...(who?.actor ? { 'x-purl-actor': who.actor } : {}),
        ...(who?.bearer ? { authorization: `Bearer ${who.bearer}` } : {}),
      },
    });
  const events = async (query: string): Promise<EventJson[]> => {
    const response = await get(`/audit/events${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as EventJson[];
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    await createUser(t.database, system, {
      email: 'admin@test.purl',
      role: 'admin',
      password: PASSWORD,
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@test.purl', password: PASSWORD },
    });
    adminToken = login.json().session.token as string;
    const carol = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { email: 'carol@test.purl', role: 'coordinator', password: PASSWORD },
    });
    carolId = carol.json().id as string;
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${carolId}`,
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { role: 'supplier' },
    });
    // An old event, and one with a payload too long for a list.
    await inTransaction(t.database, (tx) =>
      recordAudit(
        tx,
        system,
        { entity: 'import', entityId: 'old', action: 'import', after: { rows: 1 } },
        new Date('2025-01-15T10:00:00Z'),
      ),
    );
    await inTransaction(t.database, (tx) =>
      recordAudit(tx, system, {
        entity: 'import',
        entityId: 'big',
        action: 'import',
        after: { created: Array.from({ length: 3000 }, (_, i) => `contribution ${i}`) },
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('lists events newest first, each with its actor, payload and chained hashes', async () => {
    const all = await events('?limit=200');
    const ids = all.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    // Each event's previous hash is the hash of the event before it.
    for (let i = 0; i < all.length - 1; i++) expect(all[i]!.prevHash).toBe(all[i + 1]!.hash);
    expect(all.at(-1)!.prevHash).toBe('0'.repeat(64));

    const update = all.find((e) => e.entity === 'user' && e.action === 'update')!;
    expect(update).toMatchObject({
      entityId: carolId,
      actor: { role: 'admin', email: 'admin@test.purl' },
      before: { role: 'coordinator' },
      after: { role: 'supplier' },
      payloadTruncated: false,
    });
    expect(update.summary).toContain('"role":"supplier"');
    expect(update.hash).toMatch(/^[0-9a-f]{64}$/);

    const big = all.find((e) => e.entityId === 'big')!;
    expect(big).toMatchObject({ payloadTruncated: true, before: null, after: null });
    expect(big.summary.length).toBeLessThanOrEqual(160);
    const whole = await get(`/audit/events/${big.id}`);
    expect(whole.statusCode).toBe(200);
    expect((whole.json().after as { created: string[] }).created).toHaveLength(3000);
    expect((await get('/audit/events/999999')).statusCode).toBe(404);
  });

  it('filters by action, entity type and id, actor (id or email) and day', async () => {
    const ofCarol = await events(`?entityType=user&entityId=${carolId}`);
    expect(ofCarol.map((e) => e.action)).toEqual(['update', 'create']);
    expect((await events('?action=login')).every((e) => e.action === 'login')).toBe(true);
    expect(await events('?action=login')).toHaveLength(1);

    const byAdmin = await events('?actor=admin@test.purl');
    expect(byAdmin.length).toBe(3); // login, create carol, update carol
    expect(byAdmin.every((e) => e.actor.email === 'admin@test.purl')).toBe(true);
    const byId = await events(`?actor=${encodeURIComponent(byAdmin[0]!.actor.id)}`);
    expect(byId.map((e) => e.id)).toEqual(byAdmin.map((e) => e.id));
    expect(await events('?actor=nobody@test.purl')).toEqual([]);

    const january = await events('?from=2025-01-01&to=2025-01-31');
    expect(january.map((e) => e.entityId)).toEqual(['old']);
    expect(await events('?from=2025-01-16&to=2025-01-31')).toEqual([]);
    expect((await events('?to=2025-01-15')).map((e) => e.entityId)).toEqual(['old']);

    const backwards = await get('/audit/events?from=2025-02-01&to=2025-01-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details.field).toBe('to');
    expect((await get('/audit/events?from=2025-13-01')).statusCode).toBe(400);
  });

  it('pages with a cursor: no event twice, none missed', async () => {
    const all = await events('?limit=200');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`/audit/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = response.json() as { items: EventJson[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect((await get('/audit/events?cursor=abc')).statusCode).toBe(400);
  });

  it('verifies the chain and the ledger, then reports a tampered event as the first broken one', async () => {
    const ok = await get('/audit/verification');
    expect(ok.statusCode, ok.body).toBe(200);
    const all = await events('?limit=200');
    expect(ok.json()).toMatchObject({
      ok: true,
      audit: {
        ok: true,
        events: all.length,
        headId: all[0]!.id,
        headHash: all[0]!.hash,
        problemCount: 0,
        problems: [],
      },
      ledger: { ok: true, mismatches: 0, inconsistencies: 0 },
    });
    expect(Date.parse(ok.json().checkedAt)).not.toBeNaN();

    // The admin may verify the chain and the ledger, not read the log.
    const byAdmin = await get('/audit/verification', { bearer: adminToken });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json().ledger).not.toBeNull();

    // What an attacker with database rights does: switch the append-only trigger off, edit.
    const target = all.find(
      (e) => e.entity === 'user' && e.action === 'create' && e.entityId === carolId,
    )!;
    const db = t.database.kysely;
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`.execute(db);
    try {
      await sql`UPDATE audit_event SET after = jsonb_set(after, '{role}', '"admin"') WHERE id = ${BigInt(target.id)}`.execute(
        db,
      );
    } finally {
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`.execute(db);
    }
    const broken = await get('/audit/verification');
    expect(broken.json()).toMatchObject({
      ok: false,
      audit: {
        ok: false,
        problemCount: 1,
        problems: [{ id: target.id, problem: 'edited' }],
      },
    });
  });

  it('refuses the log to every role but the auditor, and the verification to operational roles', async () => {
    for (const actor of ['coordinator', 'contributor:NLD', 'recipient', 'supplier', 'admin']) {
      const response = await get('/audit/events', { actor });
      expect(response.statusCode, actor).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    for (const actor of ['coordinator', 'validator', 'supplier']) {
      expect((await get('/audit/verification', { actor })).statusCode, actor).toBe(403);
    }
    expect((await get('/audit/events', null)).statusCode).toBe(401);
  });
});
