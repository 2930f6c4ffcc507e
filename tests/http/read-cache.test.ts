/**
 * The in-memory read cache and credential cache (`http/read-cache.ts`, `services/freshness-service.ts`),
 * on both engines: an answer kept in memory is served again only while nothing may have changed.
 * - A repeated read is served from memory (proved by a change made with triggers switched off,
 *   which the cache cannot see, so the old answer comes back).
 * - Every change ends it: a write through this process, by HTTP or not, is read back at once; a
 *   second server process's writes and sign-outs reach this one (PostgreSQL); a disabled user's
 *   credential stops working.
 * - One reader never gets another's answer; a lost notification connection serves nothing from
 *   memory until it is back; every table is announced or exempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { checkKeptRoute } from '../../src/http/read-cache.js';
import { createContribution } from '../../src/services/contributions-service.js';
import { createUser, disableUser } from '../../src/services/identity-service.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const admin = systemActor('test');
const PASSWORD = 'a long enough passphrase';

/** Waits until `check` holds (a notification crosses a connection), at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('not within the time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(ENGINES)('read cache on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let coordinator: string;
  let nld: string;

  const signIn = async (email: string, on: App = app) => {
    const response = await on.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().session.token as string;
  };
  const get = (secret: string, url: string, on: App = app) =>
    on.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
  const pledge = (secret: string, title: string, on: App = app) =>
    on.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: { authorization: `Bearer ${secret}` },
      payload: {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: '1000000',
        announcedOn: '2025-08-04',
        title,
      },
    });
  const titles = async (secret: string, on: App = app) => {
    const response = await get(secret, '/api/v1/contributions?limit=200', on);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().items as { title: string }[]).map((c) => c.title).sort();
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database });
    for (const [email, role, partyId] of [
      ['coordinator@test.purl', 'coordinator', undefined],
      ['nld@test.purl', 'contributor', 'NLD'],
      ['deu@test.purl', 'contributor', 'DEU'],
    ] as const) {
      await createUser(t.database, admin, {
        email,
        role,
        ...(partyId ? { partyId } : {}),
        password: PASSWORD,
      });
    }
    coordinator = await signIn('coordinator@test.purl');
    nld = await signIn('nld@test.purl');
    expect((await pledge(nld, 'first')).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('serves a repeated read from memory: a change it cannot see is not shown', async () => {
    // Text beyond ASCII: the kept bytes and their length are the UTF-8 ones.
    await t.database.withConnection((c) => c.exec(`UPDATE contribution SET title = 'Внесок — €'`));
    await eventually(async () => (await titles(coordinator)).includes('Внесок — €'));
    const first = await get(coordinator, '/api/v1/contributions?limit=200');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Внесок — €');
    // Triggers off for this statement only: no change notification, as if the cache were blind.
    await t.database.withConnection(async (c) => {
      await c.exec(`BEGIN; SET LOCAL session_replication_role = replica;
        UPDATE contribution SET title = 'changed behind its back'; COMMIT;`);
    });
    const again = await get(coordinator, '/api/v1/contributions?limit=200');
    expect(again.body).toBe(first.body);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    // Put it back, announced this time (a change through the database's normal path).
    await t.database.withConnection((c) => c.exec(`UPDATE contribution SET title = 'first'`));
    await eventually(async () => (await titles(coordinator)).includes('first'));
  });

  it('a write through this process is read back at once by its client', async () => {
    expect(await titles(nld)).toEqual(['first']);
    expect((await pledge(nld, 'second')).statusCode).toBe(201);
    expect(await titles(nld)).toEqual(['first', 'second']);
    expect(await titles(coordinator)).toEqual(['first', 'second']);
  });

  it('a change committed by this process outside HTTP is read back at once', async () => {
    expect(await titles(coordinator)).toEqual(['first', 'second']);
    await createContribution(t.database, admin, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: 5_000n,
      announcedOn: '2025-08-05',
      title: 'by a service',
    });
    // No waiting: the committing connection hears its own notification before COMMIT resolves.
    expect(await titles(coordinator)).toEqual(['by a service', 'first', 'second']);
  });

  it('one reader never gets the answer kept for another', async () => {
    const deu = await signIn('deu@test.purl');
    const asNld = await get(nld, '/api/v1/contributions?limit=200');
    const asDeu = await get(deu, '/api/v1/contributions?limit=200');
    const asDeuAgain = await get(deu, '/api/v1/contributions?limit=200');
    expect(asDeu.statusCode).toBe(200);
    expect(asDeuAgain.body).toBe(asDeu.body);
    expect(asDeu.body).not.toBe(asNld.body);
  });

  it('a signed-out session stops working at once', async () => {
    const session = await signIn('coordinator@test.purl');
    expect((await get(session, '/api/v1/packages')).statusCode).toBe(200);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${session}` },
    });
    expect(out.statusCode).toBeLessThan(300);
    expect((await get(session, '/api/v1/packages')).statusCode).toBe(401);
  });

  it('a user disabled outside HTTP can no longer read, even what was kept for them', async () => {
    const session = await signIn('nld@test.purl');
    expect((await get(session, '/api/v1/contributions?limit=200')).statusCode).toBe(200);
    await disableUser(t.database, admin, 'nld@test.purl');
    await eventually(
      async () => (await get(session, '/api/v1/contributions?limit=200')).statusCode === 401,
    );
  });

  it('announces every table, or exempts it by name', async () => {
    const rows = await t.database.withConnection((c) =>
      c.query<{ table: string; announced: boolean }>(`
        SELECT c.relname AS "table",
               EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
                       WHERE g.tgrelid = c.oid
                         AND p.proname IN ('purl_notify_data', 'purl_notify_identity')) AS announced
        FROM pg_class c
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace`),
    );
    const silent = rows.filter((r) => !r.announced).map((r) => r.table);
    // Sessions and tokens announce revocations only; these never hold what a read route lists.
    expect(silent.sort()).toEqual([
      'http_idempotency',
      'login_throttle',
      'oidc_login_attempt',
      'schema_migration',
      // Chunk revisions (0026) change only with contributions and payments, which announce.
      'table_chunk',
    ]);
  });

  it.runIf(engine === 'postgres')(
    'a second server process on the same database: writes and sign-outs reach the first',
    async () => {
      const other: Database = await openDatabase({ url: t.url!, poolSize: 2 });
      const second = await buildApp({ database: other });
      try {
        const session = await signIn('coordinator@test.purl', second);
        expect(await titles(coordinator)).not.toContain('from the second');
        expect((await pledge(session, 'from the second', second)).statusCode).toBe(201);
        await eventually(async () => (await titles(coordinator)).includes('from the second'));

        // Known valid by the first process, then signed out through the second.
        expect((await get(session, '/api/v1/packages')).statusCode).toBe(200);
        const out = await second.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { authorization: `Bearer ${session}` },
        });
        expect(out.statusCode).toBeLessThan(300);
        await eventually(async () => (await get(session, '/api/v1/packages')).statusCode === 401);
      } finally {
        await second.close();
        await other.close();
      }
    },
  );

  it.runIf(engine === 'postgres')(
    'while the notification connection is lost nothing is served from memory',
    async () => {
      const before = await titles(coordinator);
      // End every listening connection of this database; the app reconnects by itself.
      await t.database.withConnection((c) =>
        c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()
                   AND query LIKE 'LISTEN%'`),
      );
      // A change nobody announces (triggers off): seen anyway, since nothing is kept meanwhile
      // or the reconnection flushed what was kept.
      await t.database.withConnection(async (c) => {
        await c.exec(`BEGIN; SET LOCAL session_replication_role = replica;
          UPDATE contribution SET title = title || ' (renamed)' WHERE title = 'first'; COMMIT;`);
      });
      // Seen as soon as the loss is noticed (the connection's end reaches the app within
      // milliseconds), and for sure once listening again: what was kept is dropped.
      await eventually(async () => (await titles(coordinator)).includes('first (renamed)'));
      expect(before).not.toContain('first (renamed)');
      // Listening again: kept answers are served again (a blind change is not seen).
      await eventually(async () => {
        const kept = await get(coordinator, '/api/v1/contributions?limit=200');
        const again = await get(coordinator, '/api/v1/contributions?limit=200');
        return kept.body === again.body;
      });
    },
  );
});

describe('routes whose answers are kept', () => {
  const route = (method: string | string[], schema?: object) =>
    ({ method, url: '/probe', config: { readCache: true }, schema, handler: () => null }) as never;

  it('are GETs whose input is their URL alone (answered before input validation)', () => {
    expect(() => checkKeptRoute(route('GET', { querystring: {}, params: {} }))).not.toThrow();
    expect(() => checkKeptRoute(route('HEAD'))).not.toThrow();
    expect(() => checkKeptRoute(route('POST'))).toThrow(/GET whose input is its URL/);
    expect(() => checkKeptRoute(route(['GET', 'PUT']))).toThrow(/GET,PUT \/probe/);
    expect(() => checkKeptRoute(route('GET', { headers: {} }))).toThrow(/no headers or body/);
    expect(() => checkKeptRoute(route('GET', { body: {} }))).toThrow(/no headers or body/);
  });
});
