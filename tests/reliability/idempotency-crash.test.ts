/**
 * A keyed request whose server dies after its command committed and before its answer was
 * stored: the command's transaction marked the key `committed`, so the retry is told the request
 * was carried out (409 IDEMPOTENCY_ANSWER_LOST, naming the record) and never runs it twice —
 * even once the reservation is stale. A command that rolls back leaves no mark. Both engines.
 *
 * The crash is reproduced exactly: the key is reserved and the command run under its claim as
 * the HTTP layer does, and the answer is never stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { recordAudit, verifyAudit } from '../../src/services/audit-service.js';
import { createContribution } from '../../src/services/contributions-service.js';
import {
  releaseOrphanedReservations,
  runWithIdempotencyClaim,
} from '../../src/services/idempotency-service.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { reserveIdempotencyKey } from '../../src/storage/idempotency-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const ROUTE = 'POST /api/v1/contributions';
const nld: Actor = { id: 'dev:contributor:NLD', role: 'contributor', partyId: 'NLD' };
const scope = `contributor:NLD:${nld.id} ${ROUTE}`;
const body = {
  donorPartyId: 'NLD',
  currency: 'EUR',
  amountMinor: '700000',
  announcedOn: '2025-08-04',
  title: 'answer lost in a crash',
};

describe.each(ENGINES)('a keyed write whose answer was lost, on %s', (engine) => {
  let t: TestDatabase;
  let app: App;

  const post = (key: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/contributions',
      headers: { 'x-purl-actor': 'contributor:NLD', 'idempotency-key': key },
      payload: body,
    });
  const keyRow = (key: string) =>
    t.database.kysely
      .selectFrom('http_idempotency')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
  /** Makes the key's reservation an hour old: long past IDEMPOTENCY_STALE_SECONDS. */
  const reservedAnHourAgo = (key: string) =>
    t.database.kysely
      .updateTable('http_idempotency')
      .set({ created_at: new Date(Date.now() - 3_600_000) })
      .where('key', '=', key)
      .execute();
  /** The request hash the HTTP layer computes for `body` (read from a request it answered). */
  let requestHash: string;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    const answered = await post('answered-normally');
    expect(answered.statusCode).toBe(201);
    const row = await keyRow('answered-normally');
    expect(row).toMatchObject({ state: 'done', status: 201, scope });
    requestHash = row.request_hash;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('the retry is IDEMPOTENCY_ANSWER_LOST naming the record, and the command ran once', async () => {
    // The request reached the server, which reserved its key and committed the command…
    expect(await reserveIdempotencyKey(t.database, scope, 'crashed', requestHash, 60)).toBeNull();
    const created = await runWithIdempotencyClaim({ scope, key: 'crashed' }, () =>
      createContribution(t.database, nld, { ...body, amountMinor: BigInt(body.amountMinor) }),
    );
    // …and died before storing the answer.
    expect(await keyRow('crashed')).toMatchObject({
      state: 'committed',
      status: null,
      committed_entity: 'contribution',
      committed_entity_id: String(created.id),
    });
    // Long after, the client retries with its key.
    await reservedAnHourAgo('crashed');
    const retry = await post('crashed');
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({
      code: 'IDEMPOTENCY_ANSWER_LOST',
      details: {
        field: 'headers.idempotency-key',
        entity: 'contribution',
        entityId: String(created.id),
      },
    });
    const mine = await t.database.kysely
      .selectFrom('contribution')
      .select('id')
      .where('title', '=', body.title)
      .execute();
    // One from the request answered normally, one from the crashed request: not a third.
    expect(mine).toHaveLength(2);
  });

  it('a command that rolls back leaves the key in progress, so a stale retry runs it', async () => {
    expect(
      await reserveIdempotencyKey(t.database, scope, 'rolled-back', requestHash, 60),
    ).toBeNull();
    await expect(
      runWithIdempotencyClaim({ scope, key: 'rolled-back' }, () =>
        inTransaction(t.database, async (tx) => {
          await recordAudit(tx, nld, { entity: 'contribution', entityId: '0', action: 'probe' });
          throw new Error('the command failed after its audit event');
        }),
      ),
    ).rejects.toThrow('failed after its audit event');
    expect(await keyRow('rolled-back')).toMatchObject({ state: 'in_progress', status: null });
    await reservedAnHourAgo('rolled-back');
    const retry = await post('rolled-back');
    expect(retry.statusCode).toBe(201);
    expect(await keyRow('rolled-back')).toMatchObject({ state: 'done', status: 201 });
  });

  it('at the start of a PGlite server, reservations of a dead one are freed at once', async () => {
    expect(await reserveIdempotencyKey(t.database, scope, 'orphaned', requestHash, 60)).toBeNull();
    const released = await releaseOrphanedReservations(t.database);
    if (engine === 'pglite') {
      // One process owns the folder: the reservation's server is gone; the retry runs now.
      expect(released).toBe(1);
      const retry = await post('orphaned');
      expect(retry.statusCode).toBe(201);
    } else {
      // Servers share PostgreSQL: the reservation may be another's request in flight.
      expect(released).toBe(0);
      expect((await post('orphaned')).json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    }
    // Committed and answered keys are never freed.
    expect((await keyRow('crashed')).state).toBe('committed');
    expect((await keyRow('answered-normally')).state).toBe('done');
  });

  it('the same key with another If-Match is another request: 409, not the stored answer', async () => {
    const created = (await post('if-match-setup')).json() as { id: string };
    const commit = (ifMatch: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/contributions/${created.id}/commit`,
        headers: {
          'x-purl-actor': 'contributor:NLD',
          'idempotency-key': 'commit-once',
          'if-match': ifMatch,
        },
        payload: { committedOn: '2025-08-04' },
      });
    const junk = await commit('not-an-etag');
    expect(junk.statusCode).toBe(400);
    const corrected = await commit('"1"');
    expect(corrected.statusCode).toBe(409);
    expect(corrected.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    // With its own key the corrected request runs.
    const fresh = await app.inject({
      method: 'POST',
      url: `/api/v1/contributions/${created.id}/commit`,
      headers: {
        'x-purl-actor': 'contributor:NLD',
        'idempotency-key': 'commit-2',
        'if-match': '"1"',
      },
      payload: { committedOn: '2025-08-04' },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('a replay still answers the stored response, and the chains verify', async () => {
    const replay = await post('answered-normally');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const system = systemActor('test');
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });
});
