import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { getParty, updateParty } from '../../src/services/reference-service.js';
import { ENGINES } from '../support/engines.js';
import { openReferenceApp, type ReferenceTestApp } from './support.js';

describe.each(ENGINES)('editing a party on %s', (engine) => {
  let h: ReferenceTestApp;
  beforeAll(async () => {
    h = await openReferenceApp(engine);
  });
  afterAll(async () => h?.close());

  const partyEvents = () =>
    h.t.database.kysely
      .selectFrom('audit_event')
      .select(['actor', 'role', 'entity', 'entity_id', 'action', 'before', 'after'])
      .where('entity', '=', 'party')
      .orderBy('id')
      .execute();

  let eventsBefore: number;
  beforeEach(async () => {
    eventsBefore = (await partyEvents()).length;
  });

  it('lets an admin change names and currency: version + 1, new ETag, one audit event', async () => {
    const read = await h.request('admin', 'GET', '/api/v1/parties/MKD');
    expect(read.headers.etag).toBe('"1"');

    const response = await h.request('admin', 'PATCH', '/api/v1/parties/MKD', {
      headers: { 'if-match': read.headers.etag as string },
      payload: { names: { fr: '  Macédoine du Nord (République de)  ' }, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json()).toEqual({
      id: 'MKD',
      kind: 'ally',
      natoMember: true,
      names: {
        en: 'North Macedonia',
        fr: 'Macédoine du Nord (République de)',
        uk: 'Північна Македонія',
      },
      currency: 'EUR',
      version: 2,
    });
    const again = await h.request('coordinator', 'GET', '/api/v1/parties/MKD');
    expect(again.json()).toEqual(response.json());
    expect(again.headers.etag).toBe('"2"');

    const events = await partyEvents();
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({
      actor: 'dev:admin',
      role: 'admin',
      entity: 'party',
      entity_id: 'MKD',
      action: 'update',
      before: { id: 'MKD', currency: 'MKD', version: 1, names: { fr: 'Macédoine du Nord' } },
      after: {
        id: 'MKD',
        currency: 'EUR',
        version: 2,
        names: { fr: 'Macédoine du Nord (République de)' },
      },
    });
    expect((await verifyAudit(h.t.database, systemActor('test'))).ok).toBe(true);
  });

  it('refuses a contributor (403 FORBIDDEN) and writes nothing', async () => {
    for (const role of ['contributor:NLD', 'coordinator', 'auditor']) {
      const response = await h.request(role, 'PATCH', '/api/v1/parties/NLD', {
        payload: { names: { en: 'Holland' } },
      });
      expect(response.statusCode, role).toBe(403);
      expect(response.json().error).toMatchObject({
        code: 'FORBIDDEN',
        details: { operation: 'reference.write' },
      });
    }
    const party = await h.request('admin', 'GET', '/api/v1/parties/NLD');
    expect(party.json()).toMatchObject({ names: { en: 'Netherlands' }, version: 1 });
    expect(await partyEvents()).toHaveLength(eventsBefore);
  });

  it('answers 412 PRECONDITION_FAILED to a stale If-Match, and keeps the other write', async () => {
    const first = await h.request('admin', 'PATCH', '/api/v1/parties/SVN', {
      headers: { 'if-match': '"1"' },
      payload: { names: { en: 'Republic of Slovenia' } },
    });
    expect(first.statusCode).toBe(200);
    const stale = await h.request('admin', 'PATCH', '/api/v1/parties/SVN', {
      headers: { 'if-match': '"1"' },
      payload: { names: { en: 'Slovenia!' } },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { entity: 'party', currentVersion: 2, expectedVersion: 1 },
    });
    const now = await h.request('admin', 'GET', '/api/v1/parties/SVN');
    expect(now.json()).toMatchObject({ names: { en: 'Republic of Slovenia' }, version: 2 });
    expect(await partyEvents()).toHaveLength(eventsBefore + 1);

    const malformed = await h.request('admin', 'PATCH', '/api/v1/parties/SVN', {
      headers: { 'if-match': 'version 2' },
      payload: { names: { en: 'Slovenia' } },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.field).toBe('headers.if-match');
  });

  it('answers 401 without an actor and 404 for an unknown party', async () => {
    const anonymous = await h.request(undefined, 'PATCH', '/api/v1/parties/NLD', {
      payload: { currency: 'USD' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const unknown = await h.request('admin', 'PATCH', '/api/v1/parties/ZZZ', {
      payload: { currency: 'USD' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'id' } });
  });

  it('validates the edit: known fields only, Cyrillic Ukrainian names, a current currency', async () => {
    const cases: [unknown, number, string, string | RegExp][] = [
      // An unknown key is reported on the object that holds it; the message names the key.
      [{ kind: 'partner' }, 400, 'VALIDATION_FAILED', /^body$/],
      [{ names: { de: 'Niederlande' } }, 400, 'VALIDATION_FAILED', 'body.names'],
      [{ names: { en: '' } }, 400, 'VALIDATION_FAILED', 'body.names.en'],
      [{ names: { en: '   ' } }, 400, 'VALIDATION_FAILED', 'names.en'],
      [{ names: { uk: 'Niderlandy' } }, 400, 'VALIDATION_FAILED', 'names.uk'],
      [{ names: { en: 'x'.repeat(201) } }, 400, 'VALIDATION_FAILED', 'body.names.en'],
      [{ currency: 'eur' }, 400, 'VALIDATION_FAILED', 'body.currency'],
      [{ currency: 'XXY' }, 422, 'CURRENCY_UNKNOWN', 'currency'],
      [{ currency: 'CYP' }, 422, 'CURRENCY_UNKNOWN', 'currency'],
    ];
    for (const [payload, status, code, field] of cases) {
      const response = await h.request('admin', 'PATCH', '/api/v1/parties/NLD', { payload });
      const label = JSON.stringify(payload);
      expect(response.statusCode, label).toBe(status);
      expect(response.json().error.code, label).toBe(code);
      expect(response.json().error.details.field, label).toMatch(field);
    }
    const unknownKey = await h.request('admin', 'PATCH', '/api/v1/parties/NLD', {
      payload: { natoMember: false },
    });
    expect(unknownKey.json().error.message).toMatch(/natoMember/);
    const party = await h.request('admin', 'GET', '/api/v1/parties/NLD');
    expect(party.json()).toMatchObject({ version: 1, currency: 'EUR' });
    expect(await partyEvents()).toHaveLength(eventsBefore);
  });

  it('treats an edit that changes nothing as a no-op: same version, no audit event', async () => {
    const response = await h.request('admin', 'PATCH', '/api/v1/parties/DEU', {
      headers: { 'if-match': '"1"' },
      payload: { names: { fr: 'Allemagne' }, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toMatchObject({ version: 1 });
    expect(await partyEvents()).toHaveLength(eventsBefore);
  });

  it('applies concurrent edits one after the other: each version is used once', async () => {
    const admin = { id: 'admin:test', role: 'admin' as const };
    const results = await Promise.allSettled(
      ['Polska', 'Pologne (République de)', 'Pologne'].map((fr) =>
        updateParty(h.t.database, admin, 'POL', { names: { fr } }, { expectedVersion: 1 }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'PRECONDITION_FAILED' });
    }
    expect((await getParty(h.t.database, admin, 'POL')).version).toBe(2);
  });
});
