/**
 * Contributions through the API on both engines: pledge → commit → partial and full payment,
 * reductions and cancellations with their rules, party scope, idempotent creation, If-Match,
 * and the ledger and audit chain sound afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { getAccountByReference, verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');

describe.each(ENGINES)('contributions API on %s', (engine) => {
  let t: TestDatabase;
  let app: App;

  const call = (
    method: 'GET' | 'POST',
    url: string,
    actor: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(actor ? { 'x-purl-actor': actor } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  const pledge = (
    overrides: Record<string, unknown> = {},
    actor: string | null = 'contributor:NLD',
  ) =>
    call('POST', '/contributions', actor, {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '50000000000',
      announcedOn: '2025-08-04',
      title: 'PURL package 1',
      sourceNote: 'Netherlands government announcement, 2025-08-04',
      ...overrides,
    });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('walks pledge → commit → partial payment → full payment, with money as decimal strings', async () => {
    const created = await pledge();
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({
      status: 'pledged',
      pledgedMinor: '50000000000',
      committedMinor: '0',
      currency: 'EUR',
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');

    const committed = await call(
      'POST',
      `/contributions/${c.id}/commit`,
      'contributor:NLD',
      { committedOn: '2025-08-05' },
      { 'if-match': '"1"' },
    );
    expect(committed.statusCode).toBe(200);
    expect(committed.json()).toMatchObject({
      status: 'committed',
      committedMinor: '50000000000',
      availableMinor: '50000000000',
      allocatedMinor: '0',
      version: 2,
    });

    const part = await call('POST', `/contributions/${c.id}/payments`, 'contributor:NLD', {
      amountMinor: '20000000000',
      paidOn: '2025-09-01',
    });
    expect(part.json()).toMatchObject({ status: 'partially_paid', paidMinor: '20000000000' });
    const over = await call('POST', `/contributions/${c.id}/payments`, 'contributor:NLD', {
      amountMinor: '30000000001',
      paidOn: '2025-09-02',
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({
      code: 'PAYMENT_EXCEEDS_COMMITTED',
      details: { field: 'amountMinor' },
    });
    const rest = await call('POST', `/contributions/${c.id}/payments`, 'coordinator', {
      amountMinor: '30000000000',
      paidOn: '2025-09-15',
      reference: 'SWIFT 123',
    });
    expect(rest.json()).toMatchObject({ status: 'paid', paidMinor: '50000000000' });
    expect(rest.json().payments).toHaveLength(2);

    // The ledger: the fund holds the cash, the receivable is settled, the money is available.
    const cash = await getAccountByReference(t.database, system, 'fund:EUR:cash');
    expect(cash.debitsPostedMinor).toBe(50_000_000_000n);
    const receivable = await getAccountByReference(
      t.database,
      system,
      `contribution:${c.id}:receivable`,
    );
    expect(receivable.debitsPostedMinor - receivable.creditsPostedMinor).toBe(0n);
  });

  it('a pledge is not funding: it never reaches the ledger', async () => {
    const c = (
      await pledge({ donorPartyId: 'DEU', title: 'DEU pledge' }, 'contributor:DEU')
    ).json();
    expect(c.status).toBe('pledged');
    await expect(
      getAccountByReference(t.database, system, `contribution:${c.id}:available`),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('reductions need a reason, keep what is paid, and a cancellation of a commitment releases it', async () => {
    const c = (await pledge({ amountMinor: '10000000000' }, 'coordinator')).json();
    await call('POST', `/contributions/${c.id}/commit`, 'coordinator', {
      committedOn: '2025-08-06',
    });
    await call('POST', `/contributions/${c.id}/payments`, 'coordinator', {
      amountMinor: '4000000000',
      paidOn: '2025-08-07',
    });
    const noReason = await call('POST', `/contributions/${c.id}/reduce`, 'coordinator', {
      amountMinor: '5000000000',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    const belowPaid = await call('POST', `/contributions/${c.id}/reduce`, 'coordinator', {
      amountMinor: '3000000000',
      reason: 'budget cut',
    });
    expect(belowPaid.statusCode).toBe(422);
    expect(belowPaid.json().error.code).toBe('PLEDGE_BELOW_ALLOCATED');
    const reduced = await call('POST', `/contributions/${c.id}/reduce`, 'coordinator', {
      amountMinor: '4000000000',
      reason: 'budget cut',
    });
    expect(reduced.json()).toMatchObject({
      status: 'paid',
      committedMinor: '4000000000',
      availableMinor: '4000000000',
      statusReason: 'budget cut',
    });

    const other = (await pledge({ amountMinor: '700' }, 'coordinator')).json();
    await call('POST', `/contributions/${other.id}/commit`, 'coordinator', {
      committedOn: '2025-08-06',
    });
    const cancelled = await call('POST', `/contributions/${other.id}/cancel`, 'coordinator', {
      reason: 'announced twice',
    });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      committedMinor: '0',
      availableMinor: '0',
    });
  });

  it('every illegal transition answers its code and changes nothing', async () => {
    const c = (await pledge({ amountMinor: '100' })).json();
    const pay = await call('POST', `/contributions/${c.id}/payments`, 'contributor:NLD', {
      amountMinor: '1',
      paidOn: '2025-08-07',
    });
    expect(pay.statusCode).toBe(409);
    expect(pay.json().error).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { from: 'pledged', action: 'pay' },
    });
    await call('POST', `/contributions/${c.id}/cancel`, 'contributor:NLD', { reason: 'withdrawn' });
    const commit = await call('POST', `/contributions/${c.id}/commit`, 'contributor:NLD', {
      committedOn: '2025-08-07',
    });
    expect(commit.json().error.code).toBe('INVALID_TRANSITION');
    const after = (await call('GET', `/contributions/${c.id}`, 'contributor:NLD')).json();
    expect(after).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('an earmark names capability areas or an existing package, not both', async () => {
    const unknownPackage = await pledge({ earmarkPackageId: '999999' });
    expect(unknownPackage.statusCode).toBe(404);
    expect(unknownPackage.json().error.details.field).toBe('earmarkPackageId');
    const unknownArea = await pledge({ earmarkAreas: ['submarines'] });
    expect(unknownArea.statusCode).toBe(400);
    const both = await pledge({ earmarkAreas: ['drones'], earmarkPackageId: '1' });
    expect(both.statusCode).toBe(400);
    const areas = await pledge({ earmarkAreas: ['drones', 'demining'] });
    expect(areas.json().earmarks).toEqual({
      capabilityAreas: ['drones', 'demining'],
      packageId: null,
    });
  });

  it('a contributor writes only its own party’s contributions, by any route', async () => {
    const mine = (await pledge({ amountMinor: '100' })).json();
    const forOther = await pledge({ donorPartyId: 'DEU' }, 'contributor:NLD');
    expect(forOther.statusCode).toBe(403);
    const commitOthers = await call('POST', `/contributions/${mine.id}/commit`, 'contributor:DEU', {
      committedOn: '2025-08-07',
    });
    expect(commitOthers.statusCode).toBe(403);
    const asRecipient = await pledge({}, 'recipient');
    expect(asRecipient.statusCode).toBe(403);
    expect((await pledge({}, null)).statusCode).toBe(401);
  });

  it('internal notes are visible to their party and coordinators, redacted for other donors', async () => {
    const c = (
      await pledge({ amountMinor: '100', internalNote: 'cabinet approval pending' })
    ).json();
    expect(
      (await call('GET', `/contributions/${c.id}`, 'contributor:NLD')).json().internalNote,
    ).toBe('cabinet approval pending');
    expect((await call('GET', `/contributions/${c.id}`, 'coordinator')).json().internalNote).toBe(
      'cabinet approval pending',
    );
    expect(
      (await call('GET', `/contributions/${c.id}`, 'contributor:DEU')).json().internalNote,
    ).toEqual({ redacted: true });
  });

  it('creating with an Idempotency-Key: a retry returns the same resource; another body is 409', async () => {
    const headers = { 'idempotency-key': 'nld-pledge-2025-08-04' };
    const body = {
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: '1234',
      announcedOn: '2025-08-04',
      title: 'idempotent',
    };
    const first = await call('POST', '/contributions', 'contributor:NLD', body, headers);
    const again = await call('POST', '/contributions', 'contributor:NLD', body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await call(
      'POST',
      '/contributions',
      'contributor:NLD',
      { ...body, amountMinor: '1235' },
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    const list = (await call('GET', '/contributions?limit=200&donor=NLD', 'coordinator')).json();
    expect(list.items.filter((x: { title: string }) => x.title === 'idempotent')).toHaveLength(1);
  });

  it('a stale If-Match gives 412 and changes nothing', async () => {
    const c = (await pledge({ amountMinor: '100' })).json();
    await call('POST', `/contributions/${c.id}/commit`, 'contributor:NLD', {
      committedOn: '2025-08-07',
    });
    const stale = await call(
      'POST',
      `/contributions/${c.id}/payments`,
      'contributor:NLD',
      { amountMinor: '1', paidOn: '2025-08-07' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('PRECONDITION_FAILED');
    expect((await call('GET', `/contributions/${c.id}`, 'contributor:NLD')).json()).toMatchObject({
      paidMinor: '0',
      version: 2,
    });
  });

  it('lists page with a cursor and filter by status, donor and date', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const url: string = `/contributions?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call('GET', url, 'auditor')).json();
      for (const item of page.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBeGreaterThan(5);
    const paid = (await call('GET', '/contributions?status=paid', 'auditor')).json();
    expect(paid.items.every((x: { status: string }) => x.status === 'paid')).toBe(true);
    const deu = (await call('GET', '/contributions?donor=DEU', 'auditor')).json();
    expect(deu.items.every((x: { donorPartyId: string }) => x.donorPartyId === 'DEU')).toBe(true);
    const bad = await call('GET', '/contributions?cursor=nonsense', 'auditor');
    expect(bad.statusCode).toBe(400);
    const tooMany = await call('GET', '/contributions?limit=500', 'auditor');
    expect(tooMany.statusCode).toBe(400);
  });

  it('afterwards the ledger balances and the audit chain verifies', async () => {
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });
});
