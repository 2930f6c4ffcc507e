/**
 * Public figures, on both engines: before the first publication the summary is a clear 404;
 * a coordinator publishes the totals as they are (committed per donor in its currency — pledges
 * not counted —, funded, disbursed, delivered value in USD, packages by status), worked out here
 * by hand; anyone reads the latest without signing in, and only that; the snapshot keeps its
 * figures while the data moves on, is hashed, audited and cannot be changed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { publicSnapshotHash } from '../../src/services/public-service.js';
import { ENGINES } from '../support/engines.js';
import { ITEM_A, buildWorld, type World } from './support.js';

describe.each(ENGINES)('public figures on %s', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(engine);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('before the first publication the summary is 404, saying so', async () => {
    const r = await w.call('GET', '/public/summary', null);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect(r.body.error.message).toMatch(/No figures have been published yet/);
  });

  it('only a coordinator publishes; the history is for coordinators and auditors; anonymous reads only the summary', async () => {
    expect((await w.call('POST', '/public/snapshots', null, {})).status).toBe(401);
    expect((await w.call('GET', '/public/snapshots', null)).status).toBe(401);
    for (const who of ['contributor:NLD', 'auditor', 'supplier', 'admin', 'recipient']) {
      const r = await w.call('POST', '/public/snapshots', who, {});
      expect(r.status, who).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    for (const who of ['contributor:NLD', 'supplier', 'admin'])
      expect((await w.call('GET', '/public/snapshots', who)).status, who).toBe(403);
    expect((await w.call('GET', '/public/snapshots', 'auditor')).body.items).toEqual([]);
    // Nothing else is reachable anonymously (the route matrix checks every route).
    for (const url of ['/packages', `/packages/${w.pkg1.id}`, '/contributions', '/parties'])
      expect((await w.call('GET', url, null)).status, url).toBe(401);
  });

  it('publishes the totals worked out by hand; anyone reads the latest; it keeps its figures', async () => {
    // A pledge (never funding) and a commitment in another currency.
    await w.ok('POST', '/contributions', 'contributor:DEU', {
      donorPartyId: 'DEU',
      currency: 'EUR',
      amountMinor: '500000000',
      announcedOn: '2025-08-13',
      title: 'DEU pledge (synthetic)',
    });
    const nor = await w.ok('POST', '/contributions', 'contributor:NOR', {
      donorPartyId: 'NOR',
      currency: 'NOK',
      amountMinor: '100000000',
      announcedOn: '2025-08-04',
      title: 'NOR (synthetic)',
    });
    await w.ok('POST', `/contributions/${nor.id}/commit`, 'contributor:NOR', {
      committedOn: '2025-08-04',
    });

    // PURL-001 (funded by NLD: $1,157,800.00) is authorised, $1,000,000.00 disbursed, shipped,
    // and received: 10 lots, 2 of them damaged → 8 in good order.
    const price = ITEM_A.unitCostMinor * BigInt(ITEM_A.quantity);
    await w.ok('POST', `/packages/${w.pkg1.id}/authorize`, 'supplier', {
      reference: 'US-AUTH-TEST-1',
      authorizedOn: '2025-08-20',
    });
    await w.ok('POST', `/packages/${w.pkg1.id}/disbursements`, 'coordinator', {
      amountMinor: '100000000',
      paidOn: '2025-08-25',
    });
    const shipped = await w.ok('POST', `/packages/${w.pkg1.id}/shipments`, 'supplier', {
      reference: 'SHIP-1',
      plannedOn: '2025-09-01',
      lines: [{ packageLineId: w.pkg1.lineId, quantity: ITEM_A.quantity }],
    });
    const shipmentId = shipped.shipments[0].id;
    await w.ok('POST', `/shipments/${shipmentId}/status`, 'supplier', {
      status: 'dispatched',
      on: '2025-09-02',
    });
    await w.ok('POST', `/shipments/${shipmentId}/status`, 'supplier', {
      status: 'handed_over',
      on: '2025-09-05',
    });
    await w.ok('POST', `/shipments/${shipmentId}/receipt`, 'recipient', {
      receivedOn: '2025-09-06',
      lines: [
        {
          packageLineId: w.pkg1.lineId,
          receivedQuantity: ITEM_A.quantity,
          discrepancies: [{ kind: 'damaged', quantity: 2, reason: 'two lots damaged in transit' }],
        },
      ],
    });

    const expected = {
      committedByDonor: [
        {
          partyId: 'NLD',
          committed: { amountMinor: '200000000', currency: 'EUR' },
          contributions: 1,
        },
        {
          partyId: 'NOR',
          committed: { amountMinor: '100000000', currency: 'NOK' },
          contributions: 1,
        },
      ],
      funded: { amountMinor: price.toString(), currency: 'USD' }, // €1,000,000.00 × 1.1578
      disbursed: { amountMinor: '100000000', currency: 'USD' },
      deliveredValue: { amountMinor: (8n * ITEM_A.unitCostMinor).toString(), currency: 'USD' },
      packagesByStatus: {
        draft: 0,
        open: 1,
        funded: 0,
        authorized: 0,
        in_delivery: 1,
        delivered: 0,
        closed: 0,
        cancelled: 0,
      },
      packageCount: 2,
      includesSyntheticData: true,
    };

    const published = await w.call('POST', '/public/snapshots', 'coordinator', {});
    expect(published.status).toBe(201);
    expect(published.body.figures).toEqual(expected);
    expect(published.body.publishedBy).toBe('dev:coordinator');
    expect(published.body.hash).toBe(
      publicSnapshotHash(expected, new Date(published.body.publishedAt), 'dev:coordinator'),
    );

    const summary = await w.call('GET', '/public/summary', null);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      id: published.body.id,
      publishedAt: published.body.publishedAt,
      figures: expected,
      hash: published.body.hash,
    });
    expect(summary.headers.etag).toBe(`"${published.body.hash}"`);

    // The data moves on; the published figures do not, until the next publication.
    await w.ok('POST', `/packages/${w.pkg1.id}/disbursements`, 'coordinator', {
      amountMinor: (price - 100_000_000n).toString(),
      paidOn: '2025-09-10',
    });
    expect((await w.call('GET', '/public/summary', null)).body.figures).toEqual(expected);
    const second = await w.ok('POST', '/public/snapshots', 'coordinator', {});
    expect(second.figures).toEqual({
      ...expected,
      disbursed: { amountMinor: price.toString(), currency: 'USD' },
    });
    expect((await w.call('GET', '/public/summary', null)).body.id).toBe(second.id);

    // The history, newest first, for coordinators and auditors; paged.
    const history = await w.ok('GET', '/public/snapshots?limit=1', 'auditor');
    expect(history.items.map((s: { id: string }) => s.id)).toEqual([second.id]);
    const rest = await w.ok(
      'GET',
      `/public/snapshots?limit=1&cursor=${history.nextCursor}`,
      'coordinator',
    );
    expect(rest.items.map((s: { id: string }) => s.id)).toEqual([published.body.id]);
    expect(rest.nextCursor).toBeNull();
  });

  it('each publication is audited; snapshots are append-only', async () => {
    const events = await w.t.database.kysely
      .selectFrom('audit_event')
      .select(['entity_id', 'action', 'actor'])
      .where('entity', '=', 'public_snapshot')
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['publish', 'dev:coordinator'],
      ['publish', 'dev:coordinator'],
    ]);
    expect((await verifyAudit(w.t.database, systemActor('test'))).ok).toBe(true);
    await expect(
      sql`UPDATE public_snapshot SET hash = repeat('0', 64)`.execute(w.t.database.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM public_snapshot`.execute(w.t.database.kysely)).rejects.toThrow(
      /append-only/,
    );
  });
});
